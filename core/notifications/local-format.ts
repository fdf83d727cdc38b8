// Formatters per zone: building one costs far more than using it (a pure cache).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(at: Date, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) if (part.type !== 'literal') out[part.type] = part.value;
  return out;
}

/** `2026-11-30 14:05` in the zone. */
export function localDateTime(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD` in the zone. */
export function localDate(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `14:05` when `at` is on the same local day as `now`, else `Tue 14:05`. */
export function shortLocalTime(at: Date, timeZone: string, now: Date): string {
  const p = parts(at, timeZone);
  const same = localDate(at, timeZone) === localDate(now, timeZone);
  return same ? `${p.hour}:${p.minute}` : `${p.weekday} ${p.hour}:${p.minute}`;
}
