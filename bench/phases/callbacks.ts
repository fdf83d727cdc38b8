import { performance } from 'node:perf_hooks';
import type { AppHandle } from '../app-handle.js';
import { percentiles, type Percentiles } from '../stats.js';

export interface CallbacksFigure {
  historyCalls: number;
  /** Rows in the tables when measured (the bench's own calls included). */
  rows: { call: number; callback_task: number; open_tasks: number };
  /** Generating this round's rows (set-based INSERT ... SELECT FROM generate_series). */
  generateS: number;
  /** VACUUM ANALYZE + CHECKPOINT after generating. */
  settleMs: number;
  /** GET /api/callbacks (default page), sequential requests over HTTP; every request counted. */
  latencyMs: Percentiles;
  firstRequestMs: number;
  itemsPerPage: number;
  /** The plan PostgreSQL chose for the page's query. */
  plan: string[];
}

export interface CallbacksOptions {
  adminUrl: string;
  apiKey: string;
  historySmall: number;
  history: number;
  openTasks: number;
  requests: number;
}

const YEAR_S = 365 * 86_400;
const CHUNK = 100_000;

/**
 * The receptionists' list with `openTasks` open tasks, first over
 * `historySmall` historical calls, then (the older history added) over
 * `history`: the same open tasks, so any difference is the history's weight.
 */
export async function runCallbacksPhase(
  app: AppHandle,
  options: CallbacksOptions,
): Promise<{ small: CallbacksFigure; large: CallbacksFigure }> {
  const stepSeconds = YEAR_S / options.history;
  const small = await measureAfterSeeding(app, options, { from: 1, to: options.historySmall, stepSeconds });
  const large = await measureAfterSeeding(app, options, { from: options.historySmall + 1, to: options.history, stepSeconds });
  return { small, large };
}

async function measureAfterSeeding(
  app: AppHandle,
  options: CallbacksOptions,
  round: { from: number; to: number; stepSeconds: number },
): Promise<CallbacksFigure> {
  const seeded =
    round.to >= round.from
      ? await app.request('seedHistory', { ...round, openTasks: options.openTasks, chunk: CHUNK })
      : { ms: 0, rows: { lead: 0, call: 0, callback_task: 0 } };
  // As a database that has held this history for a while: vacuumed, analysed, checkpointed.
  const settled = await app.request('settleHistory', {});
  const rows = await app.request('countRows', {});
  const { plan } = await app.request('explainCallbacks', {});

  const samples: number[] = [];
  let itemsPerPage = 0;
  for (let i = 0; i < options.requests; i++) {
    const t0 = performance.now();
    const response = await fetch(`${options.adminUrl}/api/callbacks`, { headers: { authorization: `Bearer ${options.apiKey}` } });
    const body = (await response.json()) as { items?: unknown[] };
    samples.push(performance.now() - t0);
    if (response.status !== 200 || !Array.isArray(body.items)) throw new Error(`GET /api/callbacks answered ${response.status}`);
    itemsPerPage = body.items.length;
  }
  return {
    historyCalls: round.to,
    rows,
    generateS: Math.round(seeded.ms / 100) / 10,
    settleMs: settled.ms,
    latencyMs: percentiles(samples),
    firstRequestMs: Math.round((samples[0] ?? 0) * 10) / 10,
    itemsPerPage,
    plan,
  };
}
