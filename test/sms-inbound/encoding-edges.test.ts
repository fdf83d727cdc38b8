import { describe, expect, it } from 'vitest';
import { countSegments, decodeShortMessage, encodeSms, fitsGsm7 } from '../../sms-gateway/smpp/sms-encoding.js';
import { decodeUserData } from '../../sms-gateway/inbound/user-data.js';

const GSM_EXTENSION = ['€', '[', ']', '{', '}', '^', '~', '|', '\\', '\f'];

/** The text every part decodes to, in order, as a handset reads each part alone. */
const partTexts = (text: string): string[] => {
  const encoded = encodeSms(text, 1);
  return encoded.segments.map((s) => decodeUserData(s.message, encoded.dataCoding));
};

describe('SMS encoding edges', () => {
  it('when a text has GSM extension characters, then each costs two septets', () => {
    for (const char of GSM_EXTENSION) {
      expect(fitsGsm7(char), JSON.stringify(char)).toBe(true);
      expect(encodeSms(char, 0).segments[0]!.message, JSON.stringify(char)).toHaveLength(2);
      expect(countSegments(char.repeat(80)), JSON.stringify(char)).toBe(1);
      expect(countSegments(char.repeat(81)), JSON.stringify(char)).toBe(2);
    }
    expect(countSegments(`${'a'.repeat(158)}€`)).toBe(1);
    expect(countSegments(`${'a'.repeat(159)}€`)).toBe(2);
  });

  it('when an extension character falls on a part boundary, then it is never split from its escape', () => {
    for (let before = 148; before <= 156; before++) {
      for (const char of GSM_EXTENSION) {
        const text = `${'a'.repeat(before)}${char}${'b'.repeat(200)}`;
        const encoded = encodeSms(text, 3);
        for (const segment of encoded.segments) {
          expect(segment.message.at(-1)).not.toBe(0x1b);
          expect(segment.message.length).toBeLessThanOrEqual(153);
        }
        expect(partTexts(text).join('')).toBe(text);
      }
    }
  });

  it('when emoji or other astral characters fall on a part boundary, then no surrogate pair is split', () => {
    for (const astral of ['😀', '𝄞', '🏳️‍🌈', '👍🏽']) {
      for (let before = 60; before <= 70; before++) {
        const text = `${'я'.repeat(before)}${astral.repeat(40)}`;
        for (const part of partTexts(text)) {
          expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
          expect(part).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
        }
        expect(partTexts(text).join('')).toBe(text);
      }
    }
  });

  it('when at the 160/161 GSM and 70/71 UCS-2 boundaries, then the part count is right, astral characters counting two', () => {
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('я'.repeat(70))).toBe(1);
    expect(countSegments('я'.repeat(71))).toBe(2);
    expect(countSegments('😀'.repeat(35))).toBe(1);
    expect(countSegments(`${'😀'.repeat(35)}a`)).toBe(2);
    expect(countSegments(`${'я'.repeat(69)}😀`)).toBe(2);
    expect(countSegments('a'.repeat(306))).toBe(2);
    expect(countSegments('a'.repeat(307))).toBe(3);
    expect(countSegments('я'.repeat(134))).toBe(2);
    expect(countSegments('я'.repeat(135))).toBe(3);
  });

  it('when a text is 1,000 characters long, then it splits into the expected parts, each with the same reference', () => {
    const cases: Array<[string, number]> = [
      ['a'.repeat(1000), 7], // 153 septets a part
      ['€'.repeat(1000), 14], // 76 escapes (152 septets) a part: 153 would split one
      ['я'.repeat(1000), 15], // 67 UCS-2 characters a part
      ['😀'.repeat(1000), 31], // 33 pairs (66 code units) a part: 67 would split one
    ];
    for (const [text, parts] of cases) {
      const encoded = encodeSms(text, 0x5a);
      expect(encoded.segments, text.slice(0, 1)).toHaveLength(parts);
      encoded.segments.forEach((segment, index) => {
        expect([...segment.udh!]).toEqual([5, 0, 3, 0x5a, parts, index + 1]);
        // UDH + user data within one SMS: 140 octets (GSM septets packed 8 to 7).
        const octets = encoded.dataCoding === 0 ? Math.ceil((segment.message.length * 7) / 8) : segment.message.length;
        expect(segment.udh!.length + octets).toBeLessThanOrEqual(140);
      });
      expect(partTexts(text).join('')).toBe(text);
    }
  });

  it('when a text needs more than 255 parts, then encoding refuses it instead of wrapping the part count, and counting says 256', () => {
    expect(countSegments('a'.repeat(153 * 255))).toBe(255);
    expect(countSegments('a'.repeat(153 * 255 + 1))).toBe(256);
    expect(() => encodeSms('a'.repeat(153 * 255 + 1), 0)).toThrow(RangeError);
  });

  it('when received bytes are left undecoded by the library, then they are read per data_coding', () => {
    expect(decodeShortMessage(Buffer.from([0x00, 0x48, 0x00, 0x69, 0xd8]), 8)).toBe('Hi');
    expect(decodeShortMessage(Buffer.from([0x48, 0x1b, 0x65]), 0xf0)).toBe('H€');
    expect(decodeShortMessage(Buffer.from([0x00, 0xe9]), 0x18)).toBe('é');
    expect(decodeShortMessage(Buffer.from([0xe9]), 4)).toBe('é');
    expect(decodeShortMessage({ message: Buffer.from([0x41, 0x80]) }, 0)).toBe('A\ufffd');
  });
});
