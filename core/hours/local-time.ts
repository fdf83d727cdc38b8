/**
 * Wall-clock time in an IANA zone, with nothing but the built-in Intl API.
 *
 * Civil dates are counted as "epoch days" (days since 1970-01-01), so adding a
 * day is `+ 1` and never meets a DST change; only turning a (day, minute) into
 * an instant looks at the zone.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Probing this far either side finds the offsets before and after any transition, even Samoa's skipped day. */
const PROBE_MS = 36 * 3_600_000;

export type EpochDay = number;

// Building a DateTimeFormat costs far more than using one: keep one per zone.
// A pure cache, the same in every caller, so it is not hidden shared state.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at an instant, as if that reading were UTC (ms), seconds included. */
function wallClockMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** UTC offset (ms, east positive) in force at an instant. */
export function offsetAt(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(wholeSecond, timeZone) - wholeSecond;
}

/** The local calendar day and minute of the day at an instant. */
export function localDayAndMinute(instantMs: number, timeZone: string): { day: EpochDay; minute: number } {
  const wall = wallClockMs(instantMs, timeZone);
  const day = Math.floor(wall / DAY_MS);
  return { day, minute: Math.floor((wall - day * DAY_MS) / MINUTE_MS) };
}

/**
 * The instant the zone's clocks read `minute` (0..1440; 1440 is the next
 * midnight) on a civil day. Two rules settle the readings a DST change makes
 * odd, both chosen so that "open" follows what the wall clock shows:
 * - a reading skipped by a spring-forward gap (02:30 on a New York March
 *   Sunday) is the instant the clocks jump (03:00 EDT): from then on the clock
 *   shows a later time, so a business opening or closing at 02:30 has done so;
 * - a reading that happens twice at a fall-back (01:30 on a November Sunday)
 *   is its first occurrence, the moment the clock first shows it.
 */
export function instantOf(day: EpochDay, minute: number, timeZone: string): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  const offsets = [...new Set([offsetAt(wall - PROBE_MS, timeZone), offsetAt(wall + PROBE_MS, timeZone)])];
  const candidates = offsets.map((offset) => wall - offset).filter((instant) => wallClockMs(instant, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: the transition lies between the instant the later offset gives
  // (before the jump) and the one the earlier offset gives (after it).
  const instants = offsets.map((offset) => wall - offset);
  return transitionBetween(Math.min(...instants), Math.max(...instants), timeZone);
}

/** The first instant after `before` (in the old offset) whose offset is the new one, to the millisecond. */
function transitionBetween(before: number, after: number, timeZone: string): number {
  const oldOffset = offsetAt(before, timeZone);
  let low = before;
  let high = after;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === oldOffset) low = middle;
    else high = middle;
  }
  // Transitions fall on whole seconds; offsetAt reads whole seconds.
  return Math.ceil(high / 1000) * 1000;
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndex(day: EpochDay): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** `YYYY-MM-DD` of a civil day. */
export function isoDate(day: EpochDay): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The civil day of a `YYYY-MM-DD` string, or null when it is not a real date. */
export function parseIsoDate(text: string): EpochDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null;
  return ms / DAY_MS;
}
