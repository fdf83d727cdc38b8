import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { addOutboxRow, hoursBefore } from '../compliance/gate-fixtures.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { buildAdminTestApp, type AdminTestApp } from './admin-test-app.js';

const CALLER = '+14155550100';
const OTHER = '+14155550199';
const NOW = new Date();
const LATER = new Date(NOW.getTime() + 6 * 3_600_000);

describe(`admin API: outbox, refusals and quiet hours (${describeDatabase()})`, () => {
  let db: Database;
  let t: AdminTestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await buildAdminTestApp(db);
    const base = { businessId: t.businessId, toE164: CALLER };
    // Oldest first, so the API's newest-first order is the reverse of this list.
    await addOutboxRow(db, {
      ...base,
      status: 'delivered',
      body: 'first',
      submittedAt: hoursBefore(NOW, 5),
      createdAt: hoursBefore(NOW, 5),
    });
    await addOutboxRow(db, {
      ...base,
      status: 'delivered',
      body: 'sent after waiting',
      refusalReason: 'quiet_hours',
      submittedAt: hoursBefore(NOW, 3),
      createdAt: hoursBefore(NOW, 4),
    });
    await addOutboxRow(db, {
      ...base,
      status: 'refused',
      refusalReason: 'daily_cap',
      finalAt: hoursBefore(NOW, 2),
      createdAt: hoursBefore(NOW, 3),
    });
    await addOutboxRow(db, { ...base, status: 'queued', refusalReason: 'quiet_hours', notBefore: LATER, createdAt: hoursBefore(NOW, 2) });
    await addOutboxRow(db, {
      ...base,
      toE164: OTHER,
      kind: 'follow_up',
      status: 'refused',
      refusalReason: 'opted_out',
      createdAt: hoursBefore(NOW, 1),
    });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
  });

  it('when the outbox is listed, then every text shows its status, kind, reason and times, newest first, page by page', async () => {
    const first = await t.call({ method: 'GET', url: '/api/outbox?limit=3' });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items.map((i: { refusal_reason: string | null }) => i.refusal_reason)).toEqual(['opted_out', 'quiet_hours', 'daily_cap']);
    expect(page.items[1]).toMatchObject({ status: 'queued', kind: 'conversational', to: CALLER, not_before: LATER.toISOString() });
    const second = (await t.call({ method: 'GET', url: `/api/outbox?limit=3&cursor=${page.next_cursor}` })).json();
    expect(second.items.map((i: { body: string }) => i.body)).toEqual(['sent after waiting', 'first']);
    expect(second.next_cursor).toBeNull();
  });

  it('when the outbox is filtered by status, kind, recipient (any format) or business, then only those rows come back', async () => {
    const list = async (query: string) => (await t.call({ method: 'GET', url: `/api/outbox?${query}` })).json().items;
    expect(await list('status=refused')).toHaveLength(2);
    expect(await list('kind=follow_up')).toHaveLength(1);
    expect(await list(`to=${encodeURIComponent('(415) 555-0199')}`)).toHaveLength(1);
    expect(await list(`business_id=${t.businessId}&to=${encodeURIComponent(CALLER)}`)).toHaveLength(4);
    expect(await list(`business_id=${crypto.randomUUID()}`)).toHaveLength(0);
    expect((await t.call({ method: 'GET', url: '/api/outbox?to=12' })).statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: '/api/outbox?to=banana' })).json().error.code).toBe('invalid_phone');
    expect((await t.call({ method: 'GET', url: '/api/outbox?status=lost' })).statusCode).toBe(400);
  });

  it('when a key without the admin or message_bodies scope lists the outbox, then the bodies are redacted', async () => {
    const dashboard = (await t.callAs(['messages:read'], { method: 'GET', url: '/api/outbox' })).json().items;
    expect(dashboard.every((i: { body: string | null; body_redacted: boolean }) => i.body === null && i.body_redacted)).toBe(true);
    const reader = (await t.callAs(['messages:read', 'message_bodies'], { method: 'GET', url: '/api/outbox' })).json().items;
    expect(reader.every((i: { body: string | null; body_redacted: boolean }) => typeof i.body === 'string' && !i.body_redacted)).toBe(true);
  });

  it('when refusals are listed, then each says its reason and whether it was refused, is deferred, or went later', async () => {
    const all = (await t.call({ method: 'GET', url: '/api/compliance/refusals' })).json().items;
    expect(all.map((i: { refusal_reason: string; state: string }) => [i.refusal_reason, i.state])).toEqual([
      ['opted_out', 'refused'],
      ['quiet_hours', 'deferred'],
      ['daily_cap', 'refused'],
      ['quiet_hours', 'released'],
    ]);
    const capped = (await t.call({ method: 'GET', url: '/api/compliance/refusals?reason=daily_cap' })).json().items;
    expect(capped).toHaveLength(1);
    const waiting = (await t.call({ method: 'GET', url: '/api/compliance/refusals?state=deferred' })).json().items;
    expect(waiting).toEqual([expect.objectContaining({ to: CALLER, refusal_reason: 'quiet_hours', not_before: LATER.toISOString() })]);
    const theirs = (await t.call({ method: 'GET', url: `/api/compliance/refusals?to=${encodeURIComponent(OTHER)}` })).json().items;
    expect(theirs).toHaveLength(1);
  });

  it('when a business sets its own quiet hours, then they are checked against the federal hours and shown with the default', async () => {
    const url = `/api/businesses/${t.businessId}/quiet-hours`;
    expect((await t.call({ method: 'GET', url })).json()).toEqual({
      business_id: t.businessId,
      quiet_hours: null,
      default: '08:00-20:00',
      effective: '08:00-20:00',
    });
    const set = await t.call({ method: 'PUT', url, payload: { quiet_hours: '09:00-19:30' } });
    expect(set.json()).toMatchObject({ quiet_hours: '09:00-19:30', effective: '09:00-19:30' });
    expect((await t.call({ method: 'PUT', url, payload: { quiet_hours: '07:00-20:00' } })).json().error.code).toBe('quiet_hours_too_wide');
    expect((await t.call({ method: 'PUT', url, payload: { quiet_hours: '20:00-09:00' } })).json().error.code).toBe('invalid_quiet_hours');
    expect((await t.call({ method: 'PUT', url, payload: { quiet_hours: null } })).json().effective).toBe('08:00-20:00');
  });

  it('when the policy is asked for, then it lists the caps, what they count and the exempt kinds', async () => {
    expect((await t.call({ method: 'GET', url: '/api/compliance/policy' })).json()).toEqual({
      quiet_hours_default: '08:00-20:00',
      quiet_hours_widest_allowed: '08:00-21:00',
      exempt_kinds: ['optout_confirmation', 'help', 'staff'],
      daily_cap: 3,
      recoveries_per_day: 1,
      capped_kinds: ['acknowledgement', 'conversational', 'informational', 'follow_up'],
      counted_statuses: ['sending', 'submitted', 'delivered', 'unknown'],
    });
  });
});
