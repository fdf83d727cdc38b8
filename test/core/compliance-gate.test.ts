import { describe, expect, it } from 'vitest';
import { decideOutbound, type GateFacts } from '../../core/compliance/compliance-gate.js';
import { DEFAULT_SEND_WINDOW } from '../../core/compliance/quiet-hours.js';

// Consent rules only: noon in New York, nothing sent yet (quiet hours and caps: test/compliance).
const base: GateFacts = {
  kind: 'acknowledgement',
  consentMode: 'ivr',
  hasIvrConsent: false,
  optedOut: false,
  optOutConfirmed: false,
  callerHasTexted: false,
  acknowledgementSent: false,
  now: new Date('2026-06-15T16:00:00Z'),
  recipientZones: ['America/New_York'],
  businessTimeZone: 'America/New_York',
  quietHours: DEFAULT_SEND_WINDOW,
  textsLast24h: 0,
  recoveriesLast24h: 0,
};

describe('compliance gate', () => {
  it('when the caller consented in the IVR, then the first text may go', () => {
    expect(decideOutbound({ ...base, hasIvrConsent: true })).toEqual({ allow: true });
  });
  it('when there is no IVR consent under the ivr mode, then nothing but HELP goes', () => {
    expect(decideOutbound(base)).toEqual({ allow: false, reason: 'no_consent' });
    expect(decideOutbound({ ...base, kind: 'follow_up' })).toEqual({ allow: false, reason: 'no_consent' });
    expect(decideOutbound({ ...base, kind: 'help' })).toEqual({ allow: true });
  });
  it('when the number opted out, then even a consented text is refused', () => {
    for (const kind of ['acknowledgement', 'conversational', 'follow_up', 'informational', 'help'] as const) {
      expect(decideOutbound({ ...base, kind, hasIvrConsent: true, optedOut: true, callerHasTexted: true })).toEqual({
        allow: false,
        reason: 'opted_out',
      });
    }
  });
  it('when the number opted out, then exactly one confirmation may go', () => {
    expect(decideOutbound({ ...base, kind: 'optout_confirmation', optedOut: true })).toEqual({ allow: true });
    expect(decideOutbound({ ...base, kind: 'optout_confirmation', optedOut: true, optOutConfirmed: true })).toEqual({
      allow: false,
      reason: 'optout_already_confirmed',
    });
    expect(decideOutbound({ ...base, kind: 'optout_confirmation' })).toEqual({ allow: false, reason: 'not_opted_out' });
  });
  it('when the business is callback_only, then no caller text goes even with consent', () => {
    expect(decideOutbound({ ...base, consentMode: 'callback_only', hasIvrConsent: true })).toEqual({
      allow: false,
      reason: 'callback_only',
    });
  });
  it('when acknowledge_once, then one acknowledgement goes without consent and no second one', () => {
    expect(decideOutbound({ ...base, consentMode: 'acknowledge_once' })).toEqual({ allow: true });
    expect(decideOutbound({ ...base, consentMode: 'acknowledge_once', acknowledgementSent: true })).toEqual({
      allow: false,
      reason: 'acknowledgement_already_sent',
    });
    expect(decideOutbound({ ...base, consentMode: 'acknowledge_once', kind: 'follow_up' })).toEqual({ allow: false, reason: 'no_consent' });
  });
  it('when the caller texted first, then a conversational reply may go', () => {
    expect(decideOutbound({ ...base, kind: 'conversational', callerHasTexted: true })).toEqual({ allow: true });
  });
});
