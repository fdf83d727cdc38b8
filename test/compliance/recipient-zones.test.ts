import { describe, expect, it } from 'vitest';
import { recipientZones, US_CANADA_ZONES } from '../../core/compliance/recipient-zones.js';

describe("recipient zones from the number (libphonenumber's time-zone data)", () => {
  it('when a North American number has a known area code, then its zones are the area code zones', async () => {
    expect(await recipientZones('+12125550100')).toEqual({ zones: ['America/New_York'], basis: 'area_code' });
    expect(await recipientZones('+14155550142')).toEqual({ zones: ['America/Los_Angeles'], basis: 'area_code' });
    expect((await recipientZones('+19075550100')).zones.sort()).toEqual(['America/Adak', 'America/Anchorage']);
  });

  it('when a +1 number has no area code the data places (toll-free), then it may be anywhere in the US or Canada', async () => {
    expect(await recipientZones('+18002345678')).toEqual({ zones: [...US_CANADA_ZONES], basis: 'us_canada' });
  });

  it('when a number abroad is a fixed line, then its geographic prefix places it', async () => {
    expect(await recipientZones('+442079460000')).toEqual({ zones: ['Europe/London'], basis: 'prefix' });
    expect((await recipientZones('+61891234567')).zones.sort()).toEqual(['Australia/Adelaide', 'Australia/Perth']);
  });

  it('when a number abroad is a mobile, then every zone of its country is a candidate', async () => {
    const australian = await recipientZones('+61412345678');
    expect(australian.basis).toBe('country');
    expect(australian.zones).toEqual(expect.arrayContaining(['Australia/Perth', 'Australia/Sydney', 'Australia/Lord_Howe']));
    const russian = await recipientZones('+79161234567');
    expect(russian.zones).toEqual(expect.arrayContaining(['Europe/Moscow', 'Asia/Vladivostok', 'Asia/Kamchatka']));
  });

  it('when the text is not a number, then no zone is known', async () => {
    expect((await recipientZones('not-a-number')).zones).toEqual([]);
  });
});
