import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { Notification } from '../../core/entities/index.js';
import { createLogger } from '../../core/logging.js';
import { latestDigestSlot, queueDueDigests } from '../../core/notifications/digests.js';
import { EmailSender } from '../../core/notifications/email-sender.js';
import { createSmtpTransport } from '../../core/notifications/mail-transport.js';
import { createFakeSmtp, type FakeSmtp } from '../fakes/smtp/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { addLead, addStaff, addTask, recordEvents, setTimeZone } from './alert-fixtures.js';

describe('the digest schedule, across time zones and DST (fixed instants)', () => {
  it('when it is 07:59 or 08:00 in New York, then the digest due is yesterday’s or today’s', () => {
    expect(latestDigestSlot('08:00', 'America/New_York', new Date('2026-12-07T12:59:00Z')).date).toBe('2026-12-06');
    const slot = latestDigestSlot('08:00', 'America/New_York', new Date('2026-12-07T13:00:00Z'));
    expect(slot).toEqual({ date: '2026-12-07', at: new Date('2026-12-07T13:00:00Z'), since: new Date('2026-12-06T13:00:00Z') });
  });

  it('when New York springs forward (8 March 2026), then 08:00 stays 08:00 local and the period is 23 hours', () => {
    const slot = latestDigestSlot('08:00', 'America/New_York', new Date('2026-03-08T12:30:00Z'));
    expect(slot.at.toISOString()).toBe('2026-03-08T12:00:00.000Z'); // 08:00 EDT
    expect(slot.since.toISOString()).toBe('2026-03-07T13:00:00.000Z'); // 08:00 EST
    expect(slot.at.getTime() - slot.since.getTime()).toBe(23 * 3_600_000);
  });

  it('when London falls back (25 October 2026), then the period is 25 hours', () => {
    const slot = latestDigestSlot('08:00', 'Europe/London', new Date('2026-10-25T09:00:00Z'));
    expect(slot.at.toISOString()).toBe('2026-10-25T08:00:00.000Z'); // 08:00 GMT
    expect(slot.since.toISOString()).toBe('2026-10-24T07:00:00.000Z'); // 08:00 BST
  });

  it('when the digest time falls in the spring-forward gap (02:30), then it goes when the clocks jump', () => {
    const slot = latestDigestSlot('02:30', 'America/New_York', new Date('2026-03-08T08:00:00Z'));
    expect(slot.at.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
  });

  it('when the same instant is read in Tokyo and Los Angeles, then each staff member gets their own local day', () => {
    const now = new Date('2026-12-07T23:30:00Z'); // 08:30 Tuesday in Tokyo, 15:30 Monday in Los Angeles
    expect(latestDigestSlot('08:00', 'Asia/Tokyo', now).date).toBe('2026-12-08');
    expect(latestDigestSlot('08:00', 'America/Los_Angeles', now).date).toBe('2026-12-07');
  });
});

describe(`daily digests by e-mail (${describeDatabase()})`, () => {
  let db: Database;
  let smtp: FakeSmtp;
  let businessId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await createFakeSmtp();
    businessId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
    await setTimeZone(db, businessId, 'America/Chicago');
  });
  afterAll(async () => {
    await smtp?.close();
    await db?.close();
  });

  it('when two instances look at the same moment, then each staff member gets one digest with new leads, outcomes and open callbacks by due time', async () => {
    const digestAt = new Date('2026-12-08T14:00:00Z'); // 08:00 in Chicago
    const ann = await addStaff(db, { businessId, name: 'Ann', email: 'ann@acme.test', digestTime: '08:00' });
    await addStaff(db, { businessId, name: 'Bob', email: 'bob@acme.test', digestTime: '17:30' });
    await addStaff(db, { businessId, name: 'No Mail', digestTime: '08:00' });
    const hostile = await addLead(db, businessId, '+13125550101', new Date('2026-12-07T20:00:00Z'), '<b>google-ads</b>');
    await addTask(db, hostile, { dueAt: new Date('2026-12-07T20:15:00Z'), claimedBy: ann.id });
    const later = await addLead(db, businessId, '+13125550102', new Date('2026-12-08T02:00:00Z'));
    await addTask(db, later, { dueAt: new Date('2026-12-08T15:00:00Z'), reason: 'landline' });
    await addLead(db, businessId, '+13125550103', new Date('2026-12-06T20:00:00Z')); // before the period
    await recordEvents(db, [{ type: 'booking.created', businessId, leadId: later.id, data: {}, at: new Date('2026-12-08T03:00:00Z') }]);

    const counts = await Promise.all([queueDueDigests(db, digestAt), queueDueDigests(db, digestAt)]);
    expect(counts[0] + counts[1]).toBe(1);
    expect(await queueDueDigests(db, new Date(digestAt.getTime() + 60_000))).toBe(0);
    const rows = await db.fork().find(Notification, { kind: 'digest' });
    expect(rows.map((r) => [r.toAddress, r.dedupeKey])).toEqual([['ann@acme.test', `digest:${ann.id}:2026-12-08`]]);

    const transport = createSmtpTransport(smtp.url);
    const sender = new EmailSender({ db, transport, from: 'alerts@acme.test', logger: createLogger('silent'), now: () => digestAt });
    await sender.runOnce();
    transport.close();
    const mail = await smtp.waitFor((m) => m.to.includes('ann@acme.test'));
    expect(mail.subject).toBe('Acme Plumbing: 2 new lead(s), 2 open callback(s) · 2026-12-08');
    expect(mail.text).toContain('+13125550101 (<b>google-ads</b>): callback open');
    expect(mail.text).toContain('+13125550102: booked, callback open');
    expect(mail.text).not.toContain('+13125550103');
    expect(mail.html).toContain('&lt;b&gt;google-ads&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>google-ads</b>');
    // By due time, the overdue one first and marked, with its assignee.
    expect(mail.text.indexOf('+13125550101  callback requested  with Ann')).toBeGreaterThan(0);
    expect(mail.text.indexOf('OVERDUE')).toBeLessThan(mail.text.indexOf('+13125550102  landline'));
    expect(mail.text).toContain('Bookings made: 1');
  });

  it('when the app was down at digest time for more than six hours, then that day’s digest is skipped rather than sent late', async () => {
    const before = await db.fork().count(Notification, { kind: 'digest' });
    await queueDueDigests(db, new Date('2026-12-09T21:00:00Z')); // 15:00 Chicago, Ann's 08:00 long gone; Bob's 17:30 not yet
    expect(await db.fork().count(Notification, { kind: 'digest' })).toBe(before);
  });
});
