import smpp from 'smpp';
import { decodeUserData } from '../inbound/user-data.js';

/** One submit_sm worth of a text: the UDH (when the text is split) and the encoded bytes. */
export interface EncodedSegment {
  udh?: Buffer;
  message: Buffer;
}

export interface EncodedSms {
  /** 0: GSM 03.38 default alphabet (one septet a byte, unpacked); 8: UCS-2. */
  dataCoding: 0 | 8;
  segments: EncodedSegment[];
}

const GSM_SINGLE = 160;
const GSM_PART = 153;
const UCS2_SINGLE_BYTES = 140;
const UCS2_PART_BYTES = 134;
const GSM_ESCAPE = 0x1b;
/** The concatenation header counts parts in one octet. */
const MAX_PARTS = 255;

/** GSM 03.38 default alphabet and its extension table (each extension character costs two septets). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const GSM_CHARS = new Set([...GSM_BASIC, ...GSM_EXTENSION]);

/** True when every character of the text is in the GSM 03.38 default alphabet or its extension table. */
export function fitsGsm7(text: string): boolean {
  for (const char of text) if (!GSM_CHARS.has(char)) return false;
  return true;
}

/**
 * Encodes a text the way handsets expect: GSM 03.38 (with its extension table)
 * when every character fits, UCS-2 otherwise; longer texts split with an 8-bit
 * concatenation UDH, never cutting an escape sequence or a surrogate pair.
 */
export function encodeSms(text: string, reference: number): EncodedSms {
  const { dataCoding, parts } = splitText(text);
  const [only] = parts;
  if (parts.length === 1 && only) return { dataCoding, segments: [{ message: only }] };
  return { dataCoding, segments: withUdh(parts, reference) };
}

/** How many SMS a text costs, known before sending (never throws: past 255 encodeSms refuses the text). */
export function countSegments(text: string): number {
  return splitText(text).parts.length;
}

/** The text's bytes in the parts it needs: one when it fits a single SMS. */
function splitText(text: string): { dataCoding: 0 | 8; parts: Buffer[] } {
  // (smpp's own gsmCoder.detect tries national tables first and misreads plain text.)
  if (fitsGsm7(text)) {
    const septets = smpp.gsmCoder.encode(text, 0);
    return { dataCoding: 0, parts: septets.length <= GSM_SINGLE ? [septets] : splitGsm(septets) };
  }
  const ucs2 = utf16be(text);
  return { dataCoding: 8, parts: ucs2.length <= UCS2_SINGLE_BYTES ? [ucs2] : splitUcs2(ucs2) };
}

function splitGsm(septets: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < septets.length) {
    let end = Math.min(start + GSM_PART, septets.length);
    // An escape byte belongs with the character after it.
    if (end < septets.length && septets[end - 1] === GSM_ESCAPE) end -= 1;
    parts.push(septets.subarray(start, end));
    start = end;
  }
  return parts;
}

function splitUcs2(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + UCS2_PART_BYTES, bytes.length);
    // Do not end a part on a high surrogate (0xD800-0xDBFF): its pair goes with it.
    if (end < bytes.length) {
      const high = bytes.readUInt16BE(end - 2);
      if (high >= 0xd800 && high <= 0xdbff) end -= 2;
    }
    parts.push(bytes.subarray(start, end));
    start = end;
  }
  return parts;
}

function withUdh(parts: Buffer[], reference: number): EncodedSegment[] {
  // Past 255 the part count would wrap in its octet and handsets would join garbage: refuse instead.
  if (parts.length > MAX_PARTS) {
    throw new RangeError(`a text of ${parts.length} parts is longer than SMS concatenation allows (${MAX_PARTS})`);
  }
  return parts.map((message, index) => ({
    udh: Buffer.from([0x05, 0x00, 0x03, reference & 0xff, parts.length, index + 1]),
    message,
  }));
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const b = le[i] as number;
    le[i] = le[i + 1] as number;
    le[i + 1] = b;
  }
  return le;
}

/**
 * Reads a received short_message back into text. The library decodes what its
 * data_coding's low nibble names (0/1 GSM, 3 Latin-1, 8 UCS-2); bytes it leaves
 * are read per data_coding by inbound/user-data.ts (octets as Latin-1).
 */
export function decodeShortMessage(value: unknown, dataCoding: number | undefined): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return decodeUserData(value, dataCoding ?? 0);
  if (value && typeof value === 'object' && 'message' in value)
    return decodeShortMessage((value as { message: unknown }).message, dataCoding);
  return '';
}
