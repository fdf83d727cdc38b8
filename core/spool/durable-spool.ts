import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logging.js';

/**
 * A local, durable queue of work the database could not take: each item is a
 * JSON file written with fsync and renamed into place, so a crash leaves either
 * the whole item or none of it. A flusher replays items until they are stored;
 * the work itself must be idempotent (a replay after a half-seen success is a no-op).
 *
 * Why: a caller who pressed 1 while PostgreSQL was away has still consented, and
 * the evidence (their recording is already on disk) must reach the ledger.
 */
export class DurableSpool<T> {
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;

  constructor(
    private readonly dir: string,
    private readonly store: (item: T) => Promise<unknown>,
    private readonly logger: Logger,
    private readonly retryMs = 5000,
  ) {}

  /** Keeps an item safe on disk; it will be stored by the next successful flush. */
  async put(item: T): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}.json`;
    const temp = path.join(this.dir, `.${name}.tmp`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(JSON.stringify(item));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path.join(this.dir, name));
    this.logger.warn({ spool: path.basename(this.dir), item: name }, 'database unavailable: kept on the local spool');
    this.schedule();
  }

  /** Items waiting on disk. */
  async pending(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => f.endsWith('.json')).sort();
    } catch {
      return [];
    }
  }

  /** Stores what it can, oldest first; stops at the first failure (the database is still away). */
  flush(): Promise<number> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
  }

  private async flushOnce(): Promise<number> {
    let stored = 0;
    for (const name of await this.pending()) {
      const file = path.join(this.dir, name);
      let item: T;
      try {
        item = JSON.parse(await readFile(file, 'utf8'), reviveDates) as T;
      } catch (err) {
        this.logger.error({ err, item: name }, 'unreadable spool item set aside');
        await rename(file, `${file}.unreadable`).catch(() => undefined);
        continue;
      }
      try {
        await this.store(item);
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, waiting: name }, 'spool still cannot reach the database');
        this.schedule();
        return stored;
      }
      await unlink(file);
      stored += 1;
    }
    if (stored > 0) this.logger.info({ stored }, 'spooled work stored');
    return stored;
  }

  private schedule(delayMs = this.retryMs): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Dates went to disk as ISO strings; bring them back as Dates. */
function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value;
}
