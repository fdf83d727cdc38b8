import ari, { type Client } from 'ari-client';
import type { Logger } from '../core/logging.js';
import { checkAriCredentials, withoutSwaggerNotice } from './ari-client-quirks.js';
import { AriEvent } from './ari-names.js';
import type { CallRouter, StasisStartJson } from './call-router.js';
import { reconnectDelayMs } from '../core/backoff.js';

export type AriState = 'disconnected' | 'connecting' | 'connected' | 'stopped';

export interface AriConnectionOptions {
  url: string;
  username: string;
  password: string;
  app: string;
  logger: Logger;
  router: CallRouter;
  /** Called with each new client, so the caller can build what needs it (e.g. CallControl). */
  onClient?: (client: Client | null) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** WebSocket ping interval; a missing pong means a half-open connection. */
  keepaliveMs?: number;
}

/**
 * Keeps the Stasis app registered, forever. ari-client reconnects its WebSocket
 * by itself but gives up after a few tries and cannot start at all while
 * Asterisk is down; this wraps it with a capped, jittered backoff that never
 * gives up, and reconciles live calls after every reconnect.
 */
export class AriConnection {
  private stateValue: AriState = 'disconnected';
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private everConnected = false;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  private readonly connectedListeners = new Set<() => void>();

  constructor(private readonly options: AriConnectionOptions) {}

  get state(): AriState {
    return this.stateValue;
  }

  /** Listeners on the current client: constant however many calls come and go (no per-call listeners). */
  get listenerCount(): number {
    // ari-client's Client is an EventEmitter underneath; its typings leave that out.
    const emitter = this.client as unknown as import('node:events').EventEmitter | null;
    if (!emitter) return 0;
    return emitter.eventNames().reduce((sum: number, name) => sum + emitter.listenerCount(name), 0);
  }

  /**
   * Runs after every connect and reconnect of the event socket. Asterisk may
   * have restarted meanwhile and forgotten what it was told (globals set at
   * run time), and it does not say so.
   */
  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stateValue = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopKeepalive();
    const client = this.client;
    this.client = null;
    if (client) {
      try {
        client.stop();
      } catch {
        // already closed
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.stateValue = 'connecting';
    const { logger } = this.options;
    try {
      const check = await checkAriCredentials(this.options.url, this.options.username, this.options.password);
      if (check !== 'ok') {
        throw new Error(check === 'unauthorized' ? 'ARI refused the credentials (ARI_USERNAME / ARI_PASSWORD)' : 'ARI did not answer');
      }
      const client = await withoutSwaggerNotice(() => ari.connect(this.options.url, this.options.username, this.options.password));
      if (this.stopped) {
        client.stop();
        return;
      }
      this.attach(client);
      await withoutSwaggerNotice(() => client.start(this.options.app));
    } catch (err) {
      this.client = null;
      this.options.onClient?.(null);
      this.stateValue = 'disconnected';
      logger.warn(
        { err: describeError(err), attempt: this.attempt },
        'ARI not reachable; will retry (check ARI_URL, ARI_USERNAME, ARI_PASSWORD)',
      );
      this.scheduleRetry();
    }
  }

  private attach(client: Client): void {
    const { router, logger } = this.options;
    this.client = client;
    this.options.onClient?.(client);
    // Events are read through narrow local types (call-router.ts), not ari-client's instance wrappers.
    const on = client.on.bind(client) as unknown as (event: string, listener: (payload: never) => void) => void;
    on(AriEvent.StasisStart, (event: StasisStartJson) => router.onStasisStart(event));
    on(AriEvent.ChannelDtmfReceived, (event: { digit: string; channel: { id: string } }) => router.onDtmf(event.channel.id, event.digit));
    for (const gone of [AriEvent.ChannelHangupRequest, AriEvent.StasisEnd, AriEvent.ChannelDestroyed]) {
      on(gone, (event: { channel: { id: string } }) => router.onChannelGone(event.channel.id));
    }
    on(AriEvent.PlaybackFinished, (event: { playback: { id: string; target_uri?: string } }) =>
      router.onPlaybackFinished(event.playback.id, event.playback.target_uri),
    );
    for (const done of [AriEvent.RecordingFinished, AriEvent.RecordingFailed]) {
      on(done, (event: { recording: { name: string; duration?: number } }) =>
        router.onRecordingFinished(event.recording.name, event.recording.duration),
      );
    }
    client.on('WebSocketConnected', () => {
      const reconnected = this.everConnected;
      this.everConnected = true;
      this.stateValue = 'connected';
      this.attempt = 0;
      logger.info({ app: this.options.app }, reconnected ? 'ARI event socket reconnected' : 'ARI connected, Stasis app registered');
      if (reconnected) void router.reconcile();
      for (const listener of this.connectedListeners) listener();
      this.startKeepalive(client);
    });
    // One listener per client (not per reconnect), so reconnects do not pile up listeners.
    client.on('pong', () => {
      this.awaitingPong = false;
    });
    client.on('WebSocketReconnecting', () => {
      this.stopKeepalive();
      this.stateValue = 'connecting';
      logger.warn('ARI event socket lost; ari-client is reconnecting');
    });
    client.on('WebSocketMaxRetries', () => {
      // ari-client has given up: start over with our own never-ending backoff.
      logger.warn('ARI event socket gave up; reconnecting from scratch');
      this.abandon(client);
    });
  }

  /** Drops a client and starts over from a fresh connect. */
  private abandon(client: Client): void {
    if (this.client !== client) return;
    this.stopKeepalive();
    this.stateValue = 'disconnected';
    try {
      client.stop();
    } catch {
      // already closed
    }
    this.client = null;
    this.options.onClient?.(null);
    this.scheduleRetry();
  }

  /**
   * ari-client sends no keepalive, so a half-open TCP connection (a NAT or a
   * firewall forgetting us) would look alive forever: ping, and start over when
   * no pong comes back.
   */
  private startKeepalive(client: Client): void {
    this.stopKeepalive();
    const interval = this.options.keepaliveMs ?? 20_000;
    this.awaitingPong = false;
    this.keepaliveTimer = setInterval(() => {
      if (this.awaitingPong) {
        this.options.logger.warn('ARI event socket did not answer a ping; reconnecting');
        this.abandon(client);
        return;
      }
      this.awaitingPong = true;
      try {
        client.ping();
      } catch {
        // socket already gone; ari-client's own reconnect is under way
        this.awaitingPong = false;
      }
    }, interval);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = reconnectDelayMs(this.attempt, this.options.initialBackoffMs, this.options.maxBackoffMs);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}

/** The error without anything that could carry credentials (ari-client puts them in URLs). */
function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/api_key=[^&\s]+/g, 'api_key=***').replace(/\/\/[^@/\s]+@/g, '//***@');
}
