import smpp from 'smpp';

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
  // (smpp's own gsmCoder.detect tries national tables first and misreads plain text.)
  if (fitsGsm7(text)) {
    const septets = smpp.gsmCoder.encode(text, 0);
    if (septets.length <= GSM_SINGLE) return { dataCoding: 0, segments: [{ message: septets }] };
    return { dataCoding: 0, segments: withUdh(splitGsm(septets), reference) };
  }
  const ucs2 = utf16be(text);
  if (ucs2.length <= UCS2_SINGLE_BYTES) return { dataCoding: 8, segments: [{ message: ucs2 }] };
  return { dataCoding: 8, segments: withUdh(splitUcs2(ucs2), reference) };
}

/** How many SMS a text costs, known before sending. */
export function countSegments(text: string): number {
  return encodeSms(text, 0).segments.length;
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

/** Reads a received short_message back into text (the library decodes 0/1/3/8 itself). */
export function decodeShortMessage(value: unknown, dataCoding: number | undefined): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) {
    if ((dataCoding ?? 0) !== 8) return value.toString('latin1');
    const even = Buffer.from(value.subarray(0, value.length - (value.length % 2)));
    return even.swap16().toString('utf16le');
  }
  if (value && typeof value === 'object' && 'message' in value)
    return decodeShortMessage((value as { message: unknown }).message, dataCoding);
  return '';
}
