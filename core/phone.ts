// The full metadata: the smaller sets cannot tell mobile from fixed lines.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

export type CallerNumber =
  | { kind: 'valid'; e164: string; raw: string }
  /** The caller hid their number (empty, "anonymous", "restricted", ...). */
  | { kind: 'withheld'; raw: string }
  /** Something that is not a dialable number: garbage, too long, impossible. */
  | { kind: 'invalid'; raw: string };

const WITHHELD = new Set(['', 'anonymous', 'restricted', 'private', 'unknown', 'unavailable', 'withheld', 'blocked']);
const MAX_RAW_LENGTH = 64;

/**
 * Reads a caller id as Asterisk hands it over. Anything that is not a valid
 * number comes back as withheld or invalid: such callers can never be texted.
 */
export function readCallerNumber(rawInput: string | null | undefined, defaultCountry: string): CallerNumber {
  // Keep what we store bounded and printable: caller ids are attacker-controlled.
  const raw = sanitizeText(rawInput ?? '', MAX_RAW_LENGTH);
  const trimmed = raw.trim();
  if (WITHHELD.has(trimmed.toLowerCase())) return { kind: 'withheld', raw };
  if (!/^\+?[0-9()\-.\s]{3,20}$/.test(trimmed)) return { kind: 'invalid', raw };
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return { kind: 'invalid', raw };
  return { kind: 'valid', e164: parsed.number, raw };
}

/** A dialled number (DID) as a stable key: E.164 when it parses, else its digits. */
export function normalizeDid(rawInput: string | null | undefined, defaultCountry: string): string | null {
  const raw = sanitizeText(rawInput ?? '', MAX_RAW_LENGTH).trim();
  if (!raw) return null;
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  if (parsed?.isValid()) return parsed.number;
  const digits = raw.replace(/[^0-9+*#]/g, '');
  return digits || null;
}

/**
 * Removes control characters (NUL included: PostgreSQL text refuses it) and
 * lone surrogates, and caps the length. Used for every string an outsider sends.
 */
export function sanitizeText(input: string, maxLength: number): string {
  const cleaned = input
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return Array.from(cleaned).slice(0, maxLength).join('');
}

export type LineType = 'mobile' | 'fixed' | 'unknown';

/** A number as the IVR speaks about it: E.164, the digits to read back, and whether it can take texts. */
export interface PhoneLine {
  e164: string;
  readback: string;
  lineType: LineType;
}

/**
 * Reads a valid E.164 number into a line. The type comes from the numbering
 * plan where it tells (most countries); in North America mobile and fixed
 * numbers share ranges, so those are `unknown` and the IVR asks.
 */
export function readPhoneLine(e164: string, defaultCountry: string): PhoneLine | null {
  const parsed = parsePhoneNumberFromString(e164, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return toLine(parsed);
}

/** Reads digits a caller keyed in (national or international form); null when not a valid number. */
export function readKeyedNumber(digits: string, defaultCountry: string): PhoneLine | null {
  if (!/^[0-9]{6,15}$/.test(digits)) return null;
  // "00" or the NANP "011" prefix then a country code: international form.
  const international = digits.startsWith('00') ? `+${digits.slice(2)}` : digits.startsWith('011') ? `+${digits.slice(3)}` : null;
  const parsed = parsePhoneNumberFromString(international ?? digits, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return toLine(parsed);
}

function toLine(parsed: PhoneNumber): PhoneLine {
  const type = parsed.getType();
  // Anything else (FIXED_LINE_OR_MOBILE, VOIP, TOLL_FREE, ...) may or may not take texts: ask.
  const lineType: LineType = type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' ? 'fixed' : 'unknown';
  return { e164: parsed.number, readback: parsed.formatNational().replace(/[^0-9]/g, ''), lineType };
}
