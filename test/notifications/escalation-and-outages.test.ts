import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { Business, CallbackTask, IntegrationEvent, Notification, OutboxMessage } from '../../core/entities/index.js';
import { createLogger } from '../../core/logging.js';
import { createNotificationDispatcher } from '../../core/notifications/notification-dispatcher.js';
import { sweepOverdueCallbacks } from '../../core/notifications/overdue-callbacks.js';
import { PartOutageMonitor, type ObservedState } from '../../core/notifications/part-outages.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { addLead, addStaff, addTask } from './alert-fixtures.js';
import { randomUUID } from 'node:crypto';

describe(`overdue callbacks escalate, outages alert once (${describeDatabase()})`, () => {
  let db: Database;
  let businessId: string;
  const logger = createLogger('silent');

  beforeAll(async () => {
    db = await createTestDatabase();
    businessId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
  });
  afterAll(async () => db?.close());

  it('when a callback passes its due time, then its assignee is alerted once, and the manager once, 30 minutes later', async () => {
    const due = new Date('2026-12-07T15:15:00Z');
    const assignee = await addStaff(db, { businessId, name: 'Rita', phoneE164: '+14155550201' });
    const manager = await addStaff(db, { businessId, name: 'Mona', phoneE164: '+14155550202', email: 'mona@acme.test', manager: true });
    await addStaff(db, { businessId, name: 'Olga', phoneE164: '+14155550203', onCall: true });
    const lead = await addLead(db, businessId, '+14155550242');
    const task = await addTask(db, lead, { dueAt: due, status: 'claimed', claimedBy: assignee.id, claimedAt: new Date('2026-12-07T15:05:00Z') });
    const other = await addTask(db, await addLead(db, businessId, '+14155550243'), { dueAt: new Date('2026-12-07T16:00:00Z') });
    let clock = new Date('2026-12-07T15:10:00Z');
    const dispatcher = createNotificationDispatcher({ db, logger, defaultSenderId: 'MCR', now: () => clock });
    const sweep = () => sweepOverdueCallbacks(db, { now: clock, managerDelayMs: 30 * 60_000 });

    expect(await sweep()).toBe(0);
    clock = new Date('2026-12-07T15:16:00Z');
    const [a, b] = await Promise.all([sweep(), sweep()]); // two instances
    expect(a + b).toBe(1);
    expect(await sweep()).toBe(0);
    await dispatcher.drain();
    let alerts = await db.fork().find(Notification, { trigger: { $like: 'callback.overdue%' } }, { orderBy: { createdAt: 'asc' } });
    expect(alerts.map((n) => [n.trigger, n.staffMemberId, n.channel])).toEqual([['callback.overdue', assignee.id, 'text']]);
    const text = await db.fork().findOneOrFail(OutboxMessage, { id: alerts[0]!.outboxId! });
    expect(text.body).toMatch(/^\[Acme Plumbing\] Callback overdue: \+14155550242/);

    clock = new Date('2026-12-07T15:44:00Z');
    expect(await sweep()).toBe(0);
    clock = new Date('2026-12-07T15:46:00Z');
    expect(await sweep()).toBe(1);
    clock = new Date('2026-12-07T16:50:00Z'); // the other task: overdue, first step, nobody holds it
    expect(await sweep()).toBe(1); // one step per sweep: its first alert now, the manager's at a later sweep
    await dispatcher.drain();
    alerts = await db.fork().find(Notification, { trigger: { $like: 'callback.overdue%' } }, { orderBy: { createdAt: 'asc' } });
    const byTrigger = alerts.map((n) => `${n.trigger}/${n.staffMemberId === manager.id ? 'manager' : n.staffMemberId === assignee.id ? 'assignee' : 'on-call'}/${n.channel}`);
    expect(byTrigger.sort()).toEqual(
      [
        'callback.overdue/assignee/text',
        'callback.overdue.manager/manager/text',
        'callback.overdue.manager/manager/email',
        'callback.overdue/on-call/text', // the other task had no assignee
      ].sort(),
    );
    const marked = await db.fork().findOneOrFail(CallbackTask, { id: task.id });
    expect(marked.overdueAlertedAt).not.toBeNull();
    expect(marked.managerAlertedAt).not.toBeNull();
    expect((await db.fork().findOneOrFail(CallbackTask, { id: other.id })).managerAlertedAt).toBeNull();
  });

  it('when a task is done before its due time, or was overdue long before anyone looked, then nobody is alerted', async () => {
    const lead = await addLead(db, businessId, '+14155550244');
    await addTask(db, lead, { dueAt: new Date('2026-12-10T10:00:00Z'), status: 'done', closedAt: new Date('2026-12-10T09:00:00Z') });
    const old = await addTask(db, await addLead(db, businessId, '+14155550245'), { dueAt: new Date('2026-12-01T10:00:00Z') });
    const before = await db.fork().count(IntegrationEvent, { type: 'callback.overdue' });
    await sweepOverdueCallbacks(db, { now: new Date('2026-12-10T11:00:00Z'), managerDelayMs: 30 * 60_000 });
    const events = await db.fork().find(IntegrationEvent, { type: 'callback.overdue' });
    // Only the other test's remaining manager step may appear; neither of these two tasks.
    expect(events.slice(before).every((e) => e.data.callback_task_id !== old.id && e.leadId !== lead.id)).toBe(true);
    expect((await db.fork().findOneOrFail(CallbackTask, { id: old.id })).managerAlertedAt).not.toBeNull();
  });

  it('when SMPP stays down past the threshold on two instances, then one part_down per business, and one part_up once it is back', async () => {
    const second = Object.assign(new Business(), { id: randomUUID(), name: 'Second Biz', createdAt: new Date() });
    await db.fork().persistAndFlush(second);
    let clock = new Date('2026-12-07T15:00:00Z');
    const states: Record<string, ObservedState> = { a: 'down', b: 'connecting' };
    const monitor = (name: string) =>
      new PartOutageMonitor({ db, states: () => ({ smpp: states[name], ari: 'up', ami: 'off' }), downAfterMs: 5 * 60_000, intervalMs: 15_000, instanceId: name, logger, now: () => clock });
    const a = monitor('a');
    const b = monitor('b');
    const downEvents = () => db.fork().find(IntegrationEvent, { type: 'system.part_down' });
    const upEvents = () => db.fork().find(IntegrationEvent, { type: 'system.part_up' });
    await Promise.all([a.check(), b.check()]);
    clock = new Date('2026-12-07T15:04:59Z');
    await Promise.all([a.check(), b.check()]);
    expect(await downEvents()).toHaveLength(0);
    clock = new Date('2026-12-07T15:05:00Z');
    await Promise.all([a.check(), b.check()]);
    clock = new Date('2026-12-07T15:05:15Z');
    await Promise.all([a.check(), b.check()]);
    const down = await downEvents();
    expect(down.map((e) => e.businessId).sort()).toEqual([businessId, second.id].sort());
    expect(down[0]!.data).toMatchObject({ part: 'smpp', down_since: '2026-12-07T15:00:00.000Z' });
    // a is back, b still down: not over yet.
    states.a = 'up';
    const step = async (times: number) => {
      for (let i = 0; i < times; i += 1) {
        clock = new Date(clock.getTime() + 15_000);
        await Promise.all([a.check(), b.check()]);
      }
    };
    await step(8);
    expect(await upEvents()).toHaveLength(0);
    states.b = 'up';
    await step(1);
    expect(await upEvents()).toHaveLength(0); // not seen down for two intervals yet
    await step(2);
    const up = await upEvents();
    expect(up).toHaveLength(2);
    expect(up[0]!.data).toMatchObject({ part: 'smpp', down_since: '2026-12-07T15:00:00.000Z' });
    // A new outage later is alerted again.
    states.a = 'down';
    clock = new Date('2026-12-07T16:00:00Z');
    await a.check();
    clock = new Date('2026-12-07T16:05:00Z');
    await a.check();
    expect(await downEvents()).toHaveLength(4);
  });
});
