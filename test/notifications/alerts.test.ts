import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { IntegrationEvent, Notification, NotificationPolicy, OutboxMessage } from '../../core/entities/index.js';
import { findOrOpenLead } from '../../core/leads/leads.js';
import type { EventConsumer } from '../../core/integration/event-consumer.js';
import { createLogger } from '../../core/logging.js';
import { EmailSender } from '../../core/notifications/email-sender.js';
import { createSmtpTransport, type MailTransport } from '../../core/notifications/mail-transport.js';
import { createNotificationDispatcher } from '../../core/notifications/notification-dispatcher.js';
import { createFakeSmtp, type FakeSmtp } from '../fakes/smtp/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { addLead, addShift, addStaff, addTask, recordEvents, setTimeZone } from './alert-fixtures.js';

const HOSTILE = `<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes" {{business}} \u0007\u001b end`;

describe(`staff alerts: rules, on-call, text and e-mail (${describeDatabase()})`, () => {
  let db: Database;
  let smtp: FakeSmtp;
  let transport: MailTransport;
  let businessId: string;
  let clock = new Date('2026-12-07T15:00:00Z'); // a Monday, 10:00 in New York
  let dispatcher: EventConsumer;
  let sender: EmailSender;
  const logger = createLogger('silent');

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await createFakeSmtp();
    transport = createSmtpTransport(smtp.url, { timeoutMs: 5000 });
    businessId = (await ensureDefaultBusiness(db.fork(), 'Acme & Sons Plumbing')).id;
    await setTimeZone(db, businessId, 'America/New_York');
    dispatcher = createNotificationDispatcher({ db, logger, defaultSenderId: '+14155559999', now: () => clock });
    sender = new EmailSender({ db, transport, from: 'Alerts <alerts@acme.test>', logger, now: () => clock, retryBaseMs: 60_000, maxAttempts: 3 });
  });
  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    await db?.close();
  });
  beforeEach(async () => {
    clock = new Date('2026-12-07T15:00:00Z');
    const em = db.fork();
    await em.nativeDelete(NotificationPolicy, {});
    await em.getConnection().execute(`delete from on_call_shift; update staff_member set disabled_at = now() where disabled_at is null`);
    smtp.received.length = 0;
  });

  it('when an urgent caller is escalated and the business has no rules, then whoever is on call gets a staff text and an e-mail with the caller text escaped', async () => {
    const onCall = await addStaff(db, { businessId, name: 'Olga On-Call', phoneE164: '+14155550101', email: 'olga@acme.test', onCall: true });
    await addStaff(db, { businessId, name: 'Rita Off', phoneE164: '+14155550102', email: 'rita@acme.test' });
    const lead = await addLead(db, businessId, '+14155550142');
    await addTask(db, lead, { dueAt: new Date('2026-12-07T15:15:00Z'), reason: 'urgent', priority: 100 });
    await recordEvents(db, [
      { type: 'conversation.escalated', businessId, leadId: lead.id, data: { lead_id: lead.id, reason: 'urgent', summary: HOSTILE } },
    ]);
    await dispatcher.drain();

    const texts = await db.fork().find(OutboxMessage, { kind: 'staff' });
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ toE164: onCall.phoneE164, kind: 'staff', author: 'system', leadId: null, status: 'queued' });
    expect(texts[0]!.body).toContain('[Acme & Sons Plumbing] Urgent caller: +14155550142');
    expect(texts[0]!.body).toContain('Call back by 10:15');
    expect(texts[0]!.body).not.toMatch(/[\u0000-\u0008]/);

    expect(await sender.runOnce()).toBe(1);
    const mail = await smtp.waitFor((m) => m.to.includes('olga@acme.test'));
    expect(mail.subject).toBe('Urgent caller: +14155550142 (Acme & Sons Plumbing)');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).toContain('Acme &amp; Sons Plumbing');
    expect(mail.html).toContain('{{business}}'); // the caller's braces are text, never a template
    expect(mail.text).toContain('<script>alert("x")</script>');
    expect(mail.text).toContain('Callback due: 2026-12-07 10:15');
    expect(smtp.received.some((m) => m.to.includes('rita@acme.test'))).toBe(false);
    const rows = await db.fork().find(Notification, { leadId: lead.id }, { orderBy: { channel: 'asc' } });
    expect(rows.map((r) => [r.channel, r.status, r.trigger])).toEqual([
      ['email', 'sent', 'caller.urgent'],
      ['text', 'sent', 'caller.urgent'],
    ]);
  });

  it('when the rota has shifts, then an alert goes to whoever the shift covers in the business zone, overnight shifts included', async () => {
    const day = await addStaff(db, { businessId, name: 'Dan Day', phoneE164: '+14155550111' });
    const night = await addStaff(db, { businessId, name: 'Nina Night', phoneE164: '+14155550112', onCall: true });
    await addShift(db, businessId, day.id, [1, 2, 3, 4, 5], '08:00', '18:00');
    await addShift(db, businessId, night.id, [1, 2, 3, 4, 5], '18:00', '08:00');
    const lead = await addLead(db, businessId, '+14155550143');
    // Tuesday 02:30 in New York: Monday's night shift still covers it.
    clock = new Date('2026-12-08T07:30:00Z');
    await recordEvents(db, [{ type: 'lead.hot', businessId, leadId: lead.id, data: { lead_id: lead.id, reason: 'repeat_call' } }]);
    await dispatcher.drain();
    // Tuesday 09:00: the day shift.
    clock = new Date('2026-12-08T14:00:00Z');
    await recordEvents(db, [{ type: 'conversation.escalated', businessId, leadId: lead.id, data: { reason: 'human_requested' } }]);
    await dispatcher.drain();
    const rows = await db.fork().find(Notification, { leadId: lead.id }, { orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.trigger, r.staffMemberId])).toEqual([
      ['lead.hot', night.id],
      ['caller.asked_for_person', day.id],
    ]);
  });

  it('when a business sets its own rules, then they replace the defaults and name staff by id', async () => {
    const manager = await addStaff(db, { businessId, name: 'Mona Manager', email: 'mona@acme.test', phoneE164: '+14155550121', manager: true });
    const named = await addStaff(db, { businessId, name: 'Ned Named', email: 'ned@acme.test' });
    await addStaff(db, { businessId, name: 'Olga', phoneE164: '+14155550122', onCall: true });
    await db.fork().persistAndFlush(
      Object.assign(new NotificationPolicy(), {
        businessId,
        updatedAt: new Date(),
        rules: [{ event: 'booking.created', recipients: ['manager'], staff_ids: [named.id], channels: ['email'] }],
      }),
    );
    const lead = await addLead(db, businessId, '+14155550144');
    await recordEvents(db, [
      { type: 'booking.created', businessId, leadId: lead.id, data: { lead_id: lead.id, starts_at: '2026-12-09T14:00:00Z' } },
      { type: 'conversation.escalated', businessId, leadId: lead.id, data: { reason: 'urgent' } },
    ]);
    await dispatcher.drain();
    const rows = await db.fork().find(Notification, { leadId: lead.id });
    expect(rows.map((r) => r.staffMemberId).sort()).toEqual([manager.id, named.id].sort());
    expect(rows.every((r) => r.trigger === 'booking.created' && r.channel === 'email')).toBe(true);
    await sender.runOnce();
    const mail = await smtp.waitFor((m) => m.to.includes('mona@acme.test'));
    expect(mail.subject).toContain('Booking made');
    expect(mail.text).toContain('When: 2026-12-09 09:00');
  });

  it('when the mail server refuses, then the e-mail is retried with growing delays, shows its error and attempts, and ends failed', async () => {
    await addStaff(db, { businessId, name: 'Mona', email: 'mona2@acme.test', manager: true });
    await recordEvents(db, [{ type: 'system.part_down', businessId, data: { part: 'smpp', down_since: '2026-12-07T14:50:00Z' } }]);
    await dispatcher.drain();
    smtp.failNext(10, 'Mailbox busy, try later', 451);
    expect(await sender.runOnce()).toBe(1);
    const em = db.fork();
    let row = await em.findOneOrFail(Notification, { toAddress: 'mona2@acme.test' });
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row.lastError).toContain('Mailbox busy');
    const firstRetry = row.nextAttemptAt.getTime() - clock.getTime();
    expect(firstRetry).toBeGreaterThan(50_000);
    expect(firstRetry).toBeLessThan(70_000);
    expect(await sender.runOnce()).toBe(0); // not due yet
    clock = new Date(row.nextAttemptAt.getTime() + 1);
    await sender.runOnce();
    row = await db.fork().findOneOrFail(Notification, { id: row.id });
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime() - clock.getTime()).toBeGreaterThan(100_000);
    clock = new Date(row.nextAttemptAt.getTime() + 1);
    await sender.runOnce();
    row = await db.fork().findOneOrFail(Notification, { id: row.id });
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.subject).toBe('SMS gateway (SMPP) down (Acme & Sons Plumbing)');
    smtp.failNext(0);
  });

  it('when a caller rings again while their lead is open, then the lead is hot once and whoever is on call is texted', async () => {
    const olga = await addStaff(db, { businessId, name: 'Olga', phoneE164: '+14155550141', onCall: true });
    const call = (at: Date) =>
      db.fork().transactional((tx) => findOrOpenLead(tx, { businessId, phone: '+14155550188', callerRaw: '4155550188', source: null, at }));
    const first = await call(new Date());
    expect((await call(new Date())).id).toBe(first.id);
    await call(new Date());
    expect(await db.fork().count(IntegrationEvent, { leadId: first.id, type: 'lead.hot' })).toBe(1);
    await dispatcher.drain();
    const rows = await db.fork().find(Notification, { leadId: first.id, trigger: 'lead.hot' });
    expect(rows.map((r) => [r.staffMemberId, r.channel])).toEqual([[olga.id, 'text']]);
  });

  it('when a staff text itself fails, then nobody is alerted about it (no loop)', async () => {
    await addStaff(db, { businessId, name: 'Olga', phoneE164: '+14155550131', onCall: true });
    await recordEvents(db, [{ type: 'delivery.failed', businessId, data: { kind: 'staff', status: 'failed', to: '+14155550131' } }]);
    await dispatcher.drain();
    expect(await db.fork().count(Notification, { trigger: 'delivery.failed' })).toBe(0);
  });
});
