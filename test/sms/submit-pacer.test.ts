import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SendWindow } from '../../sms-gateway/smpp/send-window.js';
import { SubmitPacer } from '../../sms-gateway/smpp/submit-pacer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most write times within any span of one second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('the pacer and the window of one connection', () => {
  it('when the writes after each turn are delayed unevenly, then no second still holds more writes than the cap', async () => {
    const pacer = new SubmitPacer({ maxPerSecond: 5, pauseMs: 1000, recoveryMs: 10_000 });
    const writes: number[] = [];
    // Each turn's write waits 0-400 ms (a guard transaction queued behind others), so turns bunch up at write time.
    const delays = [400, 0, 350, 0, 0, 300, 20, 0, 380, 0, 0, 250];
    await Promise.all(
      delays.map(async (delay) => {
        const turn = await pacer.take();
        await sleep(delay);
        const at = performance.now();
        writes.push(at);
        turn.wrote(at);
      }),
    );
    expect(writes).toHaveLength(delays.length);
    expect(busiestSecond(writes)).toBeLessThanOrEqual(5);
  });

  it('when the SMSC throttles, then nothing goes during the pause, the rate is halved once per pause, and it doubles back after quiet periods', async () => {
    const pacer = new SubmitPacer({ maxPerSecond: 40, pauseMs: 200, recoveryMs: 200 });
    (await pacer.take()).wrote(performance.now());
    const throttledAt = performance.now();
    pacer.throttled();
    pacer.throttled();
    expect(pacer.currentRate).toBe(20);
    const turn = await pacer.take();
    expect(performance.now() - throttledAt).toBeGreaterThanOrEqual(195);
    turn.cancel();
    await sleep(250);
    (await pacer.take()).cancel();
    expect(pacer.currentRate).toBe(40);
  });

  it('when a turn is given back unused, then it does not count against the cap', async () => {
    const pacer = new SubmitPacer({ maxPerSecond: 2, pauseMs: 100, recoveryMs: 100 });
    const started = performance.now();
    for (let i = 0; i < 2; i++) (await pacer.take()).cancel();
    const first = await pacer.take();
    first.wrote(performance.now());
    const second = await pacer.take();
    second.wrote(performance.now());
    // Two writes in the second, and the two cancelled turns cost only their spacing (500 ms each).
    expect(performance.now() - started).toBeLessThan(1900);
  });

  it('when the window is full, then the next sender waits for a slot and gets it in turn', async () => {
    const window = new SendWindow(2);
    const a = await window.acquire();
    const b = await window.acquire();
    const order: string[] = [];
    const c = window.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const d = window.acquire().then((release) => {
      order.push('d');
      return release;
    });
    await sleep(20);
    expect(order).toEqual([]);
    expect(window.inUse).toBe(2);
    a();
    a();
    const releaseC = await c;
    expect(order).toEqual(['c']);
    b();
    const releaseD = await d;
    expect(order).toEqual(['c', 'd']);
    releaseC();
    releaseD();
    expect(window.inUse).toBe(0);
  });
});
