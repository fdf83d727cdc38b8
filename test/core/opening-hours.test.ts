import { describe, expect, it } from 'vitest';
import { isOpen, nextChange, nextOpening, type Holiday, type WeeklyRange, type WeeklySchedule } from '../../core/hours/opening-hours.js';
import { WEEKDAYS } from '../../core/hours/schedule-types.js';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const at = (iso: string): Date => new Date(iso);
const week =
  (...days: WeeklyRange['day'][]) =>
  (open: string, close: string, endsNextDay = false): WeeklyRange[] =>
    days.map((day) => ({ day, open, close, endsNextDay }));
const weekdays = week('mon', 'tue', 'wed', 'thu', 'fri');
const officeHours: WeeklySchedule = weekdays('09:00', '17:00');
const allWeek: WeeklySchedule = WEEKDAYS.map((day) => ({ day, open: '00:00', close: '24:00' }));
const change = (iso: string, open: boolean) => ({ at: at(iso), open });

describe('opening hours on ordinary days', () => {
  it('when it is inside a range, then it is open; at the closing minute it is closed, at the opening minute open', () => {
    // Wednesday 2026-06-10, New York is on EDT (UTC-4).
    expect(isOpen(officeHours, [], NY, at('2026-06-10T12:59:59Z'))).toBe(false);
    expect(isOpen(officeHours, [], NY, at('2026-06-10T13:00:00Z'))).toBe(true);
    expect(isOpen(officeHours, [], NY, at('2026-06-10T20:59:59Z'))).toBe(true);
    expect(isOpen(officeHours, [], NY, at('2026-06-10T21:00:00Z'))).toBe(false);
  });

  it('when asked for the next change, then it gives the flip and the state after it, skipping the weekend', () => {
    expect(nextChange(officeHours, [], NY, at('2026-06-10T12:00:00Z'))).toEqual(change('2026-06-10T13:00:00Z', true));
    expect(nextChange(officeHours, [], NY, at('2026-06-10T13:00:00Z'))).toEqual(change('2026-06-10T21:00:00Z', false));
    expect(nextChange(officeHours, [], NY, at('2026-06-12T21:00:00Z'))).toEqual(change('2026-06-15T13:00:00Z', true));
  });

  it('when the same hours are read in winter, then they follow the local clock (EST, UTC-5)', () => {
    expect(isOpen(officeHours, [], NY, at('2026-01-14T13:30:00Z'))).toBe(false);
    expect(nextChange(officeHours, [], NY, at('2026-01-14T13:30:00Z'))).toEqual(change('2026-01-14T14:00:00Z', true));
  });

  it('when a day has several ranges, then the lunch break closes it, and touching ranges make no flip', () => {
    const split: WeeklySchedule = [...week('tue')('08:00', '12:00'), ...week('tue')('13:00', '15:00'), ...week('tue')('15:00', '18:00')];
    expect(isOpen(split, [], NY, at('2026-06-09T16:30:00Z'))).toBe(false);
    expect(nextChange(split, [], NY, at('2026-06-09T15:00:00Z'))).toEqual(change('2026-06-09T16:00:00Z', false));
    expect(nextChange(split, [], NY, at('2026-06-09T16:30:00Z'))).toEqual(change('2026-06-09T17:00:00Z', true));
    expect(nextChange(split, [], NY, at('2026-06-09T18:00:00Z'))).toEqual(change('2026-06-09T22:00:00Z', false));
  });

  it('when nothing is ever open, or everything always, then there is no next change', () => {
    expect(isOpen([], [], NY, at('2026-06-10T15:00:00Z'))).toBe(false);
    expect(nextChange([], [], NY, at('2026-06-10T15:00:00Z'))).toBeNull();
    expect(nextOpening([], [], NY, at('2026-06-10T15:00:00Z'))).toBeNull();
    expect(isOpen(allWeek, [], NY, at('2026-03-08T07:00:00Z'))).toBe(true);
    expect(nextChange(allWeek, [], NY, at('2026-06-10T15:00:00Z'))).toBeNull();
  });
});

describe('opening hours around midnight', () => {
  const lateBar = week('fri')('22:00', '02:00', true);

  it('when a range ends the next day, then it is open after midnight and closes at the next day time', () => {
    // Friday 2026-06-12 22:00 EDT = 2026-06-13T02:00Z; Saturday 02:00 EDT = 06:00Z.
    expect(isOpen(lateBar, [], NY, at('2026-06-13T05:00:00Z'))).toBe(true);
    expect(isOpen(lateBar, [], NY, at('2026-06-13T06:00:00Z'))).toBe(false);
    expect(nextChange(lateBar, [], NY, at('2026-06-13T03:00:00Z'))).toEqual(change('2026-06-13T06:00:00Z', false));
  });

  it('when Sunday night runs past midnight, then Monday morning is still open', () => {
    const sunday = week('sun')('20:00', '03:00', true);
    // Monday 2026-06-15 01:00 EDT = 05:00Z.
    expect(isOpen(sunday, [], NY, at('2026-06-15T05:00:00Z'))).toBe(true);
    expect(isOpen(sunday, [], NY, at('2026-06-15T07:00:00Z'))).toBe(false);
  });

  it('when a range closes at 24:00 and the next day opens at 00:00, then midnight is no flip', () => {
    const evening = [...week('fri')('18:00', '24:00'), ...week('sat')('00:00', '02:00')];
    expect(isOpen(evening, [], NY, at('2026-06-13T04:00:00Z'))).toBe(true);
    expect(nextChange(evening, [], NY, at('2026-06-12T23:00:00Z'))).toEqual(change('2026-06-13T06:00:00Z', false));
  });

  it('when a range lasts a whole day (10:00 to 10:00 the next day), then it is open all that time', () => {
    const day = week('wed')('10:00', '10:00', true);
    // Wednesday 2026-06-10 10:00 EDT = 14:00Z to Thursday 14:00Z.
    expect(isOpen(day, [], NY, at('2026-06-11T13:59:00Z'))).toBe(true);
    expect(nextChange(day, [], NY, at('2026-06-10T15:00:00Z'))).toEqual(change('2026-06-11T14:00:00Z', false));
  });

  it('when a range closes at 24:00 and nothing follows, then it closes at midnight', () => {
    expect(nextChange(week('fri')('18:00', '24:00'), [], NY, at('2026-06-12T23:00:00Z'))).toEqual(change('2026-06-13T04:00:00Z', false));
  });
});

describe('opening hours across DST in America/New_York', () => {
  // Spring forward: Sunday 2026-03-08, 02:00 EST becomes 03:00 EDT at 07:00Z.
  // Fall back: Sunday 2026-11-01, 02:00 EDT becomes 01:00 EST at 06:00Z.

  it('when the week crosses spring-forward, then Monday opens at 09:00 EDT (13:00Z), not an hour late', () => {
    expect(nextChange(officeHours, [], NY, at('2026-03-06T22:00:00Z'))).toEqual(change('2026-03-09T13:00:00Z', true));
    expect(nextChange(officeHours, [], NY, at('2026-03-09T13:00:00Z'))).toEqual(change('2026-03-09T21:00:00Z', false));
  });

  it('when a range spans the skipped hour, then it is as long as the clock shows (01:00-04:00 is 2 hours)', () => {
    const sunday = week('sun')('01:00', '04:00');
    expect(nextChange(sunday, [], NY, at('2026-03-08T05:00:00Z'))).toEqual(change('2026-03-08T06:00:00Z', true));
    expect(isOpen(sunday, [], NY, at('2026-03-08T07:30:00Z'))).toBe(true);
    expect(nextChange(sunday, [], NY, at('2026-03-08T06:30:00Z'))).toEqual(change('2026-03-08T08:00:00Z', false));
  });

  it('when a range opens inside the skipped hour (02:30), then it opens when the clocks jump (03:00 EDT)', () => {
    const sunday = week('sun')('02:30', '05:00');
    expect(isOpen(sunday, [], NY, at('2026-03-08T06:59:59Z'))).toBe(false);
    expect(isOpen(sunday, [], NY, at('2026-03-08T07:00:00Z'))).toBe(true);
    expect(nextChange(sunday, [], NY, at('2026-03-08T05:00:00Z'))).toEqual(change('2026-03-08T07:00:00Z', true));
  });

  it('when a whole range lies in the skipped hour, then that Sunday it never opens, and next Sunday it does', () => {
    const sunday = week('sun')('02:00', '03:00');
    expect(isOpen(sunday, [], NY, at('2026-03-08T07:00:00Z'))).toBe(false);
    expect(nextChange(sunday, [], NY, at('2026-03-07T12:00:00Z'))).toEqual(change('2026-03-15T06:00:00Z', true));
  });

  it('when a night range crosses spring-forward, then it closes at 06:00 EDT (7 hours, not 8)', () => {
    const night = week('sat')('22:00', '06:00', true);
    expect(nextChange(night, [], NY, at('2026-03-08T01:00:00Z'))).toEqual(change('2026-03-08T03:00:00Z', true));
    expect(nextChange(night, [], NY, at('2026-03-08T03:00:00Z'))).toEqual(change('2026-03-08T10:00:00Z', false));
  });

  it('when the week crosses fall-back, then Monday opens at 09:00 EST (14:00Z)', () => {
    expect(nextChange(officeHours, [], NY, at('2026-10-30T22:00:00Z'))).toEqual(change('2026-11-02T14:00:00Z', true));
  });

  it('when a range closes inside the repeated hour (01:30), then it closes the first time the clock shows 01:30', () => {
    const sunday = week('sun')('00:00', '01:30');
    expect(nextChange(sunday, [], NY, at('2026-11-01T05:00:00Z'))).toEqual(change('2026-11-01T05:30:00Z', false));
    // 06:15Z reads 01:15 EST, the second time round: it stays closed.
    expect(isOpen(sunday, [], NY, at('2026-11-01T06:15:00Z'))).toBe(false);
  });

  it('when a range opens inside the repeated hour, then it opens the first time and lasts through the repeat', () => {
    const sunday = week('sun')('01:30', '03:00');
    expect(nextChange(sunday, [], NY, at('2026-11-01T04:00:00Z'))).toEqual(change('2026-11-01T05:30:00Z', true));
    expect(isOpen(sunday, [], NY, at('2026-11-01T06:10:00Z'))).toBe(true);
    expect(nextChange(sunday, [], NY, at('2026-11-01T05:30:00Z'))).toEqual(change('2026-11-01T08:00:00Z', false));
  });

  it('when a night range crosses fall-back, then it closes at 02:00 EST (5 hours, not 4)', () => {
    const night = week('sat')('22:00', '02:00', true);
    expect(isOpen(night, [], NY, at('2026-11-01T06:30:00Z'))).toBe(true);
    expect(nextChange(night, [], NY, at('2026-11-01T03:00:00Z'))).toEqual(change('2026-11-01T07:00:00Z', false));
  });
});

describe('opening hours across DST in Europe/London', () => {
  // Spring forward: Sunday 2026-03-29, 01:00 GMT becomes 02:00 BST at 01:00Z.
  // Fall back: Sunday 2026-10-25, 02:00 BST becomes 01:00 GMT at 01:00Z.
  const london = weekdays('09:00', '17:30');

  it('when the clocks go forward, then Friday opens at 09:00Z and Monday at 08:00Z', () => {
    expect(nextChange(london, [], LONDON, at('2026-03-27T07:00:00Z'))).toEqual(change('2026-03-27T09:00:00Z', true));
    expect(nextChange(london, [], LONDON, at('2026-03-27T18:00:00Z'))).toEqual(change('2026-03-30T08:00:00Z', true));
    expect(nextChange(london, [], LONDON, at('2026-03-30T08:00:00Z'))).toEqual(change('2026-03-30T16:30:00Z', false));
  });

  it('when a Sunday range overlaps the skipped hour, then it opens at the jump and closes at 02:30 BST', () => {
    const sunday = week('sun')('01:30', '02:30');
    expect(nextChange(sunday, [], LONDON, at('2026-03-29T00:00:00Z'))).toEqual(change('2026-03-29T01:00:00Z', true));
    expect(nextChange(sunday, [], LONDON, at('2026-03-29T01:00:00Z'))).toEqual(change('2026-03-29T01:30:00Z', false));
  });

  it('when the clocks go back, then 00:30-01:30 closes at the first 01:30 (00:30Z) and stays closed through the repeat', () => {
    const sunday = week('sun')('00:30', '01:30');
    expect(nextChange(sunday, [], LONDON, at('2026-10-24T22:00:00Z'))).toEqual(change('2026-10-24T23:30:00Z', true));
    expect(nextChange(sunday, [], LONDON, at('2026-10-24T23:30:00Z'))).toEqual(change('2026-10-25T00:30:00Z', false));
    expect(isOpen(sunday, [], LONDON, at('2026-10-25T01:15:00Z'))).toBe(false);
    expect(nextChange(london, [], LONDON, at('2026-10-23T18:00:00Z'))).toEqual(change('2026-10-26T09:00:00Z', true));
  });
});

describe('opening hours in zones with unusual shifts', () => {
  it('when Lord Howe Island moves its clocks by 30 minutes, then a range inside the gap opens at the jump', () => {
    // Sunday 2026-10-04: 02:00 +10:30 becomes 02:30 +11 at 2026-10-03T15:30Z.
    const sunday = week('sun')('02:15', '04:00');
    expect(nextChange(sunday, [], 'Australia/Lord_Howe', at('2026-10-03T12:00:00Z'))).toEqual(change('2026-10-03T15:30:00Z', true));
    expect(nextChange(sunday, [], 'Australia/Lord_Howe', at('2026-10-03T15:30:00Z'))).toEqual(change('2026-10-03T17:00:00Z', false));
  });
});

describe('opening hours on holidays', () => {
  const christmas: Holiday = { date: '2026-12-25', ranges: [] };

  it('when a weekday is a closed holiday, then it is closed all day and the next opening is the next working day', () => {
    // Friday 2026-12-25; Monday 2026-12-28 09:00 EST = 14:00Z.
    expect(isOpen(officeHours, [christmas], NY, at('2026-12-25T16:00:00Z'))).toBe(false);
    expect(nextChange(officeHours, [christmas], NY, at('2026-12-24T23:00:00Z'))).toEqual(change('2026-12-28T14:00:00Z', true));
  });

  it('when a holiday has special hours, then only those count that day', () => {
    const eve: Holiday = { date: '2026-12-24', ranges: [{ open: '10:00', close: '14:00' }] };
    expect(isOpen(officeHours, [eve], NY, at('2026-12-24T14:30:00Z'))).toBe(false);
    expect(isOpen(officeHours, [eve], NY, at('2026-12-24T15:30:00Z'))).toBe(true);
    expect(nextChange(officeHours, [eve], NY, at('2026-12-24T15:30:00Z'))).toEqual(change('2026-12-24T19:00:00Z', false));
    expect(nextChange(officeHours, [eve], NY, at('2026-12-24T19:00:00Z'))).toEqual(change('2026-12-25T14:00:00Z', true));
  });

  it('when a closed holiday follows a night range, then the night stops at the holiday midnight', () => {
    const night = week('thu')('22:00', '02:00', true);
    // Thursday 2026-12-24 22:00 EST = 2026-12-25T03:00Z; midnight is 05:00Z.
    expect(nextChange(night, [christmas], NY, at('2026-12-25T04:00:00Z'))).toEqual(change('2026-12-25T05:00:00Z', false));
    expect(isOpen(night, [christmas], NY, at('2026-12-25T06:00:00Z'))).toBe(false);
  });

  it('when holiday hours run past midnight into a normal day, then they carry on into it', () => {
    const newYearsEve: Holiday = { date: '2026-12-31', ranges: [{ open: '20:00', close: '01:00', endsNextDay: true }] };
    // Friday 2027-01-01 01:00 EST = 06:00Z.
    expect(isOpen([], [newYearsEve], NY, at('2027-01-01T05:30:00Z'))).toBe(true);
    expect(nextChange([], [newYearsEve], NY, at('2027-01-01T05:30:00Z'))).toEqual(change('2027-01-01T06:00:00Z', false));
  });

  it('when a holiday falls on the fall-back Sunday, then its special hours follow the clock (01:00-04:00 is 4 hours)', () => {
    const fallBack: Holiday = { date: '2026-11-01', ranges: [{ open: '01:00', close: '04:00' }] };
    expect(nextChange([], [fallBack], NY, at('2026-11-01T04:00:00Z'))).toEqual(change('2026-11-01T05:00:00Z', true));
    expect(nextChange([], [fallBack], NY, at('2026-11-01T05:00:00Z'))).toEqual(change('2026-11-01T09:00:00Z', false));
  });

  it('when an always-open business has a holiday months away, then the next change is that holiday', () => {
    const far: Holiday = { date: '2027-07-04', ranges: [] };
    expect(nextChange(allWeek, [far], NY, at('2026-12-01T12:00:00Z'))).toEqual(change('2027-07-04T04:00:00Z', false));
    expect(nextOpening(allWeek, [far], NY, at('2026-12-01T12:00:00Z'))).toEqual(at('2027-07-05T04:00:00Z'));
  });
});

describe('the next opening (for the callback SLA: one hour after it)', () => {
  it('when closed, then it is the next opening; when open, the opening after this period', () => {
    expect(nextOpening(officeHours, [], NY, at('2026-06-13T15:00:00Z'))).toEqual(at('2026-06-15T13:00:00Z'));
    expect(nextOpening(officeHours, [], NY, at('2026-06-10T15:00:00Z'))).toEqual(at('2026-06-11T13:00:00Z'));
    expect(nextOpening(officeHours, [], NY, at('2026-06-10T13:00:00Z'))).toEqual(at('2026-06-11T13:00:00Z'));
  });

  it('when the next opening is across spring-forward, then it is the local 09:00', () => {
    expect(nextOpening(officeHours, [], NY, at('2026-03-07T15:00:00Z'))).toEqual(at('2026-03-09T13:00:00Z'));
  });

  it('when the zone is not a real zone, then it throws rather than guessing', () => {
    expect(() => isOpen(officeHours, [], 'Mars/Olympus_Mons', at('2026-06-10T15:00:00Z'))).toThrow(RangeError);
  });
});
