// Asterisk formats times as e.g. 2026-11-21T12:00:00.000+0000 (not JS's trailing Z).
export function asteriskTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
