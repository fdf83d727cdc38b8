import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideOutbound, loadGateFacts, type GateDecision } from '../../core/compliance/compliance-gate.js';
import { storeDefaultQuietHours } from '../../core/compliance/compliance-settings.js';
import type { Database } from '../../core/db/database.js';
import { Business, OutboxMessage } from '../../core/entities/index.js';
import { appendTestConsent } from '../support/consent-fixtures.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { addOutboxRow, hoursBefore } from './gate-fixtures.js';

// 12:00 in Los Angeles (the +1 415 callers' zone): quiet hours never get in the way here.
const NOON_LA = new Date('2026-06-15T19:00:00Z');

describe(`compliance gate: caps counted in the database (${describeDatabase()})`, () => {
  let db: Database;
  let businessId: string;
  let n = 0;
  /** A consented caller of their own for each test, so counts never leak between tests. */
  const newCaller = async () => {
    const phone = `+1415555${String(1000 + n++).padStart(4, '0')}`;
    businessId = (await appendTestConsent(db, { callerE164: phone })).businessId;
    return phone;
  };
  const decide = async (row: OutboxMessage, now = NOON_LA) => decideOutbound(await loadGateFacts(db.fork(), row, now));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('when three texts reached a number in the last 24 hours, then a fourth is refused with daily_cap', async () => {
    const to = await newCaller();
    await addOutboxRow(db, { businessId, toE164: to, kind: 'acknowledgement', status: 'delivered', submittedAt: hoursBefore(NOON_LA, 23) });
    // Written, never answered: the SMSC may have it, so it counts.
    await addOutboxRow(db, { businessId, toE164: to, status: 'unknown', finalAt: hoursBefore(NOON_LA, 1) });
    // Being sent right now by another instance.
    await addOutboxRow(db, { businessId, toE164: to, status: 'sending' });
    const fourth = await addOutboxRow(db, { businessId, toE164: to, kind: 'follow_up' });
    expect(await decide(fourth)).toEqual({ allow: false, reason: 'daily_cap' });
    // Two hours on, the first (then 25 hours old) has left the rolling window.
    expect(await decide(fourth, new Date(NOON_LA.getTime() + 2 * 3_600_000))).toEqual({ allow: true });
  });

  it('when earlier texts failed, expired, were refused, still wait, or left 25 hours ago, then they do not count', async () => {
    const to = await newCaller();
    for (const status of ['failed', 'expired', 'refused', 'queued'] as const) {
      await addOutboxRow(db, { businessId, toE164: to, status, submittedAt: status === 'failed' ? hoursBefore(NOON_LA, 1) : null });
    }
    await addOutboxRow(db, { businessId, toE164: to, status: 'delivered', submittedAt: hoursBefore(NOON_LA, 25) });
    await addOutboxRow(db, { businessId, toE164: to, status: 'delivered', submittedAt: hoursBefore(NOON_LA, 2) });
    await addOutboxRow(db, { businessId, toE164: to, status: 'submitted', submittedAt: hoursBefore(NOON_LA, 1) });
    const next = await addOutboxRow(db, { businessId, toE164: to });
    const facts = await loadGateFacts(db.fork(), next, NOON_LA);
    expect(facts.textsLast24h).toBe(2);
    expect(decideOutbound(facts)).toEqual({ allow: true });
  });

  it('when STOP confirmations, HELP answers and staff texts went out, then they do not use up the cap', async () => {
    const to = await newCaller();
    for (const kind of ['help', 'help', 'optout_confirmation', 'staff'] as const) {
      await addOutboxRow(db, { businessId, toE164: to, kind, status: 'delivered', submittedAt: hoursBefore(NOON_LA, 1) });
    }
    const reply = await addOutboxRow(db, { businessId, toE164: to });
    expect((await loadGateFacts(db.fork(), reply, NOON_LA)).textsLast24h).toBe(0);
  });

  it('when a recovery text reached the number 2 hours ago, then a second one is refused with recovery_already_sent', async () => {
    const to = await newCaller();
    await addOutboxRow(db, { businessId, toE164: to, kind: 'acknowledgement', status: 'delivered', submittedAt: hoursBefore(NOON_LA, 2) });
    const second = await addOutboxRow(db, { businessId, toE164: to, kind: 'acknowledgement' });
    expect(await decide(second)).toEqual({ allow: false, reason: 'recovery_already_sent' });
    const reply = await addOutboxRow(db, { businessId, toE164: to, kind: 'conversational' });
    expect(await decide(reply)).toEqual({ allow: true });
  });

  it('when two instances decide the last text allowed for one number at once, then exactly one of them sends', async () => {
    const to = await newCaller();
    for (const hours of [3, 2]) {
      await addOutboxRow(db, { businessId, toE164: to, status: 'delivered', submittedAt: hoursBefore(NOON_LA, hours) });
    }
    const rows = [await addOutboxRow(db, { businessId, toE164: to }), await addOutboxRow(db, { businessId, toE164: to })];
    // Each in its own EntityManager and transaction, as two instances claiming different rows would.
    const claim = (row: OutboxMessage) =>
      db.fork().transactional(async (tx) => {
        const mine = await tx.findOneOrFail(OutboxMessage, { id: row.id });
        const decision = decideOutbound(await loadGateFacts(tx, mine, NOON_LA));
        mine.status = decision.allow ? 'sending' : 'refused';
        mine.refusalReason = decision.allow ? null : decision.reason;
        await tx.flush();
        // Hold the transaction open a little: the other instance must wait, not count around it.
        await new Promise((resolve) => setTimeout(resolve, 150));
        return decision;
      });
    const decisions = await Promise.all(rows.map(claim));
    expect(decisions.filter((d) => d.allow)).toHaveLength(1);
    expect(decisions.find((d) => !d.allow)).toEqual({ allow: false, reason: 'daily_cap' });
  });

  it('when one claim decides several texts for one number, then each decision counts the ones allowed before it', async () => {
    const to = await newCaller();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await addOutboxRow(db, { businessId, toE164: to })).id);
    // As the outbox worker does: one transaction, statuses changed in memory, flushed at the end.
    const decisions = await db.fork().transactional(async (tx) => {
      const rows = await tx.find(OutboxMessage, { id: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const made: GateDecision[] = [];
      for (const row of rows) {
        const decision = decideOutbound(await loadGateFacts(tx, row, NOON_LA));
        row.status = decision.allow ? 'sending' : 'refused';
        made.push(decision);
      }
      return made;
    });
    expect(decisions.map((d) => d.allow)).toEqual([true, true, true, false]);
  });

  it('when the business sets its own quiet hours, then they win over QUIET_HOURS; without, QUIET_HOURS applies', async () => {
    const to = await newCaller();
    const row = await addOutboxRow(db, { businessId, toE164: to });
    await storeDefaultQuietHours(db.fork(), { start: 9 * 60, end: 19 * 60 });
    expect((await loadGateFacts(db.fork(), row, NOON_LA)).quietHours).toEqual({ start: 540, end: 1140 });
    const em = db.fork();
    const business = await em.findOneOrFail(Business, { id: businessId });
    business.quietHours = '10:00-16:00';
    await em.flush();
    expect((await loadGateFacts(db.fork(), row, NOON_LA)).quietHours).toEqual({ start: 600, end: 960 });
    // At 08:30 in Los Angeles the text waits for the business's own 10:00.
    expect(await decide(row, new Date('2026-06-15T15:30:00Z'))).toEqual({
      allow: false,
      reason: 'quiet_hours',
      until: new Date('2026-06-15T17:00:00Z'),
    });
    business.quietHours = null;
    await em.flush();
    await storeDefaultQuietHours(db.fork(), { start: 8 * 60, end: 20 * 60 });
  });
});
