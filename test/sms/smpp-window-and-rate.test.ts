import smpp from 'smpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { OutboxMessage } from '../../core/entities/index.js';
import { createFakeSmsc, type FakeSmsc } from '../fakes/smsc/index.js';
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

/** n texts to n different numbers, each with a text of its own so the fake's record can be counted per text. */
function texts(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => ({ to: `+1415555${String(1000 + i).padStart(4, '0')}`, body: `${tag} text ${i}` }));
}

/** The most submit_sm that arrived within any span of `spanMs`. */
function busiestSpan(times: number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= spanMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe(`SMPP send window and rate cap (${describeDatabase()})`, () => {
  it('when the SMSC is slow to answer, then many texts are in flight at once but never more than the window', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    smsc.setSubmitDelay(150);
    rig = await startSmsRig({ db, connections: [{ smsc, window: 4 }] });
    const rows = await queueTexts(db, texts(24, 'window'));

    const settled = await allSettled(
      db,
      rows.map((r) => r.id),
    );

    expect([...settled.values()].every((s) => s === 'submitted')).toBe(true);
    // The window was used to the full, and never overrun.
    expect(smsc.maxOutstandingSubmits).toBe(4);
    const counts = countByText(smsc);
    expect(counts.size).toBe(24);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('when texts pile up, then the connection never sends more per second than its cap', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    rig = await startSmsRig({ db, connections: [{ smsc, window: 10, maxPerSecond: 10 }] });
    const rows = await queueTexts(db, texts(25, 'rate'));

    await allSettled(
      db,
      rows.map((r) => r.id),
    );

    const times = smsc.submitted.filter((m) => m.text.startsWith('rate ')).map((m) => m.receivedAtPerf);
    expect(times).toHaveLength(25);
    // Evenly spaced at 100 ms: 10 in any second (one more only if the network bunched two arrivals).
    expect(busiestSpan(times, 1000)).toBeLessThanOrEqual(11);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(24 * 100 * 0.95);
  });

  for (const [name, code] of [
    ['ESME_RTHROTTLED', smpp.ESME_RTHROTTLED],
    ['ESME_RMSGQFUL', smpp.ESME_RMSGQFUL],
  ] as const) {
    // (No underscores in the texts: the fake reads data_coding 0 as Latin-1, where GSM's '_' is 0x11.)
    const tag = `status${code}`;
    it(`when the SMSC answers ${name}, then the connection pauses and halves its rate, the text is retried, and each goes once`, async () => {
      smsc = await createFakeSmsc({ receiptDelayMs: null });
      smsc.setSubmitError(code);
      rig = await startSmsRig({
        db,
        connections: [{ smsc, window: 1, maxPerSecond: 40 }],
        tuning: { throttlePauseMs: 300, throttleRecoveryMs: 600 },
      });
      const connection = rig.gateway.connection('default')!;
      const rows = await queueTexts(db, texts(4, `throttle ${tag}`));

      await until(() => smsc!.refusedSubmits.length >= 2, 5000, 'two throttled submits');
      expect(connection.currentRate).toBeLessThan(40);
      // Nothing was written during the pause that followed the first "slow down".
      const [first, second] = smsc.refusedSubmits;
      expect(second!.receivedAtPerf - first!.receivedAtPerf).toBeGreaterThanOrEqual(280);
      smsc.setSubmitError(null);

      const settled = await allSettled(
        db,
        rows.map((r) => r.id),
      );
      expect([...settled.values()].every((s) => s === 'submitted')).toBe(true);
      const counts = countByText(smsc);
      for (const row of rows) expect(counts.get(row.body)).toBe(1);
      const retried = await db.fork().find(OutboxMessage, { id: { $in: rows.map((r) => r.id) }, attempts: { $gt: 1 } });
      expect(retried.length).toBeGreaterThan(0);

      // Quiet again: the rate doubles back up to the cap, one quiet period at a time.
      const seen = [connection.currentRate];
      for (let round = 0; round < 12 && connection.currentRate < 40; round++) {
        await sleep(650);
        const more = await queueTexts(db, texts(1, `after ${tag} ${round}`));
        await allSettled(
          db,
          more.map((r) => r.id),
        );
        seen.push(connection.currentRate);
      }
      expect(connection.currentRate).toBe(40);
      expect(seen.every((rate, i) => i === 0 || rate >= seen[i - 1]!)).toBe(true);
    });
  }
});
