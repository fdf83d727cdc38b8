/**
 * The app under test, in its own process: `startApp` exactly as `mcr start`
 * runs it (configuration from the environment the bench sets, default tunings,
 * silent logs), plus an IPC channel through which the bench asks for resource
 * readings and for the data it needs (history rows, queued texts) to be written
 * straight into the database this process owns (the embedded PGlite allows one
 * process only).
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../core/config/load-config.js';
import { createLogger } from '../core/logging.js';
import { startApp, type RunningApp } from '../cli/start-app.js';
import { seedHistory, settleHistory } from './child/seed-history.js';
import { cancelQueuedTexts, outboxCounts, queueTexts } from './child/queue-texts.js';
import { smppBaseline } from './child/smpp-baseline.js';
import { closeCallerCallbacks, countRows, explainCallbacks } from './child/callbacks-sql.js';
import { QueryCounter } from './child/query-counter.js';
import type { Commands, CommandName, FailedMessage, ReadyMessage, RequestMessage, ResponseMessage } from './protocol.js';
import { UsageSampler } from './usage-sampler.js';

type Handler<C extends CommandName> = (args: Commands[C][0]) => Promise<Commands[C][1]>;
type Handlers = { [C in CommandName]: Handler<C> };

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/app-process runs as a child of bench/run (it needs an IPC channel)');
  const sampler = new UsageSampler();
  const queries = new QueryCounter();
  const started = performance.now();
  let app: RunningApp;
  try {
    const config = loadConfig();
    app = await startApp(config, { logger: createLogger(config.logLevel) });
    await until(() => app.ari?.state === 'connected' && app.smpp?.state === 'bound', 20_000);
    const connection = config.smpp?.connections[0];
    const ready: ReadyMessage = {
      ready: true,
      adminUrl: app.adminUrl ?? '',
      database: app.db.kind,
      startMs: Math.round(performance.now() - started),
      smppWindow: connection?.window ?? 0,
      smppMaxPerSecond: connection?.maxPerSecond ?? 0,
    };
    process.send(ready);
  } catch (err) {
    const failed: FailedMessage = { ready: false, error: err instanceof Error ? err.message : String(err) };
    process.send(failed);
    process.exitCode = 1;
    process.disconnect();
    return;
  }

  const handlers: Handlers = {
    usage: async ({ reset }) => ({ ...sampler.read(reset), dbQueries: queries.read(reset) }),
    seedHistory: (args) => seedHistory(app.db, args),
    settleHistory: () => settleHistory(app.db),
    explainCallbacks: () => explainCallbacks(app.db),
    countRows: () => countRows(app.db),
    queueTexts: async (args) => {
      const queued = await queueTexts(app.db, args);
      app.outbox?.wake();
      return queued;
    },
    smppBaseline: (args) => smppBaseline(args),
    outboxCounts: () => outboxCounts(app.db),
    cancelQueuedTexts: () => cancelQueuedTexts(app.db),
    activeCalls: async () => ({ calls: app.activeCalls() }),
    closeCallerCallbacks: ({ phonePrefix }) => closeCallerCallbacks(app.db, phonePrefix),
    stop: async () => {
      const t0 = performance.now();
      await app.stop();
      sampler.stop();
      return { ms: Math.round(performance.now() - t0) };
    },
  };

  process.on('message', (message: RequestMessage) => {
    const handler = handlers[message.command] as (args: unknown) => Promise<unknown>;
    handler(message.args).then(
      (result) => reply({ id: message.id, ok: true, result }, message.command === 'stop'),
      (err: unknown) => reply({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) }, false),
    );
  });
  // The bench went away without asking us to stop: stop anyway.
  process.on('disconnect', () => void app.stop().finally(() => process.exit(0)));
}

function reply(message: ResponseMessage, last: boolean): void {
  process.send?.(message, () => {
    if (last) {
      process.removeAllListeners('disconnect');
      process.disconnect();
    }
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the app did not connect to the fake PBX and bind to the fake SMSC in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

void main();
