/** Days as the API and Asterisk's GotoIfTime spell them; index 0 is Monday (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One opening on a day, in the business's wall-clock time: `open` and `close`
 * are `HH:MM`; `close` may be `24:00` (until midnight). A range past midnight
 * says so explicitly with `endsNextDay` (22:00-02:00): without it, a close
 * before the open is a mistake, not a guess.
 */
export interface TimeRange {
  open: string;
  close: string;
  endsNextDay?: boolean;
}

export interface WeeklyRange extends TimeRange {
  day: Weekday;
}

/** Every opening of a normal week; several per day allowed, no overlaps. */
export type WeeklySchedule = readonly WeeklyRange[];

/**
 * A date (`YYYY-MM-DD`, the business's calendar) whose hours replace the
 * week's: `ranges` empty means closed all day. A holiday owns its whole day:
 * hours carried past midnight from the day before stop at its midnight.
 */
export interface Holiday {
  date: string;
  ranges: readonly TimeRange[];
}

/** The next flip of the open/closed state: when, and what it becomes. */
export interface OpenStateChange {
  at: Date;
  open: boolean;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM` (00:00..23:59, or 24:00 when allowed), or null. */
export function parseTimeOfDay(text: string, allowMidnightEnd = false): number | null {
  if (allowMidnightEnd && text === '24:00') return 1440;
  const match = TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
