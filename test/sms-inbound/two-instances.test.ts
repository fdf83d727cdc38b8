import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../core/db/database.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { InboundRig, LIMIT_MS, at } from './inbound-rig.js';

let db: Database & { url?: string };
let second: Database | null = null;
let one: InboundRig;
let two: InboundRig;
let serial = 0;
const caller = (): string => `+1415555${String(300 + ++serial).padStart(4, '0')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  // On a server, the second instance has its own connection pool; the embedded database has one connection.
  second = db.url ? await openDatabase({ url: db.url, poolMax: 5 }) : null;
  one = await InboundRig.create(db);
  two = new InboundRig(second ?? db);
});
afterAll(async () => {
  await second?.close();
  await db?.close();
});

describe(`long incoming texts on two instances (${describeDatabase()})`, () => {
  it('when the parts of texts are processed by two instances at once, then each text is acted on once', async () => {
    const senders = Array.from({ length: 6 }, caller);
    const ids: Array<{ rig: InboundRig; id: string }> = [];
    for (const [n, from] of senders.entries()) {
      for (const seq of [1, 2, 3]) {
        const saved = await one.save({
          from,
          reference: 66,
          total: 3,
          seq,
          text: `${seq === 1 ? 'stop' : ''} part ${seq} `,
          receivedAt: at(n * 10 + seq),
        });
        // Both instances get every part (a delivery and a backlog run meeting, or an SMSC fanning out).
        ids.push({ rig: one, id: saved.id }, { rig: two, id: saved.id });
      }
    }
    await Promise.all(ids.map(({ rig, id }) => rig.processor.process(id)));
    for (const from of senders) {
      expect(await one.conversation(from)).toEqual(['stop part 1  part 2  part 3 ']);
      expect((await one.optOuts(from)).length).toBe(1);
      expect((await one.outbox(from)).length).toBe(1);
    }
  });

  it('when two instances sweep at the same time, then each text past its limit is closed once', async () => {
    const senders = Array.from({ length: 4 }, caller);
    for (const from of senders) await one.receive({ from, reference: 67, total: 2, seq: 1, text: 'only half', receivedAt: at(0) });
    const [a, b] = await Promise.all([one.processor.expireParts(at(LIMIT_MS)), two.processor.expireParts(at(LIMIT_MS))]);
    expect(a.length + b.length).toBe(senders.length);
    for (const from of senders) expect(await one.conversation(from)).toEqual(['only half[part 2 of 2 missing]']);
  });

  it('when the last part and the sweep meet, then the text is acted on once, whole or with its marker', async () => {
    for (let round = 0; round < 4; round++) {
      const from = caller();
      await one.receive({ from, reference: 68, total: 2, seq: 1, text: 'race ', receivedAt: at(0) });
      const last = await one.save({ from, reference: 68, total: 2, seq: 2, text: 'me', receivedAt: at(LIMIT_MS - 1) });
      await Promise.all([two.processor.expireParts(at(LIMIT_MS)), one.processor.process(last.id)]);
      // If the sweep won, the last part waits in a text of its own: nothing lost, nothing doubled.
      const texts = await one.conversation(from);
      expect(texts).toHaveLength(1);
      expect(['race me', 'race [part 2 of 2 missing]']).toContain(texts[0]);
    }
  });
});
