/**
 * Spam screening, as a pure rule book: the facts about one incoming call in,
 * a verdict out. A screened call is logged with its reason and never texted.
 */
export type ScreeningReason = 'blocked' | 'invalid_number' | 'too_frequent' | 'stir_shaken_failed' | 'short_ring';

export type ScreeningVerdict = { screened: false } | { screened: true; reason: ScreeningReason };

export interface ScreeningFacts {
  /** How the caller id read: a valid number, withheld (may key one in), or invalid (impossible, garbage). */
  callerKind: 'valid' | 'withheld' | 'invalid';
  allowListed: boolean;
  blockListed: boolean;
  /** Calls from this number to this business in the last hour, this one excluded. */
  recentCalls: number;
  maxCallsPerHour: number;
  /** Asterisk's STIR_SHAKEN verify_result for the call, when it verifies at all. */
  stirShakenResult: string | null;
  rejectFailedStirShaken: boolean;
  /** Seconds the call rang before the caller gave up (abandoned calls only). */
  ringSeconds?: number | null;
  minRingSeconds?: number;
}

export function screenCall(facts: ScreeningFacts): ScreeningVerdict {
  // The business said "always let this number through": nothing below applies.
  if (facts.allowListed) return { screened: false };
  if (facts.blockListed) return { screened: true, reason: 'blocked' };
  if (facts.callerKind === 'invalid') return { screened: true, reason: 'invalid_number' };
  if (facts.rejectFailedStirShaken && stirShakenFailed(facts.stirShakenResult)) return { screened: true, reason: 'stir_shaken_failed' };
  if (facts.recentCalls >= facts.maxCallsPerHour) return { screened: true, reason: 'too_frequent' };
  if (facts.ringSeconds != null && facts.minRingSeconds != null && facts.ringSeconds < facts.minRingSeconds) {
    // One ring and gone: the pattern of "wangiri" callback scams.
    return { screened: true, reason: 'short_ring' };
  }
  return { screened: false };
}

/**
 * Asterisk reports e.g. "Verification successful", "Verification failed",
 * "Signature verification failed", "Verification mismatch"; an empty or absent
 * result means it did not verify (no STIR/SHAKEN on the trunk): not a failure.
 */
export function stirShakenFailed(result: string | null): boolean {
  if (!result) return false;
  const normalized = result.toLowerCase();
  return /fail|mismatch|invalid/.test(normalized) && !/success/.test(normalized);
}
