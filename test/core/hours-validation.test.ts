import { describe, expect, it } from 'vitest';
import { instantOf } from '../../core/hours/local-time.js';
import { parseIsoDate } from '../../core/hours/local-time.js';
import { normalizeTimeZone } from '../../core/hours/time-zone.js';
import { validateDayRanges, validateWeeklySchedule } from '../../core/hours/validate-ranges.js';
import { openVariableName, planOpenState } from '../../ari-app/hours/open-state-plan.js';
import { openingRules } from '../../core/hours/opening-rules.js';
import { Business, BusinessDid } from '../../core/entities/index.js';

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('validating opening ranges', () => {
  it('when ranges are well formed, touch without overlapping, or run past midnight explicitly, then there is no problem', () => {
    expect(
      validateWeeklySchedule([
        { day: 'mon', open: '09:00', close: '12:00' },
        { day: 'mon', open: '12:00', close: '17:00' },
        { day: 'fri', open: '18:00', close: '24:00' },
        { day: 'sat', open: '00:00', close: '02:00' },
        { day: 'sat', open: '22:00', close: '04:00', endsNextDay: true },
        { day: 'wed', open: '10:00', close: '10:00', endsNextDay: true },
      ]),
    ).toEqual([]);
  });

  it('when a time is not HH:MM in range, then invalid_time', () => {
    for (const [open, close] of [
      ['9:00', '17:00'],
      ['24:00', '24:00'],
      ['09:60', '17:00'],
      ['09:00', '24:01'],
      ['09:00', ''],
    ]) {
      expect(codes(validateDayRanges([{ open: open!, close: close! }])), `${open}-${close}`).toEqual(['invalid_time']);
    }
  });

  it('when a range closes at or before it opens, then invalid_range unless it says it ends the next day', () => {
    expect(codes(validateDayRanges([{ open: '17:00', close: '09:00' }]))).toEqual(['invalid_range']);
    expect(codes(validateDayRanges([{ open: '09:00', close: '09:00' }]))).toEqual(['invalid_range']);
    expect(codes(validateDayRanges([{ open: '17:00', close: '09:00', endsNextDay: true }]))).toEqual([]);
    // Ending the next day after the opening time would be longer than a day.
    expect(codes(validateDayRanges([{ open: '09:00', close: '10:00', endsNextDay: true }]))).toEqual(['invalid_range']);
    expect(codes(validateDayRanges([{ open: '09:00', close: '24:00', endsNextDay: true }]))).toEqual(['invalid_range']);
  });

  it('when ranges share a minute, on one day, into the next day, or from Sunday into Monday, then overlapping_ranges', () => {
    expect(
      codes(
        validateDayRanges([
          { open: '09:00', close: '13:00' },
          { open: '12:59', close: '17:00' },
        ]),
      ),
    ).toEqual(['overlapping_ranges']);
    expect(
      codes(
        validateWeeklySchedule([
          { day: 'fri', open: '22:00', close: '03:00', endsNextDay: true },
          { day: 'sat', open: '02:00', close: '05:00' },
        ]),
      ),
    ).toEqual(['overlapping_ranges']);
    expect(
      codes(
        validateWeeklySchedule([
          { day: 'sun', open: '22:00', close: '03:00', endsNextDay: true },
          { day: 'mon', open: '02:30', close: '05:00' },
        ]),
      ),
    ).toEqual(['overlapping_ranges']);
    expect(
      validateWeeklySchedule([
        { day: 'sun', open: '22:00', close: '03:00', endsNextDay: true },
        { day: 'mon', open: '03:00', close: '05:00' },
      ]),
    ).toEqual([]);
  });
});

describe('time zones and wall-clock readings', () => {
  it('when a zone is an IANA name, then it is kept as given (case corrected); offsets and unknown names are refused', () => {
    expect(normalizeTimeZone('America/New_York')).toBe('America/New_York');
    expect(normalizeTimeZone('america/new_york')).toBe('America/New_York');
    expect(normalizeTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(normalizeTimeZone('UTC')).toBe('UTC');
    for (const bad of ['+02:00', 'GMT+2:00', 'Mars/Olympus_Mons', 'Europe/London ', '', '../etc/passwd']) {
      expect(normalizeTimeZone(bad), bad).toBeNull();
    }
  });

  it('when a reading does not exist (spring forward), then it is the instant the clocks jump; when it happens twice, the first', () => {
    const ny = 'America/New_York';
    expect(new Date(instantOf(parseIsoDate('2026-03-08')!, 150, ny)).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(new Date(instantOf(parseIsoDate('2026-11-01')!, 90, ny)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(instantOf(parseIsoDate('2026-11-01')!, 1440, ny)).toISOString()).toBe('2026-11-02T05:00:00.000Z');
    // Samoa skipped 30 December 2011 entirely: any reading that day is the jump.
    expect(new Date(instantOf(parseIsoDate('2011-12-30')!, 720, 'Pacific/Apia')).toISOString()).toBe('2011-12-30T10:00:00.000Z');
  });

  it('when a date is not a real date, then it does not parse', () => {
    expect(parseIsoDate('2026-02-29')).toBeNull();
    expect(parseIsoDate('2028-02-29')).not.toBeNull();
    expect(parseIsoDate('2026-13-01')).toBeNull();
    expect(parseIsoDate('26-01-01')).toBeNull();
  });
});

describe('planning what Asterisk is told', () => {
  const business = (id: string, isDefault: boolean, timeZone = 'America/New_York') =>
    Object.assign(new Business(), { id, name: id, isDefault, timeZone });
  const did = (number: string, businessId: string) => Object.assign(new BusinessDid(), { did: number, businessId });
  const closedAllWeek = openingRules('America/New_York', [{ day: 'mon', open: '09:00', close: '09:30' }], []);
  const alwaysOpen = openingRules('America/New_York', [], []);

  it('when a DID is named, then only its digits count; one without digits has no variable', () => {
    expect(openVariableName('+1 (212) 555-0100')).toBe('MCR_OPEN_12125550100');
    expect(openVariableName('s')).toBeNull();
  });

  it('when two businesses claim numbers with the same digits, then the first claim wins and the clash is reported', () => {
    const plan = planOpenState(
      [
        { business: business('a', true), rules: alwaysOpen },
        { business: business('b', false), rules: closedAllWeek },
      ],
      [did('12125550100', 'b'), did('+12125550100', 'a'), did('s', 'a')],
      new Date('2026-06-10T15:00:00Z'),
    );
    expect(Object.fromEntries(plan.values)).toEqual({ MCR_OPEN_DEFAULT: '1', MCR_OPEN_12125550100: '1' });
    expect(plan.problems).toHaveLength(1);
  });

  it('when a business has a zone Intl does not know, then it is left out and reported, the others still told', () => {
    const plan = planOpenState(
      [
        { business: business('a', true), rules: alwaysOpen },
        { business: business('b', false, 'Mars/Olympus_Mons'), rules: openingRules('Mars/Olympus_Mons', [], []) },
      ],
      [did('+12125550100', 'b')],
      new Date('2026-06-10T15:00:00Z'),
    );
    expect(Object.fromEntries(plan.values)).toEqual({ MCR_OPEN_DEFAULT: '1' });
    expect(plan.problems[0]).toMatch(/Mars/);
  });
});
