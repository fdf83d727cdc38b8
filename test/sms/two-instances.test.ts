import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../core/db/database.js';
import { OutboxMessage } from '../../core/entities/index.js';
import { createFakeSmsc, type FakeSmsc } from '../fakes/smsc/index.js';
import { allSettled, countByText, queueTexts, startSmsRig, type SmsRig } from '../support/sms-rig.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let db: Database & { url?: string };
/** The second instance's own connection pool (on the server); the embedded database has one connection, so both share it. */
let secondDb: Database;
let smsc: FakeSmsc;
let first: SmsRig;
let second: SmsRig;

beforeAll(async () => {
  db = await createTestDatabase();
  secondDb = db.url ? await openDatabase({ url: db.url, poolMax: 5 }) : db;
  smsc = await createFakeSmsc({ receiptDelayMs: 20 });
  smsc.setSubmitDelay(5);
  first = await startSmsRig({ db, connections: [{ smsc, window: 5 }], worker: { batchSize: 7 } });
  second = await startSmsRig({ db: secondDb, connections: [{ smsc, window: 5 }], worker: { batchSize: 7 } });
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await smsc?.close();
  if (secondDb !== db) await secondDb?.close();
  await db?.close();
});

describe(`two instances on one database (${describeDatabase()})`, () => {
  it('when two outbox workers with their own SMPP binds share the queue, then every text is sent exactly once', async () => {
    const rows = await queueTexts(
      db,
      Array.from({ length: 200 }, (_, i) => ({ to: `+1415557${String(1000 + i).padStart(4, '0')}`, body: `shared queue ${i}` })),
    );

    const settled = await allSettled(
      db,
      rows.map((r) => r.id),
      60_000,
    );

    expect([...settled.values()].every((s) => s === 'submitted' || s === 'delivered')).toBe(true);
    const counts = countByText(smsc);
    for (const row of rows) expect(counts.get(row.body), row.body).toBe(1);
    expect(smsc.submitted.filter((m) => m.text.startsWith('shared queue ')).length).toBe(200);
    // Nobody claimed a row twice, and both instances did their share.
    expect(await db.fork().count(OutboxMessage, { id: { $in: rows.map((r) => r.id) }, attempts: { $ne: 1 } })).toBe(0);
    const bySession = new Map<number, number>();
    for (const m of smsc.submitted) bySession.set(m.sessionId, (bySession.get(m.sessionId) ?? 0) + 1);
    expect(bySession.size).toBe(2);
  });
});
