import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../admin/auth/api-keys.js';
import type { Database } from '../../core/db/database.js';
import { AuditEntry, Business, Notification, OutboxMessage } from '../../core/entities/index.js';
import { createLogger } from '../../core/logging.js';
import { EmailSender } from '../../core/notifications/email-sender.js';
import { createSmtpTransport } from '../../core/notifications/mail-transport.js';
import { queueDueWeeklyReports } from '../../core/reports/weekly-report.js';
import { createFakeSmtp, type FakeSmtp } from '../fakes/smtp/index.js';
import { addStaff, setTimeZone } from '../notifications/alert-fixtures.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { buildAdminTestApp, type AdminTestApp } from './admin-test-app.js';

/** One missed call and its lead, as the call side writes them. */
async function seedCall(
  db: Database,
  businessId: string,
  call: { at: string; reason: string; outcome: string; did?: string | null; source?: string | null; phone?: string },
): Promise<string> {
  const conn = db.fork().getConnection();
  const leadId = randomUUID();
  const at = new Date(call.at);
  if (call.outcome !== 'screened') {
    await conn.execute(`insert into lead (id, business_id, phone_e164, caller_raw, source, status, created_at, updated_at) values (?, ?, ?, ?, ?, 'new', ?, ?)`, [
      leadId, businessId, call.phone ?? '+14155550100', call.phone ?? '4155550100', call.source ?? null, at, at,
    ]);
  }
  await conn.execute(
    `insert into call (id, business_id, lead_id, channel_id, uniqueid, did, reason, outcome, entered_at, ended_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [randomUUID(), businessId, call.outcome === 'screened' ? null : leadId, randomUUID(), randomUUID(), call.did ?? null, call.reason, call.outcome, at, new Date(at.getTime() + 30_000)],
  );
  return leadId;
}

async function seedText(db: Database, businessId: string, leadId: string, submittedAt: string): Promise<void> {
  await db.fork().getConnection().execute(
    `insert into outbox_message (id, business_id, lead_id, to_e164, from_addr, kind, body, status, not_before, created_at, submitted_at)
     values (?, ?, ?, '+14155550100', 'MCR', 'acknowledgement', 'hi', 'delivered', ?, ?, ?)`,
    [randomUUID(), businessId, leadId, new Date(submittedAt), new Date(submittedAt), new Date(submittedAt)],
  );
}

async function seedReply(db: Database, leadId: string, at: string): Promise<void> {
  await db.fork().getConnection().execute(`insert into conversation_message (id, lead_id, direction, body, created_at) values (?, ?, 'in', 'yes please', ?)`, [randomUUID(), leadId, new Date(at)]);
}

async function seedTask(db: Database, businessId: string, leadId: string, createdAt: string, firstAttemptAt: string | null, outcome: string | null): Promise<void> {
  await db.fork().getConnection().execute(
    `insert into callback_task (id, business_id, lead_id, reason, status, priority, attempts, due_at, created_at, first_attempt_at, outcome)
     values (?, ?, ?, 'callback_requested', ?, 0, ?, ?, ?, ?, ?)`,
    [randomUUID(), businessId, leadId, outcome ? 'done' : 'open', firstAttemptAt ? 1 : 0, new Date(createdAt), new Date(createdAt), firstAttemptAt ? new Date(firstAttemptAt) : null, outcome],
  );
}

describe(`admin API: alert rules, rota, notifications, metrics, weekly report (${describeDatabase()})`, () => {
  let db: Database;
  let admin: AdminTestApp;
  let smtp: FakeSmtp;
  let businessId: string;
  let managerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = await buildAdminTestApp(db);
    businessId = admin.businessId;
    smtp = await createFakeSmtp();
    await setTimeZone(db, businessId, 'America/New_York');
    managerId = (await addStaff(db, { businessId, name: 'Mona Manager', email: 'mona@acme.test', phoneE164: '+14155550301', manager: true, role: 'admin' })).id;

    // Week of Monday 30 November 2026 in New York, and the week before.
    const a = await seedCall(db, businessId, { at: '2026-12-01T14:00:00Z', reason: 'NOANSWER', outcome: 'consented', did: '+14155559999', source: 'google-ads' });
    await seedText(db, businessId, a, '2026-12-01T14:00:30Z');
    await seedReply(db, a, '2026-12-01T14:05:00Z');
    await db.fork().getConnection().execute(
      `insert into integration_event (id, type, business_id, lead_id, data, created_at) values (?, 'booking.created', ?, ?, '{}', ?)`,
      [randomUUID(), businessId, a, new Date('2026-12-02T16:00:00Z')],
    );
    const b = await seedCall(db, businessId, { at: '2026-12-02T23:30:00Z', reason: 'AFTERHOURS', outcome: 'callback_requested', did: '+14155558888' });
    await seedTask(db, businessId, b, '2026-12-02T23:31:00Z', '2026-12-02T23:41:00Z', 'reached');
    const c = await seedCall(db, businessId, { at: '2026-12-03T15:00:00Z', reason: 'BUSY', outcome: 'consented', did: '+14155559999', source: 'google-ads' });
    await seedText(db, businessId, c, '2026-12-03T15:01:00Z');
    await seedTask(db, businessId, c, '2026-12-03T15:05:00Z', '2026-12-03T15:25:00Z', 'no_answer');
    await seedCall(db, businessId, { at: '2026-12-03T16:00:00Z', reason: 'NOANSWER', outcome: 'screened', did: '+14155559999' });
    await seedCall(db, businessId, { at: '2026-12-07T04:30:00Z', reason: 'NOANSWER', outcome: 'no_response', did: '=HYPERLINK("x")' }); // 23:30 Sunday
    await seedCall(db, businessId, { at: '2026-11-30T04:30:00Z', reason: 'NOANSWER', outcome: 'no_response' }); // 23:30 the Sunday before
  });
  afterAll(async () => {
    await admin?.app.close();
    await smtp?.close();
    await db?.close();
  });

  it('when metrics are asked for a week, then every figure is counted in the business zone, screened calls left out', async () => {
    const res = await admin.callAs(['metrics:read'], { url: `/api/metrics?from=2026-11-30&to=2026-12-06&business_id=${businessId}` });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m).toMatchObject({
      from: '2026-11-30',
      to: '2026-12-06',
      time_zone: 'America/New_York',
      missed_calls: { total: 4, by_reason: { NOANSWER: 2, AFTERHOURS: 1, BUSY: 1 } },
      recovered: { total: 1, by_week: [{ week_start: '2026-11-30', count: 1 }] },
      time_to_first_text_ms: { p50: 45_000, p95: 58_500 },
      callback_response_ms: { p50: 900_000, p95: 1_170_000 },
      contact_rate: 0.5,
      bookings: 1,
    });
    expect(m.missed_calls.by_hour).toHaveLength(24);
    expect([m.missed_calls.by_hour[9], m.missed_calls.by_hour[18], m.missed_calls.by_hour[10], m.missed_calls.by_hour[23]]).toEqual([1, 1, 1, 1]);
    expect(m.by_did).toContainEqual({ did: '+14155559999', lead_source: 'google-ads', missed_calls: 2, recovered: 1, bookings: 1 });
    expect(m.by_did).toContainEqual({ did: '+14155558888', lead_source: null, missed_calls: 1, recovered: 0, bookings: 0 });

    const one = (await admin.call({ url: '/api/metrics?from=2026-11-30&to=2026-12-06&did=%2B14155558888' })).json();
    expect(one).toMatchObject({ missed_calls: { total: 1 }, recovered: { total: 0 }, contact_rate: 1, bookings: 0 });
    const campaign = (await admin.call({ url: '/api/metrics?from=2026-11-30&to=2026-12-06&lead_source=google-ads' })).json();
    expect(campaign).toMatchObject({ missed_calls: { total: 2 }, recovered: { total: 1 }, bookings: 1 });
  });

  it('when the CSV is asked for, then it has one row per DID and a total, with formula-like cells defused', async () => {
    const res = await admin.call({ url: '/api/metrics.csv?from=2026-11-30&to=2026-12-06' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('did,lead_source,missed_calls,recovered,bookings');
    expect(lines).toContain('+14155559999,google-ads,2,1,1');
    expect(lines).toContain(`"'=HYPERLINK(""x"")",,1,0,0`);
    expect(lines.at(-1)).toBe('total,,4,1,1');
  });

  it('when metrics are asked for badly or without the permission, then clear errors', async () => {
    expect((await admin.callAs(['callbacks:read'], { url: '/api/metrics' })).statusCode).toBe(403);
    expect((await admin.call({ url: '/api/metrics?from=2026-12-06&to=2026-11-30' })).json().error.code).toBe('invalid_range');
    expect((await admin.call({ url: '/api/metrics?from=2026-02-30&to=2026-03-01' })).json().error.code).toBe('invalid_date');
    expect((await admin.call({ url: '/api/metrics?from=2024-01-01&to=2026-03-01' })).json().error.code).toBe('range_too_long');
    expect((await admin.call({ url: "/api/metrics?from=2026-11-30'; drop table call;--" })).statusCode).toBe(400);
    const other = Object.assign(new Business(), { id: randomUUID(), name: 'Other', createdAt: new Date() });
    await db.fork().persistAndFlush(other);
    const scoped = await createApiKey(db.fork(), 'scoped', ['metrics:read']);
    await db.fork().getConnection().execute(`update api_key set business_id = ? where id = ?`, [other.id, scoped.record.id]);
    const asScoped = (url: string) => admin.app.inject({ url, headers: { authorization: `Bearer ${scoped.key}` } });
    // A key for one business sees that business by default, and another business not at all.
    expect((await asScoped('/api/metrics?from=2026-11-30&to=2026-12-06')).json()).toMatchObject({ missed_calls: { total: 0 } });
    expect((await asScoped(`/api/metrics?business_id=${businessId}`)).json().error.code).toBe('business_not_found');
  });

  it('when rules are replaced, then they are validated, audited, and DELETE restores the defaults', async () => {
    const url = `/api/businesses/${businessId}/notification-rules`;
    const defaults = (await admin.callAs(['settings:read'], { url })).json();
    expect(defaults.custom).toBe(false);
    expect(defaults.rules.find((r: { event: string }) => r.event === 'caller.urgent')).toEqual({ event: 'caller.urgent', recipients: ['on_call'], staff_ids: [], channels: ['text', 'email'] });
    expect((await admin.callAs(['settings:read'], { method: 'PUT', url, payload: { rules: [] } })).statusCode).toBe(403);
    const bad = [
      [{ event: 'lead.teleported', recipients: ['on_call'], channels: ['text'] }, 'invalid_request'],
      [{ event: 'lead.hot', recipients: [], channels: ['text'] }, 'no_recipients'],
      [{ event: 'lead.hot', recipients: ['on_call'], channels: ['webhook'] }, 'invalid_request'],
      [{ event: 'lead.hot', staff_ids: [randomUUID()], channels: ['text'] }, 'unknown_staff'],
      [{ event: 'lead.hot', recipients: ['on_call'], channels: [] }, 'invalid_request'],
    ] as const;
    for (const [rule, code] of bad) {
      const res = await admin.call({ method: 'PUT', url, payload: { rules: [rule] } });
      expect(res.statusCode, JSON.stringify(rule)).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const put = await admin.call({ method: 'PUT', url, payload: { rules: [{ event: 'booking.created', recipients: ['manager'], staff_ids: [managerId], channels: ['email'] }] } });
    expect(put.statusCode).toBe(200);
    expect((await admin.call({ url })).json()).toEqual({ custom: true, rules: [{ event: 'booking.created', recipients: ['manager'], staff_ids: [managerId], channels: ['email'] }] });
    expect(await db.fork().count(AuditEntry, { action: 'notification_rules.replace' })).toBe(1);
    expect((await admin.call({ method: 'DELETE', url })).json().custom).toBe(false);
    expect(await db.fork().count(AuditEntry, { action: 'notification_rules.reset' })).toBe(1);
  });

  it('when the rota is set, then it is read back in weekday names and who is on call now is shown', async () => {
    const night = await addStaff(db, { businessId, name: 'Nina Night', phoneE164: '+14155550302' });
    const url = `/api/businesses/${businessId}/on-call`;
    const put = await admin.call({ method: 'PUT', url, payload: { shifts: [{ staff_id: night.id, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }] } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ time_zone: 'America/New_York', on_call_now: [{ staff_id: night.id, name: 'Nina Night' }] });
    expect((await admin.call({ method: 'PUT', url, payload: { shifts: [{ staff_id: night.id, days: ['someday'], start: '25:00', end: '08:00' }] } })).statusCode).toBe(400);
    expect((await admin.call({ method: 'PUT', url, payload: { shifts: [{ staff_id: randomUUID(), days: ['mon'], start: '08:00', end: '18:00' }] } })).json().error.code).toBe('unknown_staff');
    const settings = await admin.call({ method: 'PUT', url: `/api/staff/${night.id}/alert-settings`, payload: { digest_time: '07:30', manager: false } });
    expect(settings.json()).toMatchObject({ digest_time: '07:30', manager: false });
    expect((await admin.call({ method: 'PUT', url: `/api/staff/${night.id}/alert-settings`, payload: { digest_time: '7:30pm' } })).statusCode).toBe(400);
    expect((await admin.call({ url: `/api/staff/${randomUUID()}/alert-settings` })).statusCode).toBe(404);
  });

  it('when the weekly report is due on two instances, then it is computed once, e-mailed with a chart and a CSV, and can be sent again on demand', async () => {
    const monday = new Date('2026-12-07T13:05:00Z'); // 08:05 Monday in New York
    const [x, y] = await Promise.all([queueDueWeeklyReports(db, monday), queueDueWeeklyReports(db, monday)]);
    expect(x + y).toBe(1); // one business with a manager who has an e-mail
    expect(await queueDueWeeklyReports(db, new Date('2026-12-07T14:00:00Z'))).toBe(0);
    const transport = createSmtpTransport(smtp.url);
    const sender = new EmailSender({ db, transport, from: 'reports@acme.test', logger: createLogger('silent'), now: () => new Date('2026-12-07T14:00:00Z') });
    await sender.runOnce();
    const rows = await db.fork().find(Notification, { kind: 'report' });
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([['sent', null]]);
    const mail = await smtp.waitFor((m) => m.subject.includes('weekly recovery report'));
    expect(mail.subject).toBe('Acme Plumbing: weekly recovery report, week of 2026-11-30');
    expect(mail.html).toContain('<svg');
    expect(mail.html).toContain('Missed calls</td><td><b>4</b></td><td>1</td>');
    expect(mail.text).toContain('Callers recovered: 1 (week before: 0, new)');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe('recovery-report-2026-11-30.csv');
    expect(mail.attachments[0]!.content).toContain('missed_calls,4,1');

    const report = await admin.callAs(['metrics:read'], { url: `/api/businesses/${businessId}/reports/weekly?week_start=2026-12-02` });
    expect(report.json()).toMatchObject({ week_start: '2026-11-30', week_end: '2026-12-06', current: { bookings: 1 }, previous: { missed_calls: { total: 1 } } });
    const send = await admin.call({ method: 'POST', url: `/api/businesses/${businessId}/reports/weekly/send`, payload: { week_start: '2026-11-30' } });
    expect(send.statusCode).toBe(202);
    expect(send.json()).toEqual({ week_start: '2026-11-30', queued: 1 });
    await sender.runOnce();
    transport.close();
    expect(smtp.received.filter((m) => m.subject.includes('weekly recovery report'))).toHaveLength(2);
  });

  it('when notifications are listed and one is resent, then status, attempts and errors show, and a text resend queues a new staff text', async () => {
    const em = db.fork();
    const failed = Object.assign(new Notification(), {
      id: randomUUID(), businessId, staffMemberId: managerId, kind: 'alert' as const, trigger: 'caller.urgent', channel: 'email' as const,
      dedupeKey: `test:${randomUUID()}`, toAddress: 'mona@acme.test', subject: 'Urgent caller', bodyText: 'x', status: 'failed' as const,
      attempts: 8, nextAttemptAt: new Date(), lastError: '550 mailbox unavailable', createdAt: new Date(),
    });
    const text = Object.assign(new Notification(), {
      ...failed, id: randomUUID(), dedupeKey: `test:${randomUUID()}`, channel: 'text' as const, toAddress: '+14155550301', status: 'sent' as const, attempts: 1,
      lastError: null, createdAt: new Date(Date.now() + 1000),
    });
    await em.persistAndFlush([failed, text]);
    const list = (await admin.callAs(['settings:read'], { url: '/api/notifications?status=failed' })).json();
    expect(list.items[0]).toMatchObject({ id: failed.id, status: 'failed', attempts: 8, last_error: '550 mailbox unavailable', channel: 'email' });
    const again = await admin.call({ method: 'POST', url: `/api/notifications/${failed.id}/resend` });
    expect(again.json()).toMatchObject({ status: 'queued', attempts: 0, last_error: null });
    expect((await admin.call({ method: 'POST', url: `/api/notifications/${failed.id}/resend` })).json().error.code).toBe('notification_pending');
    const resent = await admin.call({ method: 'POST', url: `/api/notifications/${text.id}/resend` });
    expect(resent.json()).toMatchObject({ status: 'sent', delivery: 'queued', attempts: 2 });
    expect(await db.fork().count(OutboxMessage, { kind: 'staff', toE164: '+14155550301' })).toBe(1);
    expect(await db.fork().count(AuditEntry, { action: 'notification.resend' })).toBe(2);
    const page1 = (await admin.call({ url: '/api/notifications?limit=1' })).json();
    const page2 = (await admin.call({ url: `/api/notifications?limit=1&cursor=${page1.next_cursor}` })).json();
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
  });
});
