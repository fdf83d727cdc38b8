import type { Machine } from './machine.js';
import type { CallbacksFigure } from './phases/callbacks.js';
import type { CallsResult } from './phases/calls.js';
import type { BaselineResult, GatewayResult } from './phases/gateway.js';
import type { HeldCallsResult } from './phases/held-calls.js';
import type { Usage } from './protocol.js';

export interface RunFacts {
  database: 'embedded' | 'server';
  databaseWhere: string;
  machine: Machine;
  quick: boolean;
  playbackMs: number;
  smppWindow: number;
  smppMaxPerSecond: number;
  appStartMs: number;
  /** The app's resident memory once started, before any call. */
  appIdleRssMb: number;
  appPid: number;
  calls: CallsResult;
  held: HeldCallsResult;
  baseline: BaselineResult;
  gateway: GatewayResult;
  callbacks: { small: CallbacksFigure; large: CallbacksFigure };
  benchUsage: Usage;
  wallS: number;
}

interface Target {
  target: string;
  value: number;
  met: boolean;
}

/** The issue's targets (README, "Benchmarks"). */
export function judge(r: RunFacts): Record<string, Target> {
  const small = r.callbacks.small.latencyMs.p99;
  const large = r.callbacks.large.latencyMs.p99;
  return {
    textback_p99: { target: '< 50 ms', value: r.calls.textbackMs.p99, met: r.calls.textbackMs.p99 < 50 },
    calls_per_s: { target: `>= 200 (on 2 cores)`, value: r.calls.callsPerS, met: r.calls.callsPerS >= 200 },
    rss_mb_1000: { target: '< 300 MB', value: rssAt1000(r), met: rssAt1000(r) < 300 && r.held.held >= 1000 },
    smpp_submit_per_s: { target: '>= 3000', value: r.gateway.submitPerS, met: r.gateway.submitPerS >= 3000 },
    admin_callbacks_p99: { target: '< 20 ms', value: large, met: large < 20 },
    admin_callbacks_scaling: {
      target: 'p99 within 2x of the small history',
      value: small > 0 ? round(large / small) : 0,
      met: large <= 2 * small,
    },
  };
}

/** Peak resident memory while the callers came in and were all held at the question. */
function rssAt1000(r: RunFacts): number {
  return r.held.holding.rssPeakMb;
}

/** The JSON object `--json` prints as its last line. */
export function toJson(r: RunFacts, failures: string[]): Record<string, unknown> {
  const { small, large } = r.callbacks;
  return {
    ok: failures.length === 0,
    failures,
    database: r.database,
    database_where: r.databaseWhere,
    machine: r.machine,
    quick: r.quick,
    consent: 'UK mobile callers (+447912...): the numbering plan says mobile, so one key (1) is the consent',
    concurrent_calls: r.calls.concurrent,
    duration_s: r.calls.durationS,
    textback_ms: pick(r.calls.textbackMs),
    textback_ms_ramp: pick(r.calls.ramp.textbackMs),
    ramp_s: r.calls.ramp.seconds,
    smpp_rtt_ms: pick(r.baseline.rttMs),
    calls_per_s: r.calls.callsPerS,
    rss_mb: r.calls.app.rssPeakMb,
    rss_mb_idle: r.appIdleRssMb,
    rss_mb_1000: rssAt1000(r),
    rss_held_calls: r.held.held,
    rss_mb_1000_hangup: r.held.ending.rssPeakMb,
    smpp_submit_per_s: r.gateway.submitPerS,
    smpp_baseline_per_s: r.baseline.perS,
    smpp_window: r.smppWindow,
    smpp_max_per_second: r.smppMaxPerSecond,
    admin_callbacks_p99_ms: large.latencyMs.p99,
    admin_callbacks_p50_ms: large.latencyMs.p50,
    admin_callbacks_p99_ms_small: small.latencyMs.p99,
    admin_callbacks_p50_ms_small: small.latencyMs.p50,
    admin_callbacks_sql_exec_ms: { small: executionMs(small.plan), large: executionMs(large.plan) },
    rows: large.rows,
    rows_small: small.rows,
    history_calls: large.historyCalls,
    history_calls_small: small.historyCalls,
    generation_s: { small: small.generateS, large_added: large.generateS },
    targets: judge(r),
    details: {
      playback_ms_per_media_item: r.playbackMs,
      app_start_ms: r.appStartMs,
      calls: { ...r.calls, textbackMs: undefined },
      held: r.held,
      gateway: r.gateway,
      app_cpu_ms_per_call: r.calls.appCpuMsPerCall,
      db_queries_per_call: r.calls.dbQueriesPerCall,
      app_cpu_ms_per_text: r.gateway.appCpuMsPerText,
      db_queries_per_text: r.gateway.dbQueriesPerText,
      baseline: { texts: r.baseline.texts, per_s: r.baseline.perS },
      callbacks: { small, large },
      bench_process: r.benchUsage,
      wall_s: r.wallS,
    },
  };
}

/** The readable table. */
export function toTable(r: RunFacts, failures: string[]): string {
  const t = judge(r);
  const mark = (target: Target) => (target.met ? 'met' : 'NOT met');
  const { small, large } = r.callbacks;
  const lines = [
    '',
    `missed-call-recovery bench${r.quick ? ' (--quick: small numbers, a smoke test)' : ''}`,
    `machine   ${r.machine.cores} cores, ${r.machine.cpu} @ ${r.machine.cpu_mhz} MHz, ${r.machine.memory_gb} GB, node ${r.machine.node}; load average ${r.machine.load_avg_start} at the start, ${r.machine.load_avg_end} at the end`,
    `database  ${r.database === 'embedded' ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL server'}: ${r.databaseWhere}`,
    `fakes     ARI ${r.playbackMs} ms per media item; SMSC answers at once, receipt after 20 ms; SMPP window ${r.smppWindow}, rate cap ${r.smppMaxPerSecond || 'none'}`,
    `callers   UK mobiles (+447912...): one key press (1) is the consent`,
    '',
    row('figure', 'value', 'target', ''),
    row('------', '-----', '------', ''),
    row(
      `textback_ms (${r.calls.concurrent} in flight)`,
      `p50 ${r.calls.textbackMs.p50}  p99 ${r.calls.textbackMs.p99}`,
      t.textback_p99!.target,
      mark(t.textback_p99!),
    ),
    row(
      `  ramp (${r.calls.ramp.calls} calls, ${r.calls.ramp.seconds} s)`,
      `p50 ${r.calls.ramp.textbackMs.p50}  p99 ${r.calls.ramp.textbackMs.p99}`,
      'reported apart, not in the figure',
      '',
    ),
    row('smpp_rtt_ms (plain client)', `p50 ${r.baseline.rttMs.p50}  p99 ${r.baseline.rttMs.p99}`, 'the floor', ''),
    row(`calls_per_s (${r.calls.durationS} s)`, `${r.calls.callsPerS}`, t.calls_per_s!.target, mark(t.calls_per_s!)),
    row(`rss_mb (${r.calls.concurrent} in flight)`, `${r.calls.app.rssPeakMb}`, `idle after start: ${r.appIdleRssMb}`, ''),
    row(`rss_mb_1000 (${r.held.held} held)`, `${rssAt1000(r)}`, t.rss_mb_1000!.target, mark(t.rss_mb_1000!)),
    row(`  while all ${r.held.calls} hang up`, `${r.held.ending.rssPeakMb}`, '', ''),
    row(
      `smpp_submit_per_s (${r.gateway.received} texts)`,
      `${r.gateway.submitPerS}`,
      t.smpp_submit_per_s!.target,
      mark(t.smpp_submit_per_s!),
    ),
    row('smpp_baseline_per_s (one at a time)', `${r.baseline.perS}`, '', ''),
    row(
      `admin_callbacks_ms (${fmt(large.historyCalls)} calls)`,
      `p50 ${large.latencyMs.p50}  p99 ${large.latencyMs.p99}`,
      t.admin_callbacks_p99!.target,
      mark(t.admin_callbacks_p99!),
    ),
    row(
      `admin_callbacks_ms (${fmt(small.historyCalls)} calls)`,
      `p50 ${small.latencyMs.p50}  p99 ${small.latencyMs.p99}`,
      t.admin_callbacks_scaling!.target,
      mark(t.admin_callbacks_scaling!),
    ),
    '',
    `calls     ${r.calls.completedInWindow} texted in the ${r.calls.durationS} s window after a ${r.calls.ramp.seconds} s ramp (${r.calls.ramp.calls} calls), ${r.calls.drained} drained after it, ${r.calls.failed} failed; whole call p50 ${r.calls.wholeCallMs.p50} ms`,
    `          per call: ${r.calls.appCpuMsPerCall} ms of app CPU, ${r.calls.dbQueriesPerCall} SQL statements (first text and its receipt included)`,
    `          app ${r.calls.app.cpuCores} cores busy, loop delay p99 ${r.calls.app.loopDelayP99Ms} ms; bench+fakes ${r.calls.bench.cpuCores} cores, loop p99 ${r.calls.bench.loopDelayP99Ms} ms`,
    `held      ${r.held.calls} callers rang at once, ${r.held.held} waiting at the question after ${r.held.rampS} s; after they hung up the app was done in ${r.held.endS} s (${r.held.leftInApp} left)`,
    `gateway   ${r.gateway.received} of ${r.gateway.texts} submitted${r.gateway.timeBound ? ` before the time limit (${r.gateway.cancelled} cancelled)` : ''}; first ${r.gateway.firstSubmitMs} ms after the commit; window peak ${r.gateway.maxOutstanding}`,
    `          per text: ${r.gateway.appCpuMsPerText} ms of app CPU, ${r.gateway.dbQueriesPerText} SQL statements; app ${r.gateway.app.cpuCores} cores busy; outbox ${JSON.stringify(r.gateway.outbox)}`,
    `callbacks ${fmt(large.rows.call)} calls, ${fmt(large.rows.callback_task)} tasks (${fmt(large.rows.open_tasks)} open); generated in ${small.generateS} s + ${large.generateS} s (INSERT ... SELECT FROM generate_series), then VACUUM ANALYZE + CHECKPOINT (${round(large.settleMs / 1000)} s)`,
    `          plan: ${planSummary(large.plan)}`,
    `wall      ${r.wallS} s`,
  ];
  if (failures.length > 0) lines.push('', 'FAILURES:', ...failures.map((f) => `  - ${f}`));
  return lines.join('\n');
}

/** The server's own execution time of the page query (EXPLAIN ANALYZE), ms. */
function executionMs(plan: readonly string[]): number | null {
  const match = /Execution Time: ([\d.]+) ms/.exec(plan.join('\n'));
  return match ? Number(match[1]) : null;
}

/** The plan's node lines (no detail lines) and the server's execution time. */
function planSummary(plan: readonly string[]): string {
  const nodes = plan
    .filter((line, i) => i === 0 || line.includes('->'))
    .map((line) =>
      line
        .replace(/^\s*->\s*/, '')
        .replace(/\s*\(actual.*$/, '')
        .trim(),
    );
  const execution = plan.find((line) => line.startsWith('Execution Time'));
  return `${nodes.join(' > ')}${execution ? `; ${execution.trim().toLowerCase()}` : ''}`;
}

function row(a: string, b: string, c: string, d: string): string {
  return `${a.padEnd(42)} ${b.padEnd(24)} ${c.padEnd(38)} ${d}`.trimEnd();
}

function pick(p: { p50: number; p99: number; max: number; n: number }) {
  return { p50: p.p50, p99: p.p99, max: p.max, n: p.n };
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
