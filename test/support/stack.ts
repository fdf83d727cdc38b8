import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config/load-config.js';
import type { Database } from '../../core/db/database.js';
import { DomainEventBus, type DomainEvents } from '../../core/events.js';
import { createLogger, type Logger } from '../../core/logging.js';
import { startApp, type RunningApp } from '../../cli/start-app.js';
import { createFakeAri, type FakeAri } from '../fakes/ari/index.js';
import { createFakeSmsc } from '../fakes/smsc/index.js';
import type { FakeSmsc } from '../fakes/smsc/types.js';

export const STACK_API_KEY = 'mcr_test_key_for_the_stack_0123456789';

export interface Stack {
  app: RunningApp;
  ari: FakeAri;
  smsc: FakeSmsc;
  events: DomainEventBus;
  dataDir: string;
  apiKey: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** A database to run on (tests pass a fresh one); otherwise the embedded one in a temp folder. */
  database?: Database;
  logger?: Logger;
  playbackMs?: number;
  dtmfTimeoutSeconds?: number;
  receiptDelayMs?: number | null;
  /** Spoken answers (SPEECH_ENGINE); default off. */
  speechEngine?: 'off' | 'pocketsphinx';
  /** The sounds folder with `<language>/[<set>/]MANIFEST.json` (default: the shipped prompts). */
  promptsRoot?: string;
  /** QUIET_HOURS; default `00:00-24:00` (off). */
  quietHours?: string;
  /** IVR_OFFER_MESSAGE; default off here (the fake PBX hears no silence, so a message ends only at its limit). */
  offerMessage?: boolean;
  /** SMTP_URL for staff alert e-mails. */
  smtpUrl?: string;
  /** Any other settings (environment names). */
  env?: Record<string, string>;
}

/**
 * The product wired to fakes that speak the real protocols: ari-client talks
 * HTTP + WebSocket to the fake Asterisk, the SMPP transceiver binds to the fake
 * SMSC over TCP. Used by the end-to-end tests and by `mcr demo`.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const ari = await createFakeAri({ username: 'mcr', password: 'ari-secret', playbackMs: options.playbackMs ?? 20 });
  const smsc = await createFakeSmsc({ systemId: 'mcr', password: 'smpp-pw', receiptDelayMs: options.receiptDelayMs ?? 20 });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mcr-stack-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ARI_URL: ari.url,
    ARI_USERNAME: 'mcr',
    ARI_PASSWORD: 'ari-secret',
    SMPP_URL: smsc.url,
    SMPP_SOURCE_ADDR: '+14155559999',
    ADMIN_PORT: '0',
    ADMIN_API_KEY: STACK_API_KEY,
    BUSINESS_NAME: 'Acme Plumbing',
    IVR_DTMF_TIMEOUT_SECONDS: String(options.dtmfTimeoutSeconds ?? 1),
    LOG_LEVEL: 'silent',
    SPEECH_ENGINE: options.speechEngine ?? 'off',
    // The fakes have no one asleep, and these runs happen at any hour; the
    // quiet-hours tests (test/compliance) set their own clock and window.
    QUIET_HOURS: options.quietHours ?? '00:00-24:00',
    IVR_OFFER_MESSAGE: options.offerMessage ? 'on' : 'off',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const events = new DomainEventBus();
  const app = await startApp(config, {
    logger: options.logger ?? createLogger('silent'),
    events,
    database: options.database,
    promptsRoot: options.promptsRoot,
    tuning: { outboxPollMs: 200, ariMaxBackoffMs: 500, recordingSettleMs: 1000, alertsPollMs: 200 },
  });
  await Promise.all([
    until(() => app.ari?.state === 'connected', 10_000, 'ARI connection'),
    until(() => app.smpp?.state === 'bound', 10_000, 'SMPP bind'),
  ]);
  return {
    app,
    ari,
    smsc,
    events,
    dataDir,
    apiKey: STACK_API_KEY,
    stop: async () => {
      await app.stop();
      await Promise.all([ari.close(), smsc.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface MissedCall {
  channelId: string;
  /** performance.now() when StasisStart was sent. */
  enteredAt: number;
}

/** A caller's call rings out and the dialplan sends it to the app. */
export function missCall(stack: Stack, caller: { number: string; name?: string; did?: string; reason?: string }): MissedCall {
  const did = caller.did ?? '+14155559999';
  const channelId = stack.ari.addChannel({ callerNumber: caller.number, callerName: caller.name, exten: did });
  const enteredAt = performance.now();
  if (!stack.ari.startStasis(channelId, [caller.reason ?? 'NOANSWER', did])) throw new Error('the app is not registered with the fake ARI');
  return { channelId, enteredAt };
}

/**
 * Waits until a playback containing a prompt (e.g. `mcr-disclosure`) has finished
 * on a channel; keys count only after it. `after` skips playbacks requested
 * before that many requests had been made (to wait for a replay).
 */
export async function promptHeard(stack: Stack, channelId: string, sound: string, timeoutMs = 10_000, after = 0): Promise<void> {
  const play = await stack.ari.waitForRequest(
    (r) =>
      stack.ari.requests.indexOf(r) >= after &&
      r.method === 'POST' &&
      r.path.startsWith(`/ari/channels/${channelId}/play`) &&
      JSON.stringify(r.query).includes(sound),
    timeoutMs,
  );
  const playbackId = play.path.split('/').pop();
  await stack.ari.waitForEvent(
    (e) => e.type === 'PlaybackFinished' && (e as { playback?: { id?: string } }).playback?.id === playbackId,
    timeoutMs,
  );
}

/** Waits until the disclosure has finished playing to a channel. */
export function disclosureHeard(stack: Stack, channelId: string, timeoutMs = 10_000): Promise<void> {
  return promptHeard(stack, channelId, 'mcr-disclosure', timeoutMs);
}

/** The caller agrees to texts: 1 after the disclosure, and 1 again when asked whether the phone takes texts. */
export async function consentByKeypad(stack: Stack, channelId: string): Promise<void> {
  await disclosureHeard(stack, channelId);
  stack.ari.sendDtmf(channelId, '1');
  await promptHeard(stack, channelId, 'mcr-ask-mobile');
  stack.ari.sendDtmf(channelId, '1');
}

/** Resolves with the first domain event of a kind that matches, or rejects after the timeout. */
export function nextEvent<K extends keyof DomainEvents>(
  events: DomainEventBus,
  name: K,
  match: (payload: DomainEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<DomainEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = events.on(name, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
