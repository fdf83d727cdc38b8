/**
 * Quiet hours: the daily window in which a text may reach a person, read in
 * the recipient's own local time. `08:00-20:00` (the default) means texts go
 * from 08:00 until just before 20:00; the rest of the day is quiet.
 *
 * A number can belong to several zones (Alaska's area code 907 covers Adak and
 * Anchorage; a mobile number abroad could be anywhere in its country), so a
 * moment counts as allowed only when it is inside the window in EVERY
 * candidate zone: the strictest reading, never a guess in the sender's favour.
 */
import { instantOf, localDayAndMinute } from '../hours/local-time.js';
import { parseTimeOfDay } from '../hours/schedule-types.js';

/** Minutes after local midnight: from `start` (inclusive) to `end` (exclusive, up to 1440). */
export interface SendWindow {
  start: number;
  end: number;
}

/** DESIGN: the strictest US states (Florida, Oklahoma, ...) allow 08:00-20:00; federal TCPA 08:00-21:00. */
export const DEFAULT_SEND_WINDOW: SendWindow = { start: 8 * 60, end: 20 * 60 };
/** The widest window a business may choose through the API: the federal TCPA hours. */
export const FEDERAL_SEND_WINDOW: SendWindow = { start: 8 * 60, end: 21 * 60 };

/** Three days covers any two zones on Earth (at most 26 hours apart) and a DST day in between. */
const SEARCH_DAYS = 3;

/** `HH:MM-HH:MM` (the end may be 24:00) with the start before the end, or null. */
export function parseSendWindow(text: string): SendWindow | null {
  const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  const start = parseTimeOfDay(match[1]);
  const end = parseTimeOfDay(match[2], true);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

export function formatSendWindow(window: SendWindow): string {
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${hhmm(window.start)}-${hhmm(window.end)}`;
}

/** True when `inner` lies wholly inside `outer`. */
export function windowInside(inner: SendWindow, outer: SendWindow): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** Is the instant inside the window in every one of the zones? */
export function allowedInEveryZone(atMs: number, zones: readonly string[], window: SendWindow): boolean {
  return zones.every((zone) => {
    const { minute } = localDayAndMinute(atMs, zone);
    return minute >= window.start && minute < window.end;
  });
}

/**
 * The first instant at or after `at` that is inside the window in every zone;
 * null when no such instant comes within a few days (the zones are so far
 * apart that their daytimes never overlap).
 *
 * Where `at` is not allowed, the answer is the moment the last zone's window
 * opens, so it is one of the zones' window starts: try them in time order.
 * `instantOf` settles window starts that a DST change skips (the clocks jump
 * past it: the window is open from the jump).
 */
export function nextAllowedInstant(at: Date, zones: readonly string[], window: SendWindow): Date | null {
  const atMs = at.getTime();
  if (zones.length === 0) return null;
  if (allowedInEveryZone(atMs, zones, window)) return at;
  const starts: number[] = [];
  for (const zone of zones) {
    const today = localDayAndMinute(atMs, zone).day;
    for (let day = today; day <= today + SEARCH_DAYS; day++) {
      const start = instantOf(day, window.start, zone);
      if (start > atMs) starts.push(start);
    }
  }
  starts.sort((a, b) => a - b);
  const first = starts.find((start) => allowedInEveryZone(start, zones, window));
  return first === undefined ? null : new Date(first);
}
