import type { Database } from '../db/database.js';
import type { Logger } from '../logging.js';
import { reconnectDelayMs } from '../backoff.js';
import { consumeIntegrationEvents, type EventBatch } from './integration-events.js';

export interface EventConsumerOptions {
  db: Database;
  /** The consumer's name: its position in the log is kept under it (one per purpose, shared by instances). */
  name: string;
  handle: (batch: EventBatch) => Promise<void>;
  logger: Logger;
  /** How often the log is read when nothing wakes the consumer (default 1 s). */
  pollMs?: number;
  batchSize?: number;
}

/**
 * Reads the event log for one purpose (webhook fan-out, staff notifications),
 * batch after batch until it is caught up, then every `pollMs` or at `wake()`.
 * A failing batch is retried with capped backoff and never skipped: what it
 * causes is written in the batch's own transaction, so the handler should
 * only record work (delivery rows, notification rows), not do slow I/O.
 */
export class EventConsumer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private failures = 0;

  constructor(private readonly options: EventConsumerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Read now (something was just recorded). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Reads until caught up; resolves when done (tests use it to step the consumer). */
  async drain(): Promise<void> {
    while ((await consumeIntegrationEvents(this.options.db, this.options.name, this.options.handle, this.options.batchSize)) > 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.again = false;
    try {
      await this.drain();
      this.failures = 0;
      this.schedule(this.again ? 0 : (this.options.pollMs ?? 1000));
    } catch (err) {
      this.failures += 1;
      const delay = reconnectDelayMs(this.failures - 1, 500, 60_000);
      this.options.logger.error(
        { err, consumer: this.options.name, retryInMs: Math.round(delay) },
        'event consumer batch failed; it will be retried',
      );
      this.schedule(delay);
    }
  }
}
