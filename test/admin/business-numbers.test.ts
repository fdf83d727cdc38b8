import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../admin/auth/api-keys.js';
import { buildAdminApp } from '../../admin/build-admin-app.js';
import { ensureDefaultBusiness, resolveBusinessByDid } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { createLogger } from '../../core/logging.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';
import { screenIncomingCall } from '../../core/screening/screen-incoming-call.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

describe(`admin API: numbers and caller lists (${describeDatabase()})`, () => {
  let db: Database;
  let app: FastifyInstance;
  let key: string;
  let businessId: string;
  let changes = 0;
  const call = (options: InjectOptions) => app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } });

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildAdminApp({
      db,
      recordings: new RecordingStore('/nonexistent'),
      health: { database: async () => 'up', ari: () => 'off', ami: () => 'off', smpp: () => 'off' },
      logger: createLogger('silent'),
      hoursChanged: () => {
        changes += 1;
      },
      defaultCountry: 'US',
    });
    key = (await createApiKey(db.fork(), 'numbers-test', ['admin'])).key;
    businessId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('when a DID is mapped with a campaign tag, then calls to it resolve to the business and the open-state publisher is told', async () => {
    const put = await call({
      method: 'PUT',
      url: `/api/businesses/${businessId}/dids/(415)%20555-0000`,
      payload: { lead_source: 'google-ads' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ did: '+14155550000', lead_source: 'google-ads' });
    expect(changes).toBe(1);
    expect((await call({ method: 'GET', url: `/api/businesses/${businessId}/dids` })).json()).toEqual([
      { did: '+14155550000', lead_source: 'google-ads' },
    ]);
    expect((await resolveBusinessByDid(db.fork(), '+14155550000')).leadSource).toBe('google-ads');
    expect((await call({ method: 'DELETE', url: `/api/businesses/${businessId}/dids/+14155550000` })).statusCode).toBe(204);
    expect((await call({ method: 'DELETE', url: `/api/businesses/${businessId}/dids/+14155550000` })).json().error.code).toBe(
      'did_not_found',
    );
  });

  it('when bad input comes, then the answer is a 4xx with a stable code', async () => {
    expect((await call({ method: 'PUT', url: `/api/businesses/${businessId}/dids/<script>`, payload: {} })).json().error.code).toBe(
      'invalid_did',
    );
    expect(
      (await call({ method: 'PUT', url: `/api/businesses/${businessId}/dids/4155550000`, payload: { lead_source: '<b>x</b>' } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call({ method: 'PUT', url: `/api/businesses/${businessId}/caller-list/12345`, payload: { list: 'block' } })).json().error.code,
    ).toBe('invalid_phone');
    expect(
      (await call({ method: 'PUT', url: `/api/businesses/${businessId}/caller-list/+14155550111`, payload: { list: 'maybe' } })).statusCode,
    ).toBe(400);
    expect((await call({ method: 'GET', url: `/api/businesses/${crypto.randomUUID()}/caller-list` })).json().error.code).toBe(
      'business_not_found',
    );
    expect((await app.inject({ method: 'GET', url: `/api/businesses/${businessId}/dids` })).statusCode).toBe(401);
  });

  it('when a number is block-listed through the API, then screening blocks it; allow-listed, it goes through', async () => {
    const put = await call({
      method: 'PUT',
      url: `/api/businesses/${businessId}/caller-list/+14155550111`,
      payload: { list: 'block', note: 'robocaller' },
    });
    expect(put.json()).toMatchObject({ phone: '+14155550111', list: 'block', note: 'robocaller' });
    const facts = { callerNumber: '+14155550111', dialedNumber: null, stirShakenResult: null, at: new Date() };
    expect(await screenIncomingCall(db.fork(), 'US', facts)).toEqual({ screened: true, reason: 'blocked' });
    await call({ method: 'PUT', url: `/api/businesses/${businessId}/caller-list/+14155550111`, payload: { list: 'allow' } });
    expect(await screenIncomingCall(db.fork(), 'US', facts)).toEqual({ screened: false });
    expect((await call({ method: 'GET', url: `/api/businesses/${businessId}/caller-list?list=allow` })).json()).toHaveLength(1);
    expect((await call({ method: 'DELETE', url: `/api/businesses/${businessId}/caller-list/+14155550111` })).statusCode).toBe(204);
  });
});
