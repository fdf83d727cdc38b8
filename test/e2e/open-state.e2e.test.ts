import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapDid } from '../../core/businesses/business-directory.js';
import { startStack, until, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let stack: Stack;

async function api(method: string, path: string, body?: object): Promise<Response> {
  return fetch(`${stack.app.adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

const global = (name: string): string | undefined => stack.ari.globals.get(name);
const isVariableWrite = (r: { method: string; path: string }): boolean => r.method === 'POST' && r.path === '/ari/asterisk/variable';

/** Waits until the publisher has written nothing for 300 ms, so a later write has a known cause. */
async function publisherIdle(): Promise<void> {
  let seen = -1;
  await until(
    async () => {
      const writes = stack.ari.requests.filter(isVariableWrite).length;
      const quiet = writes === seen;
      seen = writes;
      if (!quiet) await new Promise((resolve) => setTimeout(resolve, 300));
      return quiet;
    },
    10_000,
    'the publisher to be idle',
  );
}
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe(`open/closed reaches Asterisk as the app runs (${describeDatabase()})`, () => {
  let businessId: string;

  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase() });
    const list = (await (await api('GET', '/api/businesses')).json()) as { items: { id: string; is_default: boolean }[] };
    businessId = list.items.find((b) => b.is_default)?.id ?? '';
  });
  afterAll(async () => stack?.stop());

  it('when the app starts, then the default business (no hours set yet: always open) is published as open', async () => {
    await until(() => global('MCR_OPEN_DEFAULT') === '1', 10_000, 'MCR_OPEN_DEFAULT=1');
  });

  it('when holidays close today through the admin API, then Asterisk hears 0 at once, and 1 again when they are removed', async () => {
    // Yesterday, today and tomorrow in UTC cover "today" in every zone.
    const ids: string[] = [];
    for (const date of [isoDay(-1), isoDay(0), isoDay(1)]) {
      const response = await api('POST', `/api/businesses/${businessId}/holidays`, { date, name: 'Closed for the test' });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    await until(() => global('MCR_OPEN_DEFAULT') === '0', 5_000, 'MCR_OPEN_DEFAULT=0');

    // A number mapped to the business is published the next time anything changes.
    await mapDid(stack.app.db.fork(), '+12125550100', businessId);
    expect((await api('PATCH', `/api/businesses/${businessId}`, { time_zone: 'America/Chicago' })).status).toBe(200);
    await until(() => global('MCR_OPEN_12125550100') === '0', 5_000, 'MCR_OPEN_12125550100=0');

    for (const id of ids) expect((await api('DELETE', `/api/businesses/${businessId}/holidays/${id}`)).status).toBe(204);
    await until(() => global('MCR_OPEN_DEFAULT') === '1' && global('MCR_OPEN_12125550100') === '1', 5_000, 'both back to 1');
  });

  it('when Asterisk restarts and forgets its globals, then they are set again once ARI reconnects', async () => {
    await until(() => global('MCR_OPEN_DEFAULT') === '1', 5_000, 'MCR_OPEN_DEFAULT=1');
    await publisherIdle();
    const before = stack.ari.requests.length;
    stack.ari.restart();
    expect(stack.ari.globals.size).toBe(0);
    await until(
      () => global('MCR_OPEN_DEFAULT') === '1' && global('MCR_OPEN_12125550100') === '1',
      10_000,
      'the globals after the reconnect',
    );
    expect(stack.app.ari?.state).toBe('connected');
    // Set by the reconnect itself: the first write comes after the new event socket.
    const since = stack.ari.requests.slice(before);
    const reconnect = since.findIndex((r) => r.path === '/ari/events');
    expect(reconnect).toBeGreaterThanOrEqual(0);
    expect(since.findIndex(isVariableWrite)).toBeGreaterThan(reconnect);
  });
});
