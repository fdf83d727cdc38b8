import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { IntegrationEvent } from '../../core/entities/index.js';
import { EventConsumer } from '../../core/integration/event-consumer.js';
import { consumeIntegrationEvents, recordIntegrationEvent } from '../../core/integration/integration-events.js';
import { createLogger } from '../../core/logging.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let db: Database;
let businessId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  businessId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
});
afterAll(async () => db?.close());

async function record(n: number) {
  const em = db.fork();
  recordIntegrationEvent(em, { type: 'lead.created', businessId, data: { n } });
  await em.flush();
}

const take = (consumer: string, into: number[], limit = 2) =>
  consumeIntegrationEvents(
    db,
    consumer,
    async ({ events }) => {
      into.push(...events.map((e) => e.data.n as number));
    },
    limit,
  );

describe(`integration event log (${describeDatabase()})`, () => {
  it('when the change rolls back, then its event is gone with it', async () => {
    await db
      .fork()
      .transactional(async (tx) => {
        recordIntegrationEvent(tx, { type: 'lead.created', businessId, data: { lead_id: 'rolled-back' } });
        await tx.flush();
        throw new Error('the change failed');
      })
      .catch(() => {});
    expect(await db.fork().count(IntegrationEvent, {})).toBe(0);
  });

  it('hands each consumer every event once, in order, and resumes after a failed batch', async () => {
    for (let i = 0; i < 5; i++) await record(i);
    await expect(
      consumeIntegrationEvents(db, 'failing', async () => {
        throw new Error('target down');
      }),
    ).rejects.toThrow('target down');
    const seen: number[] = [];
    while ((await take('webhooks', seen)) > 0);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    // The failed consumer's position did not move: it still sees everything.
    const retried: number[] = [];
    while ((await take('failing', retried)) > 0);
    expect(retried).toEqual([0, 1, 2, 3, 4]);
    expect(await take('webhooks', seen)).toBe(0);
  });

  it('refuses to edit an event', async () => {
    await expect(db.fork().getConnection().execute(`update integration_event set type = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('when an event is taken early and committed late, then a consumer that read past later ones still gets it', async (ctx) => {
    if (db.kind === 'embedded') {
      // One connection: two transactions cannot be open at once, so the race cannot happen there.
      ctx.skip();
      return;
    }
    const seen: number[] = [];
    while ((await take('late', seen, 100)) > 0);
    let releaseSlow!: () => void;
    let slowInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (slowInserted = resolve));
    const slow = db.fork().transactional(async (tx) => {
      recordIntegrationEvent(tx, { type: 'lead.created', businessId, data: { n: 100 } });
      await tx.flush(); // takes the lower seq now
      slowInserted();
      await new Promise<void>((resolve) => (releaseSlow = resolve));
    });
    await inserted;
    await record(101); // a higher seq, committed first
    while ((await take('late', seen, 100)) > 0);
    expect(seen.slice(-1)).not.toContain(101); // held back while an older transaction is open
    releaseSlow();
    await slow;
    while ((await take('late', seen, 100)) > 0);
    expect(seen.slice(-2).sort()).toEqual([100, 101]);
  });

  it('a consumer worker catches up when woken, and keeps going after a failing handler', async () => {
    const got: number[] = [];
    let fail = true;
    const consumer = new EventConsumer({
      db,
      name: 'worker',
      logger: createLogger('silent'),
      pollMs: 20,
      handle: async ({ events }) => {
        if (fail) {
          fail = false;
          throw new Error('first batch fails');
        }
        got.push(...events.map((e) => e.data.n as number));
      },
    });
    consumer.start();
    await record(200);
    consumer.wake();
    await expect.poll(() => got.includes(200), { timeout: 5000 }).toBe(true);
    await consumer.stop();
  });
});
