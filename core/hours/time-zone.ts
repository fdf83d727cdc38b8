/**
 * An IANA zone name as Intl understands it, or null. Fixed offsets ("+02:00")
 * are refused even where Intl takes them: they know no DST, so a business
 * using one would be an hour off for half the year.
 *
 * The name is kept as given (only its case corrected): Node 20 resolves some
 * current names to older ones (Asia/Kolkata to Asia/Calcutta), which would
 * surprise whoever set it.
 */
export function normalizeTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) || name.length > 64) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
