import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { OutboxMessage } from '../../core/entities/index.js';
import { createFakeSmsc, type BoundSession, type FakeSmsc } from '../fakes/smsc/index.js';
import { allSettled, countByText, queueTexts, sleep, startSmsRig, until, type SmsRig } from '../support/sms-rig.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let db: Database;
let smsc: FakeSmsc | null = null;
let rig: SmsRig | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());
afterEach(async () => {
  await rig?.stop();
  await smsc?.close();
  rig = null;
  smsc = null;
});

function texts(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => ({ to: `+1415556${String(1000 + i).padStart(4, '0')}`, body: `${tag} ${i}` }));
}

function bindsOf(fake: FakeSmsc): BoundSession[] {
  const binds: BoundSession[] = [];
  fake.on('bind', (bound) => binds.push(bound));
  return binds;
}

describe(`SMPP sessions that fail (${describeDatabase()})`, () => {
  it('when the connection drops with texts in flight, then after the rebind each text reached the SMSC once, or is unknown and was not resent', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    smsc.setSubmitDelay(30);
    const fake = smsc;
    let dropped = false;
    fake.on('submit', () => {
      if (!dropped && fake.submitted.length === 20) {
        dropped = true;
        void fake.dropConnections();
      }
    });
    const binds = bindsOf(fake);
    rig = await startSmsRig({ db, connections: [{ smsc, window: 5 }] });
    const rows = await queueTexts(db, texts(60, 'drop'));

    const settled = await allSettled(
      db,
      rows.map((r) => r.id),
      30_000,
    );

    expect(dropped).toBe(true);
    expect(binds.length).toBeGreaterThanOrEqual(2);
    const counts = countByText(fake);
    const stored = await db.fork().find(OutboxMessage, { id: { $in: rows.map((r) => r.id) } });
    let unknown = 0;
    for (const row of stored) {
      const atSmsc = counts.get(row.body) ?? 0;
      if (row.status === 'submitted') {
        expect(atSmsc, row.body).toBe(1);
        expect(fake.submitted.find((m) => m.text === row.body)?.messageId).toBe(row.smscMessageId);
      } else {
        // Written, no answer before the drop: the SMSC may have it, so it is never sent again.
        expect(row.status, row.body).toBe('unknown');
        expect(atSmsc, row.body).toBeLessThanOrEqual(1);
        unknown += 1;
      }
    }
    expect([...settled.values()].filter((s) => s === 'submitted').length).toBe(60 - unknown);
    // At most one window's worth was in the air when the line went.
    expect(unknown).toBeLessThanOrEqual(5);
    expect(fake.submitted.filter((m) => m.text.startsWith('drop ')).length).toBe(stored.filter((r) => counts.has(r.body)).length);
  });

  it('when the SMSC stops answering submit_sm on a live link, then the text is unknown, never resent, and the bind is renewed', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    const binds = bindsOf(smsc);
    rig = await startSmsRig({ db, connections: [{ smsc }], tuning: { responseTimeoutMs: 400 } });
    smsc.setStall(true, 'submit');
    const [stalled] = await queueTexts(db, [{ to: '+14155557001', body: 'stalled text' }]);

    await until(async () => (await db.fork().findOneOrFail(OutboxMessage, { id: stalled!.id })).status === 'unknown', 5000, 'unknown');
    smsc.setStall(false);
    // The bind that lost a response is replaced once its other submits are settled.
    await until(() => binds.length >= 2 && rig!.gateway.state === 'bound', 5000, 'a fresh bind');
    await sleep(500);
    await rig.worker.runOnce();

    const row = await db.fork().findOneOrFail(OutboxMessage, { id: stalled!.id });
    expect(row).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(row.error).toMatch(/no submit_sm_resp/);
    expect(smsc.stalledSubmits).toBe(1);
    expect(smsc.submitted.some((m) => m.text === 'stalled text')).toBe(false);

    const [after] = await queueTexts(db, [{ to: '+14155557002', body: 'after the stall' }]);
    expect((await allSettled(db, [after!.id])).get(after!.id)).toBe('submitted');
  });

  it('when the peer stops answering enquire_link, then it is found dead, and rebound once it answers again', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    const binds = bindsOf(smsc);
    rig = await startSmsRig({ db, connections: [{ smsc }], tuning: { enquireLinkMs: 150, responseTimeoutMs: 300 } });
    const gateway = rig.gateway;
    const firstSession = smsc.bound[0]!.sessionId;
    const closed: number[] = [];
    smsc.on('session_close', (id) => closed.push(id));
    const enquiriesBefore = smsc.enquireLinks;

    smsc.setStall(true, 'all');
    await until(() => closed.includes(firstSession), 3000, 'the dead link closed');
    expect(smsc.enquireLinks).toBeGreaterThan(enquiriesBefore);
    expect(gateway.state).not.toBe('bound');
    // Still silent: the new binds go unanswered and are given up on, again and again.
    await sleep(600);
    expect(gateway.state).not.toBe('bound');

    smsc.setStall(false);
    await until(() => gateway.state === 'bound', 5000, 'rebound');
    expect(binds.at(-1)!.sessionId).toBeGreaterThan(firstSession);
    const [text] = await queueTexts(db, [{ to: '+14155557003', body: 'after the dead peer' }]);
    expect((await allSettled(db, [text!.id])).get(text!.id)).toBe('submitted');
  });
});
