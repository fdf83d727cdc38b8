import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { Business, OutboxMessage } from '../../core/entities/index.js';
import { createFakeSmsc, type FakeSmsc } from '../fakes/smsc/index.js';
import { allSettled, queueTexts, startSmsRig, until, type SmsRig } from '../support/sms-rig.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let db: Database;
const fakes: FakeSmsc[] = [];
let rig: SmsRig | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());
afterEach(async () => {
  await rig?.stop();
  rig = null;
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fake(): Promise<FakeSmsc> {
  const created = await createFakeSmsc({ receiptDelayMs: 20 });
  fakes.push(created);
  return created;
}

describe(`separate binds and several SMSCs (${describeDatabase()})`, () => {
  it('when the connection is split, then texts leave on the transmitter bind and receipts and replies come in on the receiver bind', async () => {
    const smsc = await fake();
    rig = await startSmsRig({ db, connections: [{ smsc, bind: 'split' }] });
    const modes = smsc.bound.map((b) => b.mode).sort();
    expect(modes).toEqual(['receiver', 'transmitter']);
    const transmitter = smsc.bound.find((b) => b.mode === 'transmitter')!.sessionId;
    const receiver = smsc.bound.find((b) => b.mode === 'receiver')!.sessionId;

    const [row] = await queueTexts(db, [{ to: '+14155550301', body: 'over the transmitter' }]);
    await until(async () => (await db.fork().findOneOrFail(OutboxMessage, { id: row!.id })).status === 'delivered', 5000, 'delivered');
    const sent = smsc.submitted.find((m) => m.text === 'over the transmitter')!;
    expect(sent.sessionId).toBe(transmitter);
    expect(smsc.deliverResponses.find((r) => r.messageId === sent.messageId)).toMatchObject({ sessionId: receiver, status: 0 });

    // A reply comes in on the receiver; its answer goes out on the transmitter.
    expect(await smsc.sendMo({ from: '+14155550301', to: '+14155559999', text: 'HELP' })).toBe(0);
    const help = await smsc.waitForSubmit((m) => m.to === '14155550301' && m.text !== 'over the transmitter', 5000);
    expect(help.sessionId).toBe(transmitter);
    expect(smsc.deliverResponses.filter((r) => r.kind === 'mo').every((r) => r.sessionId === receiver)).toBe(true);
  });

  it('when two SMSCs are configured, then each text goes to the one its sender id or business is routed to, and receipts from both are matched', async () => {
    const main = await fake();
    const other = await fake();
    const em = db.fork();
    const second = Object.assign(new Business(), { id: randomUUID(), name: 'Bolt Electric', createdAt: new Date() });
    await em.persistAndFlush(second);
    rig = await startSmsRig({
      db,
      connections: [{ smsc: main }, { smsc: other, name: 'eu' }],
      routes: [
        { match: 'sender', value: '+4420*', connection: 'eu' },
        { match: 'business', value: second.id, connection: 'eu' },
      ],
    });

    const rows = await queueTexts(db, [
      { to: '+14155550302', body: 'default route', from: '+14155559999' },
      { to: '+14155550303', body: 'by sender prefix', from: '+442079460000' },
      { to: '+14155550304', body: 'by business', from: '+14155559998', businessId: second.id },
      { to: '+14155550305', body: 'default again', from: 'ACME' },
    ]);
    const settled = await allSettled(
      db,
      rows.map((r) => r.id),
    );
    await until(
      async () => (await db.fork().count(OutboxMessage, { id: { $in: rows.map((r) => r.id) }, status: 'delivered' })) === 4,
      5000,
      'every receipt',
    );

    expect([...settled.values()].every((s) => s === 'submitted' || s === 'delivered')).toBe(true);
    expect(main.submitted.map((m) => m.text).sort()).toEqual(['default again', 'default route']);
    expect(other.submitted.map((m) => m.text).sort()).toEqual(['by business', 'by sender prefix']);
    const parts = await db.fork().find(OutboxMessage, { id: { $in: rows.map((r) => r.id) } });
    for (const row of parts) {
      const where = [...main.submitted, ...other.submitted].find((m) => m.text === row.body)!;
      expect(row.smscMessageId).toBe(where.messageId);
    }
  });
});
