/**
 * Is a business open, and when does that change? Pure functions of the weekly
 * schedule, the holidays, the IANA zone and an instant: no clock, no database.
 *
 * Each day's ranges become real intervals of time [open, close) (see
 * `instantOf` for how DST-odd readings are settled), holidays replace their
 * day, and overlapping or touching intervals are merged, so every boundary
 * left is a real flip between open and closed.
 */
import { instantOf, isoDate, localDayAndMinute, parseIsoDate, weekdayIndex, type EpochDay } from './local-time.js';
import { parseTimeOfDay, WEEKDAYS, type Holiday, type OpenStateChange, type TimeRange, type WeeklySchedule } from './schedule-types.js';

export type { Holiday, OpenStateChange, TimeRange, WeeklyRange, WeeklySchedule, Weekday } from './schedule-types.js';

interface Interval {
  start: number;
  end: number;
}

interface MinuteRange {
  open: number;
  close: number;
  endsNextDay: boolean;
}

interface Rules {
  /** Index 0 = Monday. */
  week: MinuteRange[][];
  holidays: Map<string, MinuteRange[]>;
  lastHoliday: EpochDay | null;
  timeZone: string;
}

/** Enough days ahead that a full week beyond any DST day is in view. */
const MIN_HORIZON_DAYS = 10;
/** Holidays further out than this are not searched for a change. */
const MAX_HORIZON_DAYS = 800;

export function isOpen(schedule: WeeklySchedule, holidays: readonly Holiday[], timeZone: string, at: Date): boolean {
  const rules = compile(schedule, holidays, timeZone);
  const atMs = at.getTime();
  const today = localDayAndMinute(atMs, timeZone).day;
  // A range lasts at most 24 hours, so only yesterday's can reach into today.
  return [today - 1, today].some((day) => dayIntervals(rules, day).some((iv) => iv.start <= atMs && atMs < iv.end));
}

/** The next instant after `at` when open/closed flips, and the state it flips to; null if it never does. */
export function nextChange(schedule: WeeklySchedule, holidays: readonly Holiday[], timeZone: string, at: Date): OpenStateChange | null {
  const atMs = at.getTime();
  const found = searchForward(compile(schedule, holidays, timeZone), atMs, (merged) => {
    for (const iv of merged) {
      if (iv.end <= atMs) continue;
      return iv.start <= atMs ? { at: iv.end, open: false } : { at: iv.start, open: true };
    }
    return null;
  });
  return found ? { at: new Date(found.at), open: found.open } : null;
}

/**
 * The next time the business opens, strictly after `at` (when it is open at
 * `at`, that is the opening after the current period closes); null if never.
 */
export function nextOpening(schedule: WeeklySchedule, holidays: readonly Holiday[], timeZone: string, at: Date): Date | null {
  const atMs = at.getTime();
  const found = searchForward(compile(schedule, holidays, timeZone), atMs, (merged) => {
    const next = merged.find((iv) => iv.start > atMs);
    return next ? { at: next.start, open: true } : null;
  });
  return found ? new Date(found.at) : null;
}

/**
 * Builds the merged timeline for a growing window of days until `pick` finds
 * an answer that no day outside the window could still move.
 */
function searchForward(
  rules: Rules,
  atMs: number,
  pick: (merged: Interval[]) => { at: number; open: boolean } | null,
): { at: number; open: boolean } | null {
  const today = localDayAndMinute(atMs, rules.timeZone).day;
  const limit = today + Math.min(MAX_HORIZON_DAYS, Math.max(MIN_HORIZON_DAYS, (rules.lastHoliday ?? today) - today + 3));
  for (let horizon = today + MIN_HORIZON_DAYS; ; horizon = Math.min(limit, today + (horizon - today) * 2)) {
    const found = pick(mergedIntervals(rules, today - 1, horizon));
    // Days after the horizon only add intervals starting at or after its next midnight.
    if (found && found.at < instantOf(horizon + 1, 0, rules.timeZone)) return found;
    if (horizon >= limit) return null;
  }
}

function mergedIntervals(rules: Rules, fromDay: EpochDay, toDay: EpochDay): Interval[] {
  const all: Interval[] = [];
  for (let day = fromDay; day <= toDay; day++) all.push(...dayIntervals(rules, day));
  all.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const iv of all) {
    const last = merged.at(-1);
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else merged.push({ ...iv });
  }
  return merged;
}

/** The intervals of the ranges that start on a day: the holiday's if it is one, else the week's. */
function dayIntervals(rules: Rules, day: EpochDay): Interval[] {
  const { timeZone } = rules;
  const ranges = rules.holidays.get(isoDate(day)) ?? rules.week[weekdayIndex(day)] ?? [];
  // A holiday tomorrow owns all of tomorrow: nothing of today's carries over.
  const cut = rules.holidays.has(isoDate(day + 1)) ? instantOf(day + 1, 0, timeZone) : Infinity;
  const intervals: Interval[] = [];
  for (const range of ranges) {
    const start = instantOf(day, range.open, timeZone);
    const end = Math.min(cut, instantOf(range.endsNextDay ? day + 1 : day, range.close, timeZone));
    // A range that falls wholly inside a spring-forward gap never happens.
    if (end > start) intervals.push({ start, end });
  }
  return intervals;
}

function compile(schedule: WeeklySchedule, holidays: readonly Holiday[], timeZone: string): Rules {
  const week: MinuteRange[][] = WEEKDAYS.map(() => []);
  for (const range of schedule) {
    const index = WEEKDAYS.indexOf(range.day);
    if (index < 0) throw new RangeError(`unknown day ${String(range.day)}`);
    week[index]?.push(toMinutes(range));
  }
  const byDate = new Map<string, MinuteRange[]>();
  let lastHoliday: EpochDay | null = null;
  for (const holiday of holidays) {
    const day = parseIsoDate(holiday.date);
    if (day === null) throw new RangeError(`holiday date ${holiday.date} is not YYYY-MM-DD`);
    byDate.set(holiday.date, holiday.ranges.map(toMinutes));
    lastHoliday = Math.max(lastHoliday ?? day, day);
  }
  return { week, holidays: byDate, lastHoliday, timeZone };
}

function toMinutes(range: TimeRange): MinuteRange {
  const open = parseTimeOfDay(range.open);
  const close = parseTimeOfDay(range.close, !range.endsNextDay);
  if (open === null || close === null)
    throw new RangeError(`invalid range ${range.open}-${range.close}: check it with validateRanges first`);
  return { open, close, endsNextDay: range.endsNextDay ?? false };
}
