import { describe, expect, it } from 'vitest';
import { nextAllowedInstant, parseSendWindow, DEFAULT_SEND_WINDOW, formatSendWindow } from '../../core/compliance/quiet-hours.js';

const at = (iso: string) => new Date(iso);
const nextFor = (iso: string, zones: string[], window = DEFAULT_SEND_WINDOW) => nextAllowedInstant(at(iso), zones, window)?.toISOString();
const NEW_YORK = ['America/New_York'];
const LONDON = ['Europe/London'];

describe('quiet hours: the send window in the recipient zones', () => {
  it('when a window is written HH:MM-HH:MM, then it is read and written back; nonsense is refused', () => {
    expect(parseSendWindow('08:00-20:00')).toEqual({ start: 480, end: 1200 });
    expect(parseSendWindow('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(formatSendWindow({ start: 510, end: 1260 })).toBe('08:30-21:00');
    for (const bad of ['20:00-08:00', '08:00-08:00', '8:00-20:00', '08:00-25:00', '24:00-24:00', '08:00', 'off']) {
      expect(parseSendWindow(bad)).toBeNull();
    }
  });

  it('when it is 02:00 in New York, then a text waits until 08:00 New York time', () => {
    expect(nextFor('2026-06-15T06:00:00Z', NEW_YORK)).toBe('2026-06-15T12:00:00.000Z');
  });

  it('when it is inside the window, then the answer is now; 20:00 itself is already quiet', () => {
    expect(nextFor('2026-06-14T23:59:00Z', NEW_YORK)).toBe('2026-06-14T23:59:00.000Z');
    expect(nextFor('2026-06-15T00:00:00Z', NEW_YORK)).toBe('2026-06-15T12:00:00.000Z');
  });

  it('when New York springs forward (8 March 2026), then 08:00 that morning is 12:00 UTC, not 13:00', () => {
    expect(nextFor('2026-03-07T11:30:00Z', NEW_YORK)).toBe('2026-03-07T13:00:00.000Z');
    expect(nextFor('2026-03-08T06:30:00Z', NEW_YORK)).toBe('2026-03-08T12:00:00.000Z');
    // 19:59 EDT is still inside; 20:00 EDT (00:00 UTC) is not.
    expect(nextFor('2026-03-08T23:59:00Z', NEW_YORK)).toBe('2026-03-08T23:59:00.000Z');
    expect(nextFor('2026-03-09T00:00:00Z', NEW_YORK)).toBe('2026-03-09T12:00:00.000Z');
  });

  it('when New York falls back (1 November 2026), then both 01:30s wait for 08:00 EST (13:00 UTC)', () => {
    expect(nextFor('2026-11-01T05:30:00Z', NEW_YORK)).toBe('2026-11-01T13:00:00.000Z');
    expect(nextFor('2026-11-01T06:30:00Z', NEW_YORK)).toBe('2026-11-01T13:00:00.000Z');
    expect(nextFor('2026-11-02T00:30:00Z', NEW_YORK)).toBe('2026-11-02T00:30:00.000Z');
    expect(nextFor('2026-11-02T01:00:00Z', NEW_YORK)).toBe('2026-11-02T13:00:00.000Z');
  });

  it('when London springs forward (29 March 2026), then 08:00 BST is 07:00 UTC', () => {
    expect(nextFor('2026-03-28T07:30:00Z', LONDON)).toBe('2026-03-28T08:00:00.000Z');
    expect(nextFor('2026-03-29T06:30:00Z', LONDON)).toBe('2026-03-29T07:00:00.000Z');
  });

  it('when London falls back (25 October 2026), then 20:30 BST the evening before waits for 08:00 GMT', () => {
    expect(nextFor('2026-10-24T19:30:00Z', LONDON)).toBe('2026-10-25T08:00:00.000Z');
    expect(nextFor('2026-10-25T07:30:00Z', LONDON)).toBe('2026-10-25T08:00:00.000Z');
    expect(nextFor('2026-10-25T19:30:00Z', LONDON)).toBe('2026-10-25T19:30:00.000Z');
  });

  it('when a number may be in Adak or Anchorage, then texts go only while it is daytime in both', () => {
    const alaska = ['America/Adak', 'America/Anchorage'];
    // 08:30 in Anchorage is 07:30 in Adak: wait for 08:00 Adak.
    expect(nextFor('2026-06-15T16:30:00Z', alaska)).toBe('2026-06-15T17:00:00.000Z');
    // 20:30 in Anchorage is 19:30 in Adak: Anchorage is quiet, so wait for the next Adak morning.
    expect(nextFor('2026-06-16T04:30:00Z', alaska)).toBe('2026-06-16T17:00:00.000Z');
    expect(nextFor('2026-06-16T03:30:00Z', alaska)).toBe('2026-06-16T03:30:00.000Z');
  });

  it('when a country spans many zones, then the window is what is daytime in all of them', () => {
    // Australia: Christmas Island (UTC+7) to Lord Howe (UTC+11 in January): 01:00-09:00 UTC.
    const australia = ['Australia/Perth', 'Australia/Sydney', 'Australia/Lord_Howe', 'Indian/Christmas'];
    expect(nextFor('2026-01-15T00:30:00Z', australia)).toBe('2026-01-15T01:00:00.000Z');
    expect(nextFor('2026-01-15T08:59:00Z', australia)).toBe('2026-01-15T08:59:00.000Z');
    expect(nextFor('2026-01-15T09:00:00Z', australia)).toBe('2026-01-16T01:00:00.000Z');
  });

  it('when the zones share no moment inside the window, then there is no next instant', () => {
    const farApart = ['Pacific/Guam', 'America/St_Johns'];
    expect(nextFor('2026-06-15T12:00:00Z', farApart, { start: 9 * 60, end: 17 * 60 })).toBeUndefined();
    expect(nextAllowedInstant(at('2026-06-15T12:00:00Z'), [], DEFAULT_SEND_WINDOW)).toBeNull();
  });
});
