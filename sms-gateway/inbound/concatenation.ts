/**
 * Which part of a long text a received PDU is (3GPP TS 23.040 9.2.3.24.1 and
 * .8, SMPP 3.4 sar_* TLVs). Pure: the SMPP adapter calls it with what the
 * `smpp` library decoded; reassembly itself lives in part-assembler.ts.
 */

/** One part of a long text. Parts of one text share (source, destination, reference, total). */
export interface MessagePart {
  /** 0-255 from an 8-bit IE, 0-65535 from a 16-bit IE or sar_msg_ref_num. */
  reference: number;
  /** Parts in the whole text, 1-255. */
  total: number;
  /** This part's number, 1-based. */
  seq: number;
}

/** The sar_* TLVs as the `smpp` library puts them on a PDU (so a PDU can be passed as is). */
export interface SarTlvs {
  sar_msg_ref_num?: number;
  sar_total_segments?: number;
  sar_segment_seqnum?: number;
}

const IEI_CONCAT_8BIT = 0x00;
const IEI_CONCAT_16BIT = 0x08;

/**
 * The part a PDU carries, or null when it is a whole text or says nothing
 * usable. `udh` is the list of information elements as the library decodes it
 * (`[IEI, length, ...data]`, no overall length octet; see `parseUdh` for raw
 * bytes). A concatenation IE wins over sar_* TLVs. An IE that breaks the rules
 * (wrong length, total 0, seq 0 or past total) is ignored, as 23.040 tells a
 * receiver to do, so the text is still read as a whole text rather than lost.
 * Repeated IEs: the last valid one counts (23.040 9.2.3.24).
 */
export function readConcatenation(udh: readonly Buffer[] | undefined, sar: SarTlvs = {}): MessagePart | null {
  let found: MessagePart | null = null;
  for (const ie of udh ?? []) {
    const part = readConcatenationIe(ie);
    if (part) found = part;
  }
  if (found) return found;
  const { sar_msg_ref_num: reference, sar_total_segments: total, sar_segment_seqnum: seq } = sar;
  if (!isWhole(reference) || !isWhole(total) || !isWhole(seq) || reference > 0xffff) return null;
  return validPart(reference, total, seq);
}

/**
 * Splits a user data header given as bytes (its length octet first, as in
 * short_message when esm_class has 0x40) into information elements shaped
 * like the library's. A truncated last element is dropped, never read past.
 */
export function parseUdh(header: Buffer): Buffer[] {
  const end = Math.min(header.length, 1 + (header[0] ?? 0));
  const elements: Buffer[] = [];
  let at = 1;
  while (at + 1 < end) {
    const length = header[at + 1] as number;
    if (at + 2 + length > end) break;
    elements.push(header.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return elements;
}

function readConcatenationIe(ie: Buffer): MessagePart | null {
  const iei = ie[0];
  const length = ie[1];
  if (iei === IEI_CONCAT_8BIT && length === 3 && ie.length >= 5) return validPart(ie[2] as number, ie[3] as number, ie[4] as number);
  if (iei === IEI_CONCAT_16BIT && length === 4 && ie.length >= 6) return validPart(ie.readUInt16BE(2), ie[4] as number, ie[5] as number);
  return null;
}

function validPart(reference: number, total: number, seq: number): MessagePart | null {
  if (total < 1 || total > 255 || seq < 1 || seq > total) return null;
  return { reference, total, seq };
}

function isWhole(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
