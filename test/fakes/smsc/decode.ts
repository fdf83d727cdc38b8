import smpp from 'smpp';
import type { ConcatInfo, DefaultAlphabet } from './types.js';

const UDHI = 0x40;
const UCS2 = 0x08;

const TLV_MESSAGE_PAYLOAD = 0x0424;
const TLV_SAR_MSG_REF_NUM = 0x020c;
const TLV_SAR_TOTAL_SEGMENTS = 0x020e;
const TLV_SAR_SEGMENT_SEQNUM = 0x020f;

export interface SplitMessage {
  udh?: Buffer;
  payload: Buffer;
}

/** The message bytes: short_message, or message_payload when short_message is empty. */
export function messageBytes(shortMessage: Buffer, tlvs: ReadonlyMap<number, Buffer>): Buffer {
  if (shortMessage.length > 0) return shortMessage;
  return tlvs.get(TLV_MESSAGE_PAYLOAD) ?? shortMessage;
}

/** Splits off the user data header (length octet included) when esm_class has UDHI. */
export function splitUdh(bytes: Buffer, esmClass: number): SplitMessage {
  if ((esmClass & UDHI) === 0 || bytes.length === 0) return { payload: bytes };
  const end = Math.min(bytes.length, 1 + bytes[0]!);
  return { udh: bytes.subarray(0, end), payload: bytes.subarray(end) };
}

/** Concatenation info from UDH IE 0x00 (8-bit ref) / 0x08 (16-bit ref), else sar_* TLVs. */
export function concatInfo(udh: Buffer | undefined, tlvs: ReadonlyMap<number, Buffer>): ConcatInfo | undefined {
  if (udh) {
    let i = 1;
    while (i + 1 < udh.length) {
      const iei = udh[i]!;
      const len = udh[i + 1]!;
      const data = udh.subarray(i + 2, i + 2 + len);
      if (iei === 0x00 && data.length === 3) {
        return { ref: data[0]!, total: data[1]!, seq: data[2]!, source: 'udh8' };
      }
      if (iei === 0x08 && data.length === 4) {
        return { ref: data.readUInt16BE(0), total: data[2]!, seq: data[3]!, source: 'udh16' };
      }
      i += 2 + len;
    }
  }
  const ref = tlvs.get(TLV_SAR_MSG_REF_NUM);
  const total = tlvs.get(TLV_SAR_TOTAL_SEGMENTS);
  const seq = tlvs.get(TLV_SAR_SEGMENT_SEQNUM);
  if (ref?.length === 2 && total?.length === 1 && seq?.length === 1) {
    return { ref: ref.readUInt16BE(0), total: total[0]!, seq: seq[0]!, source: 'sar' };
  }
  return undefined;
}

/** UCS-2 / UTF-16 big-endian to a JS string (a trailing odd octet is ignored). */
export function decodeUcs2(bytes: Buffer): string {
  const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return even.swap16().toString('utf16le');
}

export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/**
 * Text of a message body by data_coding: 8 is UCS-2 (UTF-16BE); 0 is the SMSC
 * default alphabet (Latin-1 or unpacked GSM 03.38, see `DefaultAlphabet`);
 * anything else is read as Latin-1.
 */
export function decodeText(payload: Buffer, dataCoding: number, alphabet: DefaultAlphabet): string {
  if (dataCoding === UCS2) return decodeUcs2(payload);
  if (dataCoding === 0 && alphabet === 'gsm7') return smpp.gsmCoder.decode(payload);
  return payload.toString('latin1');
}

export function fitsDefaultAlphabet(text: string, alphabet: DefaultAlphabet): boolean {
  if (alphabet === 'gsm7') return smpp.encodings.ASCII.match(text);
  return /^[\u0000-\u00ff]*$/.test(text);
}

/** Bytes of `text` for data_coding 8 (UCS-2) or 0 (default alphabet); others as Latin-1. */
export function encodeText(text: string, dataCoding: number, alphabet: DefaultAlphabet): Buffer {
  if (dataCoding === UCS2) return encodeUcs2(text);
  if (dataCoding === 0 && alphabet === 'gsm7') return smpp.gsmCoder.encode(text);
  return Buffer.from(text, 'latin1');
}
