import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../admin/auth/api-keys.js';
import { buildAdminApp } from '../../admin/build-admin-app.js';
import type { HealthProbe } from '../../admin/routes/health.js';
import { ensureDefaultBusiness, mapDid } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { Business } from '../../core/entities/index.js';
import { createLogger } from '../../core/logging.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const health: HealthProbe = { database: async () => 'up', ari: () => 'off', ami: () => 'off', smpp: () => 'off' };
const emptyWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const nineToFive = { open: '09:00', close: '17:00', ends_next_day: false };
const officeWeek = { ...emptyWeek, mon: [nineToFive], tue: [nineToFive], wed: [nineToFive], thu: [nineToFive], fri: [nineToFive] };

describe(`admin API: businesses, hours, holidays, open state (${describeDatabase()})`, () => {
  let db: Database;
  let app: FastifyInstance;
  let key: string;
  let shopId: string;
  let defaultId: string;
  let changes = 0;
  // Wednesday 2026-06-10 15:00Z: 11:00 in New York.
  let now = new Date('2026-06-10T15:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildAdminApp({
      db,
      recordings: new RecordingStore('/nonexistent'),
      health,
      logger: createLogger('silent'),
      hoursChanged: () => {
        changes += 1;
      },
      now: () => now,
    });
    key = (await createApiKey(db.fork(), 'hours-test', ['admin'])).key;
    defaultId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
    const shop = Object.assign(new Business(), {
      id: randomUUID(),
      name: 'Day Shop',
      timeZone: 'America/New_York',
      createdAt: new Date(Date.now() + 1000),
    });
    await db.fork().persistAndFlush(shop);
    shopId = shop.id;
    await mapDid(db.fork(), '+12125550100', shopId, 'google-ads');
  });
  beforeEach(() => {
    changes = 0;
    now = new Date('2026-06-10T15:00:00Z');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const request = (method: InjectOptions['method'], url: string, payload?: object, apiKey: string | null = key) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  const errorCode = (response: { json(): unknown }): string => (response.json() as { error: { code: string } }).error.code;

  it('when no API key is sent, then every new route answers 401', async () => {
    const id = shopId;
    for (const [method, url] of [
      ['GET', '/api/businesses'],
      ['PATCH', `/api/businesses/${id}`],
      ['GET', `/api/businesses/${id}/hours`],
      ['PUT', `/api/businesses/${id}/hours`],
      ['GET', `/api/businesses/${id}/holidays`],
      ['POST', `/api/businesses/${id}/holidays`],
      ['DELETE', `/api/businesses/${id}/holidays/${randomUUID()}`],
      ['GET', `/api/businesses/${id}/open-state`],
    ] as const) {
      const response = await request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {}, null);
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(errorCode(response)).toBe('unauthenticated');
    }
  });

  describe('GET /api/businesses and PATCH /api/businesses/:id', () => {
    it('when listed, then every business comes with its id, zone and numbers, oldest first, page by page', async () => {
      const response = await request('GET', '/api/businesses');
      expect(response.statusCode).toBe(200);
      const body = response.json() as { items: { id: string; name: string; is_default: boolean; dids: string[]; time_zone: string }[] };
      expect(body.items.map((b) => [b.name, b.is_default, b.dids])).toEqual([
        ['Acme Plumbing', true, []],
        ['Day Shop', false, ['+12125550100']],
      ]);
      const first = (await request('GET', '/api/businesses?limit=1')).json() as { items: { id: string }[]; next_cursor: string };
      expect(first.items.map((b) => b.id)).toEqual([defaultId]);
      const second = (await request('GET', `/api/businesses?limit=1&cursor=${first.next_cursor}`)).json() as { items: { id: string }[]; next_cursor: string | null };
      expect(second).toMatchObject({ items: [{ id: shopId }], next_cursor: null });
    });

    it('when the name, zone and contact phone are patched, then they are stored (the zone as spelled by IANA) and the publisher is told', async () => {
      const response = await request('PATCH', `/api/businesses/${shopId}`, { name: ' Day Shop NYC ', time_zone: 'america/new_york', contact_phone: '+12125550199' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: shopId, name: 'Day Shop NYC', time_zone: 'America/New_York', contact_phone: '+12125550199' });
      expect(changes).toBe(1);
      const kolkata = await request('PATCH', `/api/businesses/${shopId}`, { time_zone: 'Asia/Kolkata', contact_phone: null });
      expect(kolkata.json()).toMatchObject({ time_zone: 'Asia/Kolkata', contact_phone: null, name: 'Day Shop NYC' });
      await request('PATCH', `/api/businesses/${shopId}`, { time_zone: 'America/New_York', name: 'Day Shop' });
    });

    it('when the zone is not an IANA zone, then 400 invalid_time_zone and nothing changes', async () => {
      for (const zone of ['Mars/Olympus_Mons', '+02:00', 'EST5EDT; drop table business', '']) {
        const response = await request('PATCH', `/api/businesses/${shopId}`, { time_zone: zone });
        expect(response.statusCode, zone).toBe(400);
        expect(['invalid_time_zone', 'invalid_request']).toContain(errorCode(response));
      }
      expect(errorCode(await request('PATCH', `/api/businesses/${shopId}`, { time_zone: 'Mars/Olympus_Mons' }))).toBe('invalid_time_zone');
      expect(((await request('GET', '/api/businesses')).json() as { items: { time_zone: string }[] }).items[1]?.time_zone).toBe('America/New_York');
      expect(changes).toBe(0);
    });

    it('when the contact phone is not E.164, or the body is empty, then 400 with a code', async () => {
      const phone = await request('PATCH', `/api/businesses/${shopId}`, { contact_phone: '212 555 0199' });
      expect([phone.statusCode, errorCode(phone)]).toEqual([400, 'invalid_phone']);
      const empty = await request('PATCH', `/api/businesses/${shopId}`, {});
      expect([empty.statusCode, errorCode(empty)]).toEqual([400, 'invalid_request']);
      const blank = await request('PATCH', `/api/businesses/${shopId}`, { name: '\u0007 ' });
      expect([blank.statusCode, errorCode(blank)]).toEqual([400, 'invalid_name']);
    });

    it('when the business does not exist, then 404 business_not_found; a malformed id is 400', async () => {
      const missing = await request('PATCH', `/api/businesses/${randomUUID()}`, { name: 'Ghost' });
      expect([missing.statusCode, errorCode(missing)]).toEqual([404, 'business_not_found']);
      const malformed = await request('GET', '/api/businesses/not-a-uuid/hours');
      expect([malformed.statusCode, errorCode(malformed)]).toEqual([400, 'invalid_request']);
    });
  });

  describe('GET and PUT /api/businesses/:id/hours', () => {
    it('when no hours were ever set, then the week is empty and hours_set is false', async () => {
      const response = await request('GET', `/api/businesses/${defaultId}/hours`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ business_id: defaultId, time_zone: 'America/New_York', hours_set: false, week: emptyWeek });
    });

    it('when a whole week is put, then it is stored as sent (split days and a night past midnight too) and the publisher is told', async () => {
      const week = {
        ...officeWeek,
        fri: [
          { open: '09:00', close: '12:00', ends_next_day: false },
          { open: '13:00', close: '24:00', ends_next_day: false },
        ],
        sat: [{ open: '22:00', close: '02:00', ends_next_day: true }],
      };
      const response = await request('PUT', `/api/businesses/${shopId}/hours`, { week });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ business_id: shopId, time_zone: 'America/New_York', hours_set: true, week });
      expect((await request('GET', `/api/businesses/${shopId}/hours`)).json()).toMatchObject({ week });
      expect(changes).toBe(1);
    });

    it('when a time is not HH:MM or a day is missing, then 400 invalid_request', async () => {
      const badTime = await request('PUT', `/api/businesses/${shopId}/hours`, { week: { ...emptyWeek, mon: [{ open: '9:00', close: '17:00' }] } });
      expect([badTime.statusCode, errorCode(badTime)]).toEqual([400, 'invalid_request']);
      const noSunday = { ...emptyWeek } as Partial<typeof emptyWeek>;
      delete noSunday.sun;
      const missingDay = await request('PUT', `/api/businesses/${shopId}/hours`, { week: noSunday });
      expect([missingDay.statusCode, errorCode(missingDay)]).toEqual([400, 'invalid_request']);
      expect(changes).toBe(0);
    });

    it('when a range closes before it opens without ends_next_day, then 400 invalid_range', async () => {
      const response = await request('PUT', `/api/businesses/${shopId}/hours`, { week: { ...emptyWeek, mon: [{ open: '17:00', close: '09:00' }] } });
      expect([response.statusCode, errorCode(response)]).toEqual([400, 'invalid_range']);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(/ends_next_day/);
    });

    it('when ranges overlap, on one day or from Sunday night into Monday, then 400 overlapping_ranges and the old week stays', async () => {
      const sameDay = await request('PUT', `/api/businesses/${shopId}/hours`, {
        week: { ...emptyWeek, tue: [{ open: '09:00', close: '13:00' }, { open: '12:00', close: '17:00' }] },
      });
      expect([sameDay.statusCode, errorCode(sameDay)]).toEqual([400, 'overlapping_ranges']);
      const acrossTheWeek = await request('PUT', `/api/businesses/${shopId}/hours`, {
        week: { ...emptyWeek, sun: [{ open: '20:00', close: '03:00', ends_next_day: true }], mon: [{ open: '02:00', close: '10:00' }] },
      });
      expect([acrossTheWeek.statusCode, errorCode(acrossTheWeek)]).toEqual([400, 'overlapping_ranges']);
      expect(((await request('GET', `/api/businesses/${shopId}/hours`)).json() as { hours_set: boolean }).hours_set).toBe(true);
    });

    it('when the business does not exist, then 404 business_not_found', async () => {
      const response = await request('PUT', `/api/businesses/${randomUUID()}/hours`, { week: emptyWeek });
      expect([response.statusCode, errorCode(response)]).toEqual([404, 'business_not_found']);
    });
  });

  describe('holidays and the open state', () => {
    beforeAll(async () => {
      await request('PUT', `/api/businesses/${shopId}/hours`, { week: officeWeek });
    });

    it('when open now, then the open state says so with the next change and the next opening', async () => {
      const response = await request('GET', `/api/businesses/${shopId}/open-state`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        business_id: shopId,
        time_zone: 'America/New_York',
        hours_set: true,
        at: '2026-06-10T15:00:00.000Z',
        open: true,
        next_change: { at: '2026-06-10T21:00:00.000Z', open: false },
        next_opening: '2026-06-11T13:00:00.000Z',
      });
    });

    it('when a business has no hours, then it counts as always open (holidays aside)', async () => {
      const response = await request('GET', `/api/businesses/${defaultId}/open-state`);
      expect(response.json()).toMatchObject({ hours_set: false, open: true, next_change: null });
    });

    it('when a closed holiday is added for today, then it is closed now and opens the next working day', async () => {
      const created = await request('POST', `/api/businesses/${shopId}/holidays`, { date: '2026-06-10', name: 'Stocktaking' });
      expect(created.statusCode).toBe(201);
      const holiday = created.json() as { id: string };
      expect(holiday).toMatchObject({ business_id: shopId, date: '2026-06-10', name: 'Stocktaking', closed_all_day: true, hours: [] });
      expect(changes).toBe(1);
      expect((await request('GET', `/api/businesses/${shopId}/open-state`)).json()).toMatchObject({
        open: false,
        next_change: { at: '2026-06-11T13:00:00.000Z', open: true },
      });
      const removed = await request('DELETE', `/api/businesses/${shopId}/holidays/${holiday.id}`);
      expect(removed.statusCode).toBe(204);
      expect(changes).toBe(2);
      expect(((await request('GET', `/api/businesses/${shopId}/open-state`)).json() as { open: boolean }).open).toBe(true);
      const again = await request('DELETE', `/api/businesses/${shopId}/holidays/${holiday.id}`);
      expect([again.statusCode, errorCode(again)]).toEqual([404, 'holiday_not_found']);
    });

    it('when a holiday has special hours, then they are kept and listed by date, and a second one on that date is 409', async () => {
      const eve = await request('POST', `/api/businesses/${shopId}/holidays`, {
        date: '2026-12-24',
        name: 'Christmas Eve',
        hours: [{ open: '10:00', close: '14:00' }],
      });
      expect(eve.statusCode).toBe(201);
      expect(eve.json()).toMatchObject({ closed_all_day: false, hours: [{ open: '10:00', close: '14:00', ends_next_day: false }] });
      await request('POST', `/api/businesses/${shopId}/holidays`, { date: '2026-12-25', name: 'Christmas Day', hours: [] });
      const duplicate = await request('POST', `/api/businesses/${shopId}/holidays`, { date: '2026-12-24' });
      expect([duplicate.statusCode, errorCode(duplicate)]).toEqual([409, 'holiday_exists']);

      const listed = (await request('GET', `/api/businesses/${shopId}/holidays?from=2026-12-01`)).json() as { items: { date: string; name: string }[] };
      expect(listed.items.map((h) => [h.date, h.name])).toEqual([
        ['2026-12-24', 'Christmas Eve'],
        ['2026-12-25', 'Christmas Day'],
      ]);
      const upTo = (await request('GET', `/api/businesses/${shopId}/holidays?from=2026-12-01&to=2026-12-24`)).json() as { items: unknown[] };
      expect(upTo.items).toHaveLength(1);

      now = new Date('2026-12-24T14:30:00Z'); // 09:30 EST: a normal Thursday would be open
      expect((await request('GET', `/api/businesses/${shopId}/open-state`)).json()).toMatchObject({
        open: false,
        next_change: { at: '2026-12-24T15:00:00.000Z', open: true },
        next_opening: '2026-12-24T15:00:00.000Z',
      });
    });

    it('when a holiday is invalid, then 400 with a code and nothing is stored', async () => {
      const impossibleDate = await request('POST', `/api/businesses/${shopId}/holidays`, { date: '2026-02-30' });
      expect([impossibleDate.statusCode, errorCode(impossibleDate)]).toEqual([400, 'invalid_request']);
      const overlap = await request('POST', `/api/businesses/${shopId}/holidays`, {
        date: '2026-07-03',
        hours: [{ open: '10:00', close: '14:00' }, { open: '13:00', close: '15:00' }],
      });
      expect([overlap.statusCode, errorCode(overlap)]).toEqual([400, 'overlapping_ranges']);
      const backwards = await request('POST', `/api/businesses/${shopId}/holidays`, { date: '2026-07-03', hours: [{ open: '14:00', close: '10:00' }] });
      expect([backwards.statusCode, errorCode(backwards)]).toEqual([400, 'invalid_range']);
      const listed = (await request('GET', `/api/businesses/${shopId}/holidays?from=2026-07-01&to=2026-07-31`)).json() as { items: unknown[] };
      expect(listed.items).toEqual([]);
      expect(changes).toBe(0);
    });

    it("when another business's holiday id is used, or the business is unknown, then 404", async () => {
      const own = (await request('POST', `/api/businesses/${defaultId}/holidays`, { date: '2026-08-01' })).json() as { id: string };
      const crossed = await request('DELETE', `/api/businesses/${shopId}/holidays/${own.id}`);
      expect([crossed.statusCode, errorCode(crossed)]).toEqual([404, 'holiday_not_found']);
      const unknown = await request('GET', `/api/businesses/${randomUUID()}/holidays`);
      expect([unknown.statusCode, errorCode(unknown)]).toEqual([404, 'business_not_found']);
      const unknownState = await request('GET', `/api/businesses/${randomUUID()}/open-state`);
      expect([unknownState.statusCode, errorCode(unknownState)]).toEqual([404, 'business_not_found']);
    });
  });

  it('when the OpenAPI document is read, then the new routes are described', async () => {
    const paths = Object.keys((((await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: object }).paths));
    for (const path of ['/api/businesses', '/api/businesses/{id}', '/api/businesses/{id}/hours', '/api/businesses/{id}/holidays', '/api/businesses/{id}/holidays/{holidayId}', '/api/businesses/{id}/open-state']) {
      expect(paths).toContain(path);
    }
  });
});
