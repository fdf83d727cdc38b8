/**
 * `npm run bench`: the product under load, in one process tree. This process
 * runs the fakes (ARI over HTTP + WebSocket, SMPP over TCP) and the callers; the
 * app runs in a child process (bench/app-process) exactly as `mcr start` would,
 * on a real PostgreSQL: DATABASE_URL's server (in a scratch database) or the
 * embedded PGlite. See README, "Benchmarks".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createFakeAri, muteSwaggerNotice, type FakeAri } from '../test/fakes/ari/index.js';
import { createFakeSmsc, type FakeSmsc } from '../test/fakes/smsc/index.js';
import { launchApp, type AppHandle } from './app-handle.js';
import { CallDriver } from './call-driver.js';
import { describeMachine, loadAverage } from './machine.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { runCallbacksPhase } from './phases/callbacks.js';
import { runCallsPhase } from './phases/calls.js';
import { runGatewayPhase, runSmppBaseline } from './phases/gateway.js';
import { runHeldCallsPhase } from './phases/held-calls.js';
import { toJson, toTable, type RunFacts } from './report.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
import { UsageSampler } from './usage-sampler.js';

const API_KEY = 'mcr_bench_key_0123456789abcdefghijkl';

export async function runBench(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  // Progress goes to stderr with --json, so the JSON stays the last line of stdout.
  const progress = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const wallStart = performance.now();
  const machine = describeMachine();
  const sampler = new UsageSampler();
  const failures: string[] = [];
  let scratch: ScratchDatabase | null = null;
  let ari: FakeAri | null = null;
  let smsc: FakeSmsc | null = null;
  let app: AppHandle | null = null;
  let driver: CallDriver | null = null;
  let dataDir: string | null = null;
  let facts: RunFacts | null = null;
  // Everything this run started goes, however it ends (Ctrl-C included): the app, the fakes,
  // the temp folder, the scratch database.
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      driver?.close();
      if (app) {
        const stopped = await app.stop();
        if (!stopped.exitedByItself) failures.push('the app process did not exit by itself after stop (killed)');
      }
      await Promise.allSettled([ari?.close(), smsc?.close()]);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await scratch?.drop().catch((err: Error) => failures.push(`could not drop ${scratch?.name}: ${err.message}`));
      sampler.stop();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping the app and cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const serverUrl = process.env.DATABASE_URL?.trim() || undefined;
    if (serverUrl) {
      scratch = await createScratchDatabase(serverUrl);
      progress(`database: server, scratch database ${scratch.name} on ${scratch.where} (dropped at the end)`);
    } else progress('database: embedded PostgreSQL (PGlite) in a temp folder');

    muteSwaggerNotice();
    ari = await createFakeAri({ username: 'mcr', password: 'ari-secret', playbackMs: options.playbackMs });
    smsc = await createFakeSmsc({ systemId: 'mcr', password: 'smpp-pw', receiptDelayMs: 20 });
    dataDir = await mkdtemp(path.join(tmpdir(), 'mcr-bench-'));
    app = await launchApp({ env: appEnvironment({ ari, smsc, dataDir, databaseUrl: scratch?.url }), nodeFlags: profilingFlags() });
    const ready = app.ready;
    progress(
      `app: pid ${app.pid}, started in ${ready.startMs} ms; SMPP window ${ready.smppWindow}, rate cap ${ready.smppMaxPerSecond || 'none'}`,
    );
    driver = new CallDriver(ari, smsc, 120_000);
    const idle = await app.request('usage', { reset: true });

    progress(`smpp baseline: ${options.texts} submit_sm one at a time from a plain client`);
    const baseline = await runSmppBaseline(app, smsc, options.texts);

    progress(
      `calls: ${options.concurrent} in flight; a ramp until ${options.concurrent} calls have been texted (${options.duration} s at most), then ${options.duration} s measured`,
    );
    const calls = await runCallsPhase(driver, app, sampler, { concurrent: options.concurrent, durationS: options.duration });
    if (calls.failed > 0) failures.push(`${calls.failed} calls got no text (first: ${calls.firstError})`);

    progress(`held: ${options.held} callers at once, waiting at the question, then hanging up`);
    const held = await runHeldCallsPhase(driver, app, options.held);
    if (held.held < held.calls) failures.push(`only ${held.held} of ${held.calls} callers were held at the question`);
    if (held.leftInApp > 0) failures.push(`${held.leftInApp} calls were still in the app 120 s after their callers hung up`);

    progress(`gateway: ${options.texts} texts queued at once (measured for ${options.gatewaySeconds} s at most)`);
    const gateway = await runGatewayPhase(app, smsc, { texts: options.texts, first: 0, maxSeconds: options.gatewaySeconds });
    if (gateway.received === 0) failures.push('the gateway submitted no text');

    progress(`callbacks: ${options.openTasks} open tasks over ${options.historySmall} then ${options.history} historical calls`);
    const callbacks = await runCallbacksPhase(app, {
      adminUrl: ready.adminUrl,
      apiKey: API_KEY,
      historySmall: options.historySmall,
      history: options.history,
      openTasks: options.openTasks,
      requests: options.requests,
    });

    facts = {
      database: ready.database,
      databaseWhere: scratch ? `${scratch.name} on ${scratch.where} (scratch, dropped afterwards)` : `PGlite on disk in ${dataDir}`,
      machine,
      quick: options.quick,
      playbackMs: options.playbackMs,
      smppWindow: ready.smppWindow,
      smppMaxPerSecond: ready.smppMaxPerSecond,
      appStartMs: ready.startMs,
      appIdleRssMb: idle.rssMb,
      appPid: app.pid,
      calls,
      held,
      baseline,
      gateway,
      callbacks,
      benchUsage: sampler.read(false),
      wallS: 0,
    };
  } catch (err) {
    failures.push(err instanceof Error ? err.message : String(err));
    if (app) failures.push(`app stderr: ${app.stderr().trim().slice(-1000) || '(empty)'}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }

  if (!facts) {
    console.error(`bench failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    if (options.json) console.log(JSON.stringify({ ok: false, failures }));
    return 1;
  }
  facts.wallS = Math.round((performance.now() - wallStart) / 100) / 10;
  facts.machine.load_avg_end = loadAverage();
  if (options.json) console.log(JSON.stringify(toJson(facts, failures)));
  else console.log(toTable(facts, failures));
  return failures.length === 0 ? 0 : 1;
}

function appEnvironment(p: { ari: FakeAri; smsc: FakeSmsc; dataDir: string; databaseUrl?: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(p.databaseUrl ? { DATABASE_URL: p.databaseUrl } : {}),
    DATA_DIR: p.dataDir,
    ARI_URL: p.ari.url,
    ARI_USERNAME: 'mcr',
    ARI_PASSWORD: 'ari-secret',
    SMPP_URL: p.smsc.url,
    SMPP_SOURCE_ADDR: '+14155559999',
    // The shipped window, unless the caller sets one; no rate cap unless asked (the fake SMSC has none).
    ...(process.env.SMPP_WINDOW ? { SMPP_WINDOW: process.env.SMPP_WINDOW } : {}),
    SMPP_MAX_PER_SECOND: process.env.SMPP_MAX_PER_SECOND ?? '0',
    ADMIN_PORT: '0',
    ADMIN_API_KEY: API_KEY,
    BUSINESS_NAME: 'Acme Plumbing',
    // Callers wait at the question while the memory is read.
    IVR_DTMF_TIMEOUT_SECONDS: '60',
    SPEECH_ENGINE: 'off',
    // Texts go at any hour (the recipients are fakes).
    QUIET_HOURS: '00:00-24:00',
    LOG_LEVEL: 'silent',
    // As the Docker image runs it.
    NODE_ENV: 'production',
  };
}

/** BENCH_CPU_PROF=<folder>: the app process writes a V8 CPU profile there (for finding bottlenecks). */
function profilingFlags(): string[] {
  const folder = process.env.BENCH_CPU_PROF;
  return folder ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(folder)}`] : [];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runBench(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
