import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentRecord } from '../../core/entities/index.js';
import { consentByKeypad, missCall, nextEvent, startStack, until, type Stack } from '../support/stack.js';
import { createTestDatabase } from '../support/test-database.js';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.warn('[database outage] skipped: needs a PostgreSQL server to take away (run with TEST_DATABASE_URL, as .ci/run does)');
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(!serverUrl)('the database goes away during a call (PostgreSQL server)', () => {
  let stack: Stack;
  let name: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    name = new URL(db.url as string).pathname.slice(1);
    stack = await startStack({ database: db });
  });
  afterAll(async () => {
    await admin(`alter database ${name} allow_connections true`).catch(() => undefined);
    await stack?.stop();
  });

  it('when PostgreSQL is unreachable as the caller consents, then the IVR still completes and the consent is stored once it is back', async () => {
    const caller = '+14155550401';
    const call = missCall(stack, { number: caller });
    const finished = nextEvent(stack.events, 'ivr.finished', (e) => e.channelId === call.channelId);
    await nextEvent(stack.events, 'ivr.answered', (e) => e.channelId === call.channelId);

    // The outage: no new connections, and every open one cut.
    await admin(`alter database ${name} allow_connections false`);
    await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);

    await consentByKeypad(stack, call.channelId);
    expect((await finished).choice).toBe('text');
    // The caller heard the confirmation and was hung up on, as on any day.
    await stack.ari.waitForRequest((r) => r.method === 'DELETE' && r.path === `/ari/channels/${call.channelId}`, 10_000);
    await until(async () => ((await stack.app.outcomeSpool?.pending()) ?? []).length === 1, 10_000, 'the outcome on the spool');

    await admin(`alter database ${name} allow_connections true`);
    await stack.app.outcomeSpool?.flush();
    await until(async () => (await stack.app.db.fork().count(ConsentRecord, { callerE164: caller })) === 1, 10_000, 'the consent stored');
    expect(await stack.app.outcomeSpool?.pending()).toEqual([]);
    await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1), 10_000);
  });
});
