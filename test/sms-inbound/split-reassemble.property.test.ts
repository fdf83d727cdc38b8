import fc from 'fast-check';
import smpp, { PDU, type DecodedShortMessage } from 'smpp';
import { describe, expect, it } from 'vitest';
import { parseUdh, readConcatenation } from '../../sms-gateway/inbound/concatenation.js';
import { joinParts, type PartText } from '../../sms-gateway/inbound/join-parts.js';
import { decodeUserData } from '../../sms-gateway/inbound/user-data.js';
import { countSegments, decodeShortMessage, encodeSms, type EncodedSms } from '../../sms-gateway/smpp/sms-encoding.js';

const GSM_CHARS = [
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ...'^{}\\[~]|€\f',
];
const gsmChar = fc.constantFrom(...GSM_CHARS);
const awkward = fc.constantFrom('😀', '👍🏽', '𝄞', 'я', '中', '€', '\f', '\u0000', '\ud83d', '\ude00');
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/**
 * GSM-only texts (extension characters weighted up), any Unicode, and mixtures
 * with astral and broken characters; `size: 'max'` so lengths reach many parts
 * (fast-check's default size keeps strings to a few characters).
 */
const sized = { size: 'max' } as const;
const texts = fc.oneof(
  fc.string({ unit: gsmChar, maxLength: 1200, ...sized }),
  fc.string({
    unit: fc.oneof({ weight: 5, arbitrary: gsmChar }, { weight: 1, arbitrary: fc.constantFrom(...'€[]{}^~|\\\f') }),
    maxLength: 1200,
    ...sized,
  }),
  fc.string({ unit: 'binary', maxLength: 500, ...sized }),
  fc.string({
    unit: fc.oneof({ weight: 4, arbitrary: gsmChar }, { weight: 2, arbitrary: awkward }, { weight: 1, arbitrary: loneSurrogate }),
    maxLength: 800,
    ...sized,
  }),
  // Short ones too, around the single-part limits.
  fc.string({ unit: fc.oneof(gsmChar, awkward), minLength: 60, maxLength: 170, ...sized }),
);
const reference = fc.integer({ min: 0, max: 255 });

/** Each part decoded alone, as a handset does: unpack per data_coding, place by its UDH. */
function readAsHandset(encoded: EncodedSms): { parts: PartText[]; total: number; references: Set<number> } {
  const references = new Set<number>();
  let total = 1;
  const parts = encoded.segments.map((segment) => {
    const part = segment.udh ? readConcatenation(parseUdh(segment.udh)) : null;
    if (part) {
      references.add(part.reference);
      total = part.total;
    }
    return { seq: part?.seq ?? 1, text: decodeUserData(segment.message, encoded.dataCoding) };
  });
  return { parts, total, references };
}

/** Each part through the wire as a deliver_sm and the `smpp` library's own decoding, as our SMPP adapter gets it. */
function readThroughLibrary(encoded: EncodedSms): PartText[] {
  return encoded.segments.map((segment) => {
    const sent = new PDU('deliver_sm', {
      source_addr: '14155550142',
      destination_addr: '14155559999',
      data_coding: encoded.dataCoding,
      short_message: segment.udh ? { udh: segment.udh, message: segment.message } : segment.message,
    });
    const received = new PDU(sent.toBuffer());
    const body = received.short_message as DecodedShortMessage;
    const part = readConcatenation(body.udh, received);
    expect(Boolean(received.esm_class! & smpp.ESM_CLASS.UDH_INDICATOR)).toBe(Boolean(segment.udh));
    return { seq: part?.seq ?? 1, text: decodeShortMessage(body, received.data_coding ?? undefined) };
  });
}

/** Parts in some arrival order: networks do not keep order. */
const shuffled = <T>(items: readonly T[], seed: number): T[] =>
  items
    .map((item, i) => ({ item, key: (Math.imul(i + 1, 2654435761) ^ seed) >>> 0 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

describe('split, then reassemble (property-based)', () => {
  it('when any text is split and each part is read as a handset would, then joining the parts gives the text back', () => {
    fc.assert(
      fc.property(texts, reference, fc.integer(), (text, ref, seed) => {
        const encoded = encodeSms(text, ref);
        const { parts, total, references } = readAsHandset(encoded);
        expect(encoded.segments).toHaveLength(countSegments(text));
        expect(total).toBe(encoded.segments.length);
        if (encoded.segments.length > 1) expect([...references]).toEqual([ref]);
        expect(parts.map((p) => p.seq)).toEqual(encoded.segments.map((_, i) => i + 1));
        // A handset only puts the parts in order and runs their texts together: nothing to mend.
        const inOrder = shuffled(parts, seed).sort((a, b) => a.seq - b.seq);
        expect(inOrder.map((p) => p.text).join('')).toBe(text);
        expect(joinParts(total, shuffled(parts, seed)).text).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('when any text is split, then no part is too long and no part breaks a character', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const encoded = encodeSms(text, 1);
        const single = encoded.segments.length === 1;
        for (const segment of encoded.segments) {
          const units = encoded.dataCoding === 0 ? segment.message.length : segment.message.length / 2;
          expect(units).toBeLessThanOrEqual(encoded.dataCoding === 0 ? (single ? 160 : 153) : single ? 70 : 67);
          expect(Boolean(segment.udh)).toBe(!single);
        }
        const parts = readAsHandset(encoded).parts.map((p) => p.text);
        for (let i = 0; i + 1 < parts.length; i++) {
          // A pair the text had whole stays whole; an escape is never left hanging.
          expect(/[\ud800-\udbff]$/.test(parts[i]!) && /^[\udc00-\udfff]/.test(parts[i + 1]!)).toBe(false);
          if (encoded.dataCoding === 0) expect(parts[i]!.endsWith('\u001b')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when the parts go over the wire as deliver_sm and the smpp library decodes them, then joining gives the text back', () => {
    fc.assert(
      fc.property(texts, reference, fc.integer(), (text, ref, seed) => {
        const encoded = encodeSms(text, ref);
        expect(joinParts(encoded.segments.length, shuffled(readThroughLibrary(encoded), seed)).text).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
