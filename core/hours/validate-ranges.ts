/**
 * Checks opening ranges before they are stored: the times are real, a range
 * closes after it opens (or says it ends the next day), and no two ranges
 * overlap, counting ranges past midnight and Sunday night running into Monday.
 */
import { parseTimeOfDay, WEEKDAYS, type TimeRange, type WeeklySchedule } from './schedule-types.js';

export type RangeProblemCode = 'invalid_time' | 'invalid_range' | 'overlapping_ranges';

export interface RangeProblem {
  code: RangeProblemCode;
  message: string;
}

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;

interface Span {
  start: number;
  end: number;
  label: string;
}

/** Problems with a whole week of ranges; empty when it can be stored. */
export function validateWeeklySchedule(schedule: WeeklySchedule): RangeProblem[] {
  const problems: RangeProblem[] = [];
  const spans: Span[] = [];
  for (const range of schedule) {
    const dayIndex = WEEKDAYS.indexOf(range.day);
    const label = `${range.day} ${describe(range)}`;
    const minutes = checkRange(range, label, problems);
    if (!minutes || dayIndex < 0) continue;
    const start = dayIndex * DAY_MINUTES + minutes.start;
    const end = dayIndex * DAY_MINUTES + minutes.end;
    // Sunday night past midnight runs into Monday morning of the (same) week.
    if (end > WEEK_MINUTES) spans.push({ start, end: WEEK_MINUTES, label }, { start: 0, end: end - WEEK_MINUTES, label });
    else spans.push({ start, end, label });
  }
  return [...problems, ...overlaps(spans)];
}

/** Problems with the ranges of one day (a holiday's special hours). */
export function validateDayRanges(ranges: readonly TimeRange[]): RangeProblem[] {
  const problems: RangeProblem[] = [];
  const spans: Span[] = [];
  for (const range of ranges) {
    const label = describe(range);
    const minutes = checkRange(range, label, problems);
    if (minutes) spans.push({ ...minutes, label });
  }
  return [...problems, ...overlaps(spans)];
}

/** Minutes from the start of its day, or null (with a problem noted). */
function checkRange(range: TimeRange, label: string, problems: RangeProblem[]): { start: number; end: number } | null {
  const open = parseTimeOfDay(range.open);
  const close = parseTimeOfDay(range.close, true);
  if (open === null || close === null) {
    problems.push({ code: 'invalid_time', message: `${label}: times are HH:MM, from 00:00 to 23:59 (a close may be 24:00)` });
    return null;
  }
  if (range.endsNextDay) {
    // Up to 24 hours: closing the next day at or before the opening time.
    if (close > open || close === DAY_MINUTES) {
      problems.push({ code: 'invalid_range', message: `${label}: a range ending the next day closes at or before its opening time` });
      return null;
    }
    return { start: open, end: DAY_MINUTES + close };
  }
  if (close <= open) {
    problems.push({
      code: 'invalid_range',
      message: `${label}: closes before it opens; set ends_next_day for a range past midnight`,
    });
    return null;
  }
  return { start: open, end: close };
}

/** Ranges that touch (12:00-14:00 and 14:00-18:00) are fine; sharing a minute is not. */
function overlaps(spans: Span[]): RangeProblem[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const problems: RangeProblem[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.start < previous.end) {
      problems.push({ code: 'overlapping_ranges', message: `${previous.label} overlaps ${current.label}` });
    }
  }
  return problems;
}

function describe(range: TimeRange): string {
  return `${range.open}-${range.close}${range.endsNextDay ? ' (next day)' : ''}`;
}
