/**
 * The receiving side of sms-encoding.ts: the text of one received part, from
 * its user data bytes (UDH already taken off) and its data_coding, the way a
 * handset reads it. Pure. Used where the `smpp` library leaves bytes undecoded
 * and by the tests that check what we send reads back the same.
 */

/** GSM 03.38 default alphabet by septet value; 0x1B is the escape to the extension table. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_ESCAPE = 0x1b;
/** GSM 03.38 extension table: the septet after an escape, and the character the pair means. */
const GSM_EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);

export type Alphabet = 'gsm7' | 'ucs2' | 'latin1' | 'octets';

/**
 * The alphabet a data_coding value names. SMPP's own values first (0 SMSC
 * default, read as GSM 03.38 like the library does; 1 IA5, sent by the library
 * as GSM bytes; 3 Latin-1; 8 UCS-2), then the GSM data coding groups an SMSC
 * may pass through (message class 0x10-0x1F, message waiting UCS-2 0xE0-0xEF,
 * 0xF0-0xFF). Anything else is octets we cannot read as text.
 */
export function alphabetOf(dataCoding: number): Alphabet {
  if (dataCoding === 0 || dataCoding === 1) return 'gsm7';
  if (dataCoding === 3) return 'latin1';
  if (dataCoding === 8) return 'ucs2';
  if (dataCoding >= 0x10 && dataCoding <= 0x1f) return (['gsm7', 'octets', 'ucs2', 'octets'] as const)[(dataCoding >> 2) & 0x03];
  if ((dataCoding & 0xf0) === 0xe0) return 'ucs2';
  if ((dataCoding & 0xf0) === 0xf0) return dataCoding & 0x04 ? 'octets' : 'gsm7';
  return 'octets';
}

/**
 * One part's text. Lossless where the bytes allow it: UCS-2 keeps a lone
 * surrogate and GSM keeps a trailing escape (as U+001B), so join-parts.ts can
 * pair them with the next part. Octets are shown one character each (Latin-1)
 * rather than dropped.
 */
export function decodeUserData(bytes: Buffer, dataCoding: number): string {
  switch (alphabetOf(dataCoding)) {
    case 'gsm7':
      return decodeGsm7(bytes);
    case 'ucs2':
      return decodeUtf16be(bytes);
    default:
      return bytes.toString('latin1');
  }
}

/** Unpacked GSM 03.38 (one septet an octet, as SMPP carries it). */
export function decodeGsm7(septets: Uint8Array): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i] as number;
    if (septet > 0x7f) {
      text += '\ufffd';
      continue;
    }
    if (septet !== GSM_ESCAPE || i + 1 === septets.length) {
      text += GSM_BASIC[septet];
      continue;
    }
    const next = septets[++i] as number;
    // 23.038: an escape before a septet the extension table does not use shows the basic character.
    text += GSM_EXTENSION.get(next) ?? (next <= 0x7f && next !== GSM_ESCAPE ? GSM_BASIC[next] : ' ');
  }
  return text;
}

/** UTF-16 big-endian; a trailing odd octet is dropped, lone surrogates are kept as they are. */
export function decodeUtf16be(bytes: Uint8Array): string {
  const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return even.swap16().toString('utf16le');
}
