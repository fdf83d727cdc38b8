import { performance } from 'node:perf_hooks';
import type { AppHandle } from '../app-handle.js';
import { CallDriver, type CallRun } from '../call-driver.js';
import type { Usage } from '../protocol.js';
import { round } from '../stats.js';

export interface HeldCallsResult {
  calls: number;
  /** Callers who heard the disclosure (were held at the question) when the memory was read. */
  held: number;
  /** From the first StasisStart until every caller had heard the disclosure. */
  rampS: number;
  /** The app's memory (peak) while the calls came in and waited for a key. */
  holding: Usage;
  /** The app's memory (peak) while all of them hung up and the app recorded every outcome. */
  ending: Usage;
  /** From the hang-ups until the app had no call left. */
  endS: number;
  /** Calls still in the app when the bench stopped waiting (0 unless something hangs). */
  leftInApp: number;
  /** Their callback tasks, marked done afterwards so later figures see only their own open tasks. */
  callbacksClosed: number;
}

/**
 * `calls` callers ring at once and all wait at the question: the app holds every
 * one of them (IVR state, recording, timers, the ARI channel). Its memory is read
 * there. Then they all hang up (texting them all would take minutes where texts
 * are slow: see the calls figure) and the app records each outcome.
 */
export async function runHeldCallsPhase(driver: CallDriver, app: AppHandle, calls: number): Promise<HeldCallsResult> {
  await app.request('usage', { reset: true });
  const started = performance.now();
  const runs: CallRun[] = Array.from({ length: calls }, () => driver.startCall(false));
  await Promise.race([Promise.all(runs.map((run) => run.heard)), delay(120_000)]);
  const rampS = (performance.now() - started) / 1000;
  // Let the app settle with everyone waiting, then read its memory.
  await delay(500);
  const holding = await app.request('usage', { reset: true });
  const held = runs.filter((run) => run.heardAt !== undefined).length;

  const hungUpAt = performance.now();
  for (const run of runs) driver.hangUp(run);
  const deadline = hungUpAt + 120_000;
  let left = calls;
  while (performance.now() < deadline) {
    left = (await app.request('activeCalls', {})).calls;
    if (left === 0) break;
    await delay(100);
  }
  const endS = (performance.now() - hungUpAt) / 1000;
  const ending = await app.request('usage', { reset: true });
  const { closed } = await app.request('closeCallerCallbacks', { phonePrefix: CallDriver.CALLER_PREFIX });
  return { calls, held, rampS: round(rampS, 2), holding, ending, endS: round(endS, 2), leftInApp: left, callbacksClosed: closed };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
