import { performance } from 'node:perf_hooks';
import type { AppHandle } from '../app-handle.js';
import type { CallDriver, CallRun } from '../call-driver.js';
import type { Usage } from '../protocol.js';
import { percentiles, round, type Percentiles } from '../stats.js';
import type { UsageSampler } from '../usage-sampler.js';

export interface CallsResult {
  concurrent: number;
  durationS: number;
  /** The ramp: from the first call until `concurrent` calls had been texted (the pipeline full). */
  ramp: { seconds: number; calls: number; textbackMs: Percentiles };
  /** Calls texted inside the window. */
  completedInWindow: number;
  /** Calls still in flight when the window closed, finished afterwards (not counted). */
  drained: number;
  failed: number;
  firstError?: string;
  /** Calls texted per second of the window. */
  callsPerS: number;
  /** Consent key (ChannelDtmfReceived) to submit_sm at the SMSC, every call texted inside the window. */
  textbackMs: Percentiles;
  /** StasisStart to submit_sm, the same calls. */
  wholeCallMs: Percentiles;
  app: Usage;
  bench: Usage;
  /** App CPU time per call texted in the window (IVR, outcome, first text, its receipt), ms. */
  appCpuMsPerCall: number;
  /** SQL statements per call texted in the window, the text's included. */
  dbQueriesPerCall: number;
}

/**
 * Closed loop: `concurrent` callers at all times; each finished call (its first
 * text at the SMSC) starts that caller's next one. The ramp lasts until
 * `concurrent` calls have been texted (or `durationS`, if that comes first);
 * then the window of `durationS` seconds is what counts. The ramp's calls are
 * reported apart; nothing else is left out.
 */
export async function runCallsPhase(
  driver: CallDriver,
  app: AppHandle,
  sampler: UsageSampler,
  options: { concurrent: number; durationS: number },
): Promise<CallsResult> {
  const started = performance.now();
  const finished: CallRun[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let rampOver!: () => void;
  const ramped = new Promise<void>((resolve) => (rampOver = resolve));
  const rampTimer = setTimeout(() => rampOver(), options.durationS * 1000);

  const caller = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      try {
        const run = await driver.startCall(true).done;
        finished.push(run);
        if (finished.length === options.concurrent) rampOver();
      } catch (err) {
        failed += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  const callers = Promise.all(Array.from({ length: options.concurrent }, caller));

  await ramped;
  clearTimeout(rampTimer);
  windowStart = performance.now();
  windowEnd = windowStart + options.durationS * 1000;
  await app.request('usage', { reset: true });
  sampler.read(true);
  await new Promise((resolve) => setTimeout(resolve, options.durationS * 1000));
  const appUsage = await app.request('usage', { reset: true });
  const benchUsage = sampler.read(true);
  await callers;

  const texted = (run: CallRun) => run.submitAt!;
  const ramp = finished.filter((run) => texted(run) < windowStart);
  const inWindow = finished.filter((run) => texted(run) >= windowStart && texted(run) <= windowEnd);
  const textback = (runs: CallRun[]) => percentiles(runs.map((run) => run.submitAt! - run.dtmfAt!));
  const cpuMs = appUsage.cpuCores * appUsage.intervalMs;
  return {
    concurrent: options.concurrent,
    durationS: options.durationS,
    ramp: { seconds: round((windowStart - started) / 1000, 2), calls: ramp.length, textbackMs: textback(ramp) },
    completedInWindow: inWindow.length,
    drained: finished.length - ramp.length - inWindow.length,
    failed,
    firstError,
    callsPerS: round(inWindow.length / options.durationS, 1),
    textbackMs: textback(inWindow),
    wholeCallMs: percentiles(inWindow.map((run) => run.submitAt! - run.startedAt)),
    app: appUsage,
    bench: benchUsage,
    appCpuMsPerCall: inWindow.length > 0 ? round(cpuMs / inWindow.length, 1) : 0,
    dbQueriesPerCall: inWindow.length > 0 ? round((appUsage.dbQueries ?? 0) / inWindow.length, 1) : 0,
  };
}
