import { describe, expect, it } from 'vitest';
import { decideOutbound, type GateFacts } from '../../core/compliance/compliance-gate.js';
import { DEFAULT_SEND_WINDOW } from '../../core/compliance/quiet-hours.js';
import type { MessageKind } from '../../core/entities/index.js';

const TWO_AM_NEW_YORK = new Date('2026-06-15T06:00:00Z');
const NOON_NEW_YORK = new Date('2026-06-15T16:00:00Z');
const EIGHT_AM_NEW_YORK = new Date('2026-06-15T12:00:00Z');

/** A consented caller who has also texted, in New York, nothing sent yet. */
const facts = (overrides: Partial<GateFacts> = {}): GateFacts => ({
  kind: 'acknowledgement',
  consentMode: 'ivr',
  hasIvrConsent: true,
  optedOut: false,
  optOutConfirmed: false,
  callerHasTexted: true,
  acknowledgementSent: false,
  now: NOON_NEW_YORK,
  recipientZones: ['America/New_York'],
  businessTimeZone: 'America/Los_Angeles',
  quietHours: DEFAULT_SEND_WINDOW,
  textsLast24h: 0,
  recoveriesLast24h: 0,
  ...overrides,
});

const CALLER_TEXTS: MessageKind[] = ['acknowledgement', 'conversational', 'informational', 'follow_up'];

describe('compliance gate: quiet hours and caps', () => {
  it('when a caller text is due at 02:00 in the recipient zone, then it is deferred until 08:00 there, whatever its kind', () => {
    for (const kind of CALLER_TEXTS) {
      expect(decideOutbound(facts({ kind, now: TWO_AM_NEW_YORK }))).toEqual({
        allow: false,
        reason: 'quiet_hours',
        until: EIGHT_AM_NEW_YORK,
      });
    }
  });

  it('when the IVR consent was given at 22:00, then the first text still waits for the morning', () => {
    const tenPm = new Date('2026-06-16T02:00:00Z');
    expect(decideOutbound(facts({ kind: 'acknowledgement', now: tenPm }))).toEqual({
      allow: false,
      reason: 'quiet_hours',
      until: new Date('2026-06-16T12:00:00Z'),
    });
  });

  it('when the STOP confirmation, a HELP answer or a staff text is due at 02:00, then it goes at once', () => {
    expect(decideOutbound(facts({ kind: 'optout_confirmation', optedOut: true, now: TWO_AM_NEW_YORK }))).toEqual({ allow: true });
    expect(decideOutbound(facts({ kind: 'help', hasIvrConsent: false, now: TWO_AM_NEW_YORK }))).toEqual({ allow: true });
    expect(decideOutbound(facts({ kind: 'staff', now: TWO_AM_NEW_YORK }))).toEqual({ allow: true });
  });

  it('when three texts reached the number in 24 h, then a fourth is refused with daily_cap', () => {
    for (const kind of CALLER_TEXTS) {
      expect(decideOutbound(facts({ kind, textsLast24h: 3 }))).toEqual({ allow: false, reason: 'daily_cap' });
    }
    expect(decideOutbound(facts({ kind: 'conversational', textsLast24h: 2 }))).toEqual({ allow: true });
  });

  it('when the cap is reached, then the STOP confirmation, HELP answers and staff texts still go', () => {
    const capped = { textsLast24h: 9, recoveriesLast24h: 3 };
    expect(decideOutbound(facts({ ...capped, kind: 'optout_confirmation', optedOut: true }))).toEqual({ allow: true });
    expect(decideOutbound(facts({ ...capped, kind: 'help' }))).toEqual({ allow: true });
    expect(decideOutbound(facts({ ...capped, kind: 'staff' }))).toEqual({ allow: true });
  });

  it('when a recovery text went to the number in 24 h, then a second one is refused, other kinds are not', () => {
    expect(decideOutbound(facts({ kind: 'acknowledgement', recoveriesLast24h: 1, textsLast24h: 1 }))).toEqual({
      allow: false,
      reason: 'recovery_already_sent',
    });
    expect(decideOutbound(facts({ kind: 'conversational', recoveriesLast24h: 1, textsLast24h: 1 }))).toEqual({ allow: true });
  });

  it('when it is quiet and the cap is full, then the text is deferred: the cap is counted again when it is due', () => {
    expect(decideOutbound(facts({ kind: 'conversational', now: TWO_AM_NEW_YORK, textsLast24h: 3 }))).toMatchObject({
      reason: 'quiet_hours',
    });
  });

  it('when the number opted out at night, then its texts are refused, not deferred', () => {
    expect(decideOutbound(facts({ kind: 'follow_up', optedOut: true, now: TWO_AM_NEW_YORK }))).toEqual({
      allow: false,
      reason: 'opted_out',
    });
  });

  it('when the number says nothing about its zone, then the business zone is used', () => {
    // 02:00 in New York is 23:00 in Los Angeles, the business's zone.
    expect(decideOutbound(facts({ recipientZones: [], now: TWO_AM_NEW_YORK }))).toEqual({
      allow: false,
      reason: 'quiet_hours',
      until: new Date('2026-06-15T15:00:00Z'),
    });
  });

  it('when the candidate zones share no moment inside the window, then the text is refused with no_send_window', () => {
    const decision = decideOutbound(
      facts({ recipientZones: ['Pacific/Guam', 'America/St_Johns'], quietHours: { start: 9 * 60, end: 17 * 60 } }),
    );
    expect(decision).toEqual({ allow: false, reason: 'no_send_window' });
  });

  it('when a business narrows its window, then its texts follow it', () => {
    const nineToFive = { start: 9 * 60, end: 17 * 60 };
    expect(decideOutbound(facts({ now: new Date('2026-06-15T12:30:00Z'), quietHours: nineToFive }))).toEqual({
      allow: false,
      reason: 'quiet_hours',
      until: new Date('2026-06-15T13:00:00Z'),
    });
  });
});
