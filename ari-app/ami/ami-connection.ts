import AsteriskManager from 'asterisk-manager';
import type { Logger } from '../../core/logging.js';
import type { AmiMessage } from './ami-headers.js';
import { describeAmiTarget, type AmiTarget } from './ami-url.js';
import { guardRawEvents } from './asterisk-manager-quirks.js';
import { reconnectDelayMs } from '../../core/backoff.js';

export type AmiState = 'disconnected' | 'connecting' | 'connected' | 'stopped';

export interface AmiConnectionOptions {
  target: AmiTarget;
  logger: Logger;
  /** Every event, while logged in. Called synchronously: keep it quick (a throw is caught and logged). */
  onEvent: (event: AmiMessage) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often a Ping checks the connection (a half-open socket looks alive forever otherwise). */
  keepaliveMs?: number;
  /** How long connect + login, and each Ping, may take before the connection counts as lost. */
  answerTimeoutMs?: number;
}

type Manager = AsteriskManager.ManagerInstance;

/**
 * Keeps one AMI session logged in, forever. asterisk-manager's own
 * keepConnected() is not used: it arms only in a narrow case, never gives up but
 * never jitters, cannot tell a refused secret from a dead PBX and prints with
 * console.log. Instead every attempt gets a fresh Manager (so a stale socket's
 * late events cannot reach us), and failures back off, capped and jittered.
 */
export class AmiConnection {
  private stateValue: AmiState = 'disconnected';
  private manager: Manager | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private answerTimer: NodeJS.Timeout | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private everConnected = false;

  constructor(private readonly options: AmiConnectionOptions) {}

  get state(): AmiState {
    return this.stateValue;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stateValue = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.clearSessionTimers();
    const manager = this.manager;
    this.manager = null;
    manager?.disconnect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.stateValue = 'connecting';
    const { target, logger } = this.options;
    // No port to the constructor: its own login would swallow a refused secret.
    const manager = AsteriskManager(undefined, undefined, target.username, target.secret, true);
    this.manager = manager;
    const current = () => this.manager === manager;

    guardRawEvents(manager, (err) => logger.warn({ err: describeError(err) }, 'AMI sent a message the client could not read; skipped'));
    // The library has its own no-op 'error' listener, so errors cannot throw; the 'close' that follows is what we act on.
    manager.on('error', (err: unknown) => {
      if (current()) logger.debug({ err: describeError(err) }, 'AMI socket error');
    });
    manager.on('close', (hadError: unknown) => {
      // An AMI event named "Close" would arrive here too (the library emits events by name): only the socket's boolean counts.
      if (typeof hadError !== 'boolean' || !current()) return;
      this.lost(manager, 'connection closed');
    });
    manager.on('managerevent', (event: AmiMessage) => {
      if (!current() || this.stateValue !== 'connected') return;
      try {
        this.options.onEvent(event);
      } catch (err) {
        // Runs inside the library's process.nextTick: a throw here would end the process.
        logger.error({ err: describeError(err) }, 'handling an AMI event failed; skipped');
      }
    });

    this.answerTimer = setTimeout(() => this.lost(manager, 'no answer to connect and login'), this.options.answerTimeoutMs ?? 10_000);
    manager.connect(target.port, target.host, () => {
      if (!current()) {
        // Gave up on this attempt while it was connecting: the library leaves such sockets open.
        manager.disconnect();
        return;
      }
      manager.login((refusal) => {
        if (!current()) return;
        this.clearSessionTimers();
        if (refusal) {
          logger.error(
            { ami: describeAmiTarget(target), message: typeof refusal.message === 'string' ? refusal.message : undefined },
            'AMI refused the login; will retry (check the user and secret in AMI_URL, and permit= in manager.conf)',
          );
          this.lost(manager, 'login refused', true);
          return;
        }
        const reconnected = this.everConnected;
        this.everConnected = true;
        this.attempt = 0;
        this.stateValue = 'connected';
        logger.info({ ami: describeAmiTarget(target) }, reconnected ? 'AMI reconnected' : 'AMI connected');
        this.startKeepalive(manager);
      });
    });
  }

  /** Drops this session and schedules the next attempt. */
  private lost(manager: Manager, why: string, alreadyLogged = false): void {
    if (!this.manager || this.manager !== manager) return;
    this.clearSessionTimers();
    this.manager = null;
    manager.disconnect();
    if (this.stopped) return;
    const wasConnected = this.stateValue === 'connected';
    this.stateValue = 'disconnected';
    if (!alreadyLogged) {
      const fields = { ami: describeAmiTarget(this.options.target), why, attempt: this.attempt };
      if (wasConnected) this.options.logger.warn(fields, 'AMI connection lost; reconnecting');
      else this.options.logger.warn(fields, 'AMI not reachable; will retry (check AMI_URL and manager.conf)');
    }
    this.scheduleRetry();
  }

  private startKeepalive(manager: Manager): void {
    const interval = this.options.keepaliveMs ?? 20_000;
    this.keepaliveTimer = setInterval(() => {
      if (this.answerTimer) return; // the previous ping is still out
      this.answerTimer = setTimeout(() => this.lost(manager, 'no answer to ping'), this.options.answerTimeoutMs ?? 10_000);
      manager.action({ action: 'Ping' }, () => {
        if (!this.manager || this.manager !== manager) return;
        if (this.answerTimer) clearTimeout(this.answerTimer);
        this.answerTimer = null;
      });
    }, interval);
  }

  private clearSessionTimers(): void {
    if (this.answerTimer) clearTimeout(this.answerTimer);
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.answerTimer = null;
    this.keepaliveTimer = null;
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = reconnectDelayMs(this.attempt, this.options.initialBackoffMs, this.options.maxBackoffMs);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }
}

/** An error as text; AMI errors never carry the secret, but URLs in messages are masked all the same. */
function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unexpected value';
  return message.replace(/\/\/[^@/\s]+@/g, '//***@');
}
