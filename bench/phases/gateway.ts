import { performance } from 'node:perf_hooks';
import type { AppHandle } from '../app-handle.js';
import type { FakeSmsc, SubmittedMessage } from '../../test/fakes/smsc/index.js';
import type { Usage } from '../protocol.js';
import { percentiles, round, type Percentiles } from '../stats.js';

export interface GatewayResult {
  texts: number;
  /** submit_sm the fake SMSC read before the time limit. */
  received: number;
  /** True when the time limit, not the last text, ended the measurement. */
  timeBound: boolean;
  insertMs: number;
  /** Texts per second from the rows' commit to the last submit_sm at the SMSC. */
  submitPerS: number;
  /** Commit to the first submit_sm (claim and gate latency). */
  firstSubmitMs: number;
  /** submit_sm the fake SMSC had unanswered at once, at most. */
  maxOutstanding: number;
  /** Texts still queued at the time limit, deleted so they do not weigh on what follows. */
  cancelled: number;
  outbox: Record<string, number>;
  app: Usage;
  /** App CPU time per text submitted (receipts included), ms. */
  appCpuMsPerText: number;
  dbQueriesPerText: number;
}

export interface BaselineResult {
  texts: number;
  perS: number;
  rttMs: Percentiles;
}

const RECIPIENT_PREFIX = '447400';

/** The floor: a plain smpp client in the app's process, one submit_sm at a time. */
export async function runSmppBaseline(app: AppHandle, smsc: FakeSmsc, texts: number): Promise<BaselineResult> {
  const result = await app.request('smppBaseline', { url: smsc.url, count: texts });
  return { texts, perS: round(texts / (result.elapsedMs / 1000), 0), rttMs: percentiles(result.rttsMs) };
}

/**
 * `texts` first texts are queued in one statement; the running app's outbox
 * claims them, passes each through the compliance gate and its write guard, and
 * the SMPP connection submits them. Timed from the commit (epoch clock, shared
 * by both processes) to the last submit_sm the fake SMSC reads, or to the time
 * limit, whichever comes first (then the rate is over what was sent by then).
 */
export async function runGatewayPhase(
  app: AppHandle,
  smsc: FakeSmsc,
  options: { texts: number; first: number; maxSeconds: number },
): Promise<GatewayResult> {
  const { texts } = options;
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  let allIn!: () => void;
  const complete = new Promise<void>((resolve) => (allIn = resolve));
  const onSubmit = (message: SubmittedMessage) => {
    if (!message.to.startsWith(RECIPIENT_PREFIX)) return;
    received += 1;
    lastAt = performance.timeOrigin + message.receivedAtPerf;
    if (received === 1) firstAt = lastAt;
    if (received === texts) allIn();
  };
  smsc.on('submit', onSubmit);
  smsc.resetMaxOutstanding();
  try {
    await app.request('usage', { reset: true });
    const queued = await app.request('queueTexts', { count: texts, first: options.first });
    const timedOut = await Promise.race([
      complete.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), options.maxSeconds * 1000).unref()),
    ]);
    const counted = received;
    const countedLastAt = lastAt;
    const usage = await app.request('usage', { reset: true });
    const { cancelled } = timedOut ? await app.request('cancelQueuedTexts', {}) : { cancelled: 0 };
    // Texts in flight, their receipts and the receipts' processing trail the submits: let them settle.
    const outbox = await settle(app);
    const cpuMs = usage.cpuCores * usage.intervalMs;
    return {
      texts,
      received: counted,
      timeBound: timedOut,
      insertMs: queued.insertMs,
      submitPerS: counted > 0 ? round(counted / ((countedLastAt - queued.committedAt) / 1000), 0) : 0,
      firstSubmitMs: round(firstAt - queued.committedAt, 1),
      maxOutstanding: smsc.maxOutstandingSubmits,
      cancelled,
      outbox,
      app: usage,
      appCpuMsPerText: counted > 0 ? round(cpuMs / counted, 1) : 0,
      dbQueriesPerText: counted > 0 ? round((usage.dbQueries ?? 0) / counted, 1) : 0,
    };
  } finally {
    smsc.off('submit', onSubmit);
  }
}

/** Waits (10 s at most) until no text is queued or being sent, and answers the outbox's counts. */
async function settle(app: AppHandle): Promise<Record<string, number>> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const counts = await app.request('outboxCounts', {});
    if ((!counts.queued && !counts.sending) || performance.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
