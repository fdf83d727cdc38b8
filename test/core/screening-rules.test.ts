import { describe, expect, it } from 'vitest';
import { screenCall, stirShakenFailed, type ScreeningFacts } from '../../core/screening/screening-rules.js';

const clean: ScreeningFacts = {
  callerKind: 'valid',
  allowListed: false,
  blockListed: false,
  recentCalls: 0,
  maxCallsPerHour: 10,
  stirShakenResult: null,
  rejectFailedStirShaken: true,
};

describe('screening rules', () => {
  it('when nothing is wrong, then the call goes through', () => {
    expect(screenCall(clean)).toEqual({ screened: false });
    expect(screenCall({ ...clean, callerKind: 'withheld' })).toEqual({ screened: false });
  });
  it('when the number is block-listed, invalid, too frequent or fails STIR/SHAKEN, then it is screened with that reason', () => {
    expect(screenCall({ ...clean, blockListed: true })).toEqual({ screened: true, reason: 'blocked' });
    expect(screenCall({ ...clean, callerKind: 'invalid' })).toEqual({ screened: true, reason: 'invalid_number' });
    expect(screenCall({ ...clean, recentCalls: 10 })).toEqual({ screened: true, reason: 'too_frequent' });
    expect(screenCall({ ...clean, recentCalls: 9 })).toEqual({ screened: false });
    expect(screenCall({ ...clean, stirShakenResult: 'Signature verification failed' })).toEqual({
      screened: true,
      reason: 'stir_shaken_failed',
    });
    expect(screenCall({ ...clean, ringSeconds: 1, minRingSeconds: 3 })).toEqual({ screened: true, reason: 'short_ring' });
  });
  it('when the business does not reject failed STIR/SHAKEN, then such calls go through', () => {
    expect(screenCall({ ...clean, stirShakenResult: 'Verification failed', rejectFailedStirShaken: false })).toEqual({ screened: false });
  });
  it('when the number is allow-listed, then nothing screens it', () => {
    expect(
      screenCall({ ...clean, allowListed: true, blockListed: true, recentCalls: 99, stirShakenResult: 'Verification failed' }),
    ).toEqual({ screened: false });
  });
  it('when Asterisk reports its verification result, then only failures count', () => {
    expect(stirShakenFailed('Verification successful')).toBe(false);
    expect(stirShakenFailed('')).toBe(false);
    expect(stirShakenFailed(null)).toBe(false);
    expect(stirShakenFailed('Verification failed')).toBe(true);
    expect(stirShakenFailed('Verification mismatch')).toBe(true);
  });
});
