import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Call } from '../../core/entities/index.js';
import { consentByKeypad, disclosureHeard, missCall, nextEvent, startStack, until, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let stack: Stack;

describe(`the call side survives Asterisk (${describeDatabase()})`, () => {
  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase() });
  });
  afterAll(async () => stack?.stop());

  it('when Asterisk restarts mid-call, then the lost call is closed as a hang-up, the app re-registers and takes the next call', async () => {
    const lost = missCall(stack, { number: '+14155550601' });
    const recorded = nextEvent(stack.events, 'call.recorded', (e) => e.channelId === lost.channelId, 15_000);
    await disclosureHeard(stack, lost.channelId);
    stack.ari.restart();
    // Nothing tells the app the channel is gone except asking after reconnecting.
    expect((await recorded).outcome).toBe('hung_up');
    await until(() => stack.app.ari?.state === 'connected', 10_000, 'ARI back');

    const next = missCall(stack, { number: '+14155550602' });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === next.channelId);
    await consentByKeypad(stack, next.channelId);
    await consented;
    expect(await stack.app.db.fork().count(Call, { channelId: { $in: [lost.channelId, next.channelId] } })).toBe(2);
  });

  it('when many calls come and go, then the app holds no per-call state or listeners afterwards', async () => {
    const calls = Array.from({ length: 20 }, (_, i) => missCall(stack, { number: `+1415555${String(700 + i).padStart(4, '0')}` }));
    const done = calls.map((c) => nextEvent(stack.events, 'call.recorded', (e) => e.channelId === c.channelId, 20_000));
    for (const call of calls) {
      await stack.ari.waitForRequest((r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`));
      stack.ari.callerHangup(call.channelId);
    }
    await Promise.all(done);
    await until(() => stack.app.activeCalls() === 0, 5000, 'no live calls');
    const before = stack.app.ari?.listenerCount ?? -1;
    expect(before).toBeGreaterThan(0);
    const one = missCall(stack, { number: '+14155550799' });
    await stack.ari.waitForRequest((r) => r.path.startsWith(`/ari/channels/${one.channelId}/play`));
    stack.ari.callerHangup(one.channelId);
    await nextEvent(stack.events, 'call.recorded', (e) => e.channelId === one.channelId);
    expect(stack.app.ari?.listenerCount).toBe(before);
  });
});
