import { describe, expect, it } from 'vitest';
import { callbackDueAt } from '../../core/callbacks/callback-tasks.js';
import { openingRules } from '../../core/hours/opening-rules.js';
import type { WeeklySchedule } from '../../core/hours/opening-hours.js';

const weekdays: WeeklySchedule = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '09:00', close: '17:00' }));
const rules = openingRules('America/New_York', weekdays, [{ date: '2026-11-26', ranges: [] }]);

describe('callback due time', () => {
  it('when the call is missed in business hours, then it is due 15 minutes later', () => {
    // Tuesday 2026-11-24 10:00 in New York (EST, UTC-5).
    expect(callbackDueAt(rules, new Date('2026-11-24T15:00:00Z')).toISOString()).toBe('2026-11-24T15:15:00.000Z');
  });
  it('when the call is missed after hours, then it is due an hour after the next opening', () => {
    // Friday 18:00 -> Monday 09:00 + 1 h = 10:00 EST.
    expect(callbackDueAt(rules, new Date('2026-11-27T23:00:00Z')).toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });
  it('when the next day is a holiday, then the opening after it counts', () => {
    // Wednesday 20:00; Thursday is Thanksgiving (closed) -> Friday 10:00 EST.
    expect(callbackDueAt(rules, new Date('2026-11-26T01:00:00Z')).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });
  it('when a business has no hours set, then every miss is in hours', () => {
    const always = openingRules('Europe/London', [], []);
    expect(callbackDueAt(always, new Date('2026-11-22T03:00:00Z')).toISOString()).toBe('2026-11-22T03:15:00.000Z');
  });
});
