import type { Database } from '../db/database.js';
import { Notification } from '../entities/index.js';
import type { Logger } from '../logging.js';
import type { MailTransport } from './mail-transport.js';

export interface EmailSenderOptions {
  db: Database;
  transport: MailTransport;
  from: string;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed e-mail belongs to this instance; after that another may send it. */
  leaseMs?: number;
  /** Attempts before a notification is `failed` (visible, resendable). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 6 h. */
  retryBaseMs?: number;
  now?: () => Date;
}

const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

/**
 * Sends queued e-mail notifications. Rows are claimed with FOR UPDATE SKIP
 * LOCKED and a lease in a short transaction; the SMTP conversation happens
 * after it commits (never inside a transaction: the embedded database has one
 * connection); the result is written in a second one. A failed send waits
 * (1 min, 2, 4 ... at most 6 h) and is retried, then is `failed` after
 * `maxAttempts`; `last_error` says why. A sender that dies mid-send leaves a
 * lease that runs out: the e-mail is sent again (at least once, never lost).
 */
export class EmailSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly options: EmailSenderOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sends what is due until nothing is; resolves with how many were tried (tests step it). */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return total;
      for (const row of claimed) await this.send(row);
      total += claimed.length;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.again = false;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err) => this.options.logger.error({ err }, 'e-mail round failed; retrying at the next poll'))
        .finally(() => {
          this.running = null;
          this.schedule(this.again ? 0 : (this.options.pollMs ?? 5000));
        });
    }, ms);
    this.timer.unref?.();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async claim(): Promise<Notification[]> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 120_000));
    return this.options.db.fork().transactional(async (tx) => {
      const rows = await tx.getConnection().execute<{ id: string }[]>(
        `select id from notification
          where channel = 'email'
            and ((status = 'queued' and next_attempt_at <= ?) or (status = 'sending' and lease_until < ?))
          order by next_attempt_at
          limit ? for update skip locked`,
        [now, now, this.options.batchSize ?? 10],
        'all',
        tx.getTransactionContext(),
      );
      if (rows.length === 0) return [];
      const claimed = await tx.find(Notification, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { nextAttemptAt: 'asc' } });
      for (const row of claimed) {
        row.status = 'sending';
        row.leaseUntil = leaseUntil;
        row.attempts += 1;
      }
      await tx.flush();
      return claimed;
    });
  }

  private async send(row: Notification): Promise<void> {
    let error: string | null = null;
    try {
      await this.options.transport.send({
        from: this.options.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.bodyText,
        html: row.bodyHtml,
        attachments: row.attachments,
        notificationId: row.id,
      });
    } catch (err) {
      // The server's words (e.g. "550 mailbox unavailable"), never credentials: nodemailer does not echo them.
      error = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 500);
    }
    const now = this.now();
    const maxAttempts = this.options.maxAttempts ?? 8;
    await this.options.db.fork().transactional(async (tx) => {
      const current = await tx.findOne(Notification, { id: row.id });
      // Someone else took it over after our lease ran out, or it was resent: theirs now.
      if (!current || current.status !== 'sending' || current.attempts !== row.attempts) return;
      current.leaseUntil = null;
      current.lastError = error;
      if (!error) {
        current.status = 'sent';
        current.sentAt = now;
      } else if (current.attempts >= maxAttempts) {
        current.status = 'failed';
      } else {
        const delay = Math.min(MAX_RETRY_DELAY_MS, (this.options.retryBaseMs ?? 60_000) * 2 ** (current.attempts - 1));
        current.status = 'queued';
        current.nextAttemptAt = new Date(now.getTime() + delay * (0.9 + Math.random() * 0.2));
      }
      await tx.flush();
    });
    if (error) {
      this.options.logger.warn({ notificationId: row.id, attempts: row.attempts, error }, 'an e-mail notification could not be sent');
    }
  }
}
