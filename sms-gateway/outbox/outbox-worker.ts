import type { Database, EntityManager } from '../../core/db/database.js';
import { decideOutbound, loadGateFacts } from '../../core/compliance/compliance-gate.js';
import { OutboxMessage } from '../../core/entities/index.js';
import type { DomainEventBus } from '../../core/events.js';
import type { Logger } from '../../core/logging.js';
import { countSegments } from '../smpp/sms-encoding.js';
import type { SmsTransport, SubmitOutcome } from '../sms-transport.js';
import type { ClaimedText } from './claimed-text.js';
import { recordSubmitOutcome } from './record-submit-outcome.js';
import { createWriteGuard } from './write-guard.js';

export { routeFailedLeadToCallbacks } from './route-failed-lead.js';

export interface OutboxWorkerOptions {
  db: Database;
  transport: SmsTransport;
  logger: Logger;
  events?: DomainEventBus;
  /** Rows claimed per transaction at most. */
  batchSize?: number;
  /**
   * Texts this worker holds at once (claimed, waiting for a window slot, or in
   * flight). Default: twice the transport's windows, so the windows stay full
   * while responses are recorded.
   */
  maxInFlight?: number;
  /** Poll interval when nothing wakes the worker. */
  pollMs?: number;
  /** How long a claimed row belongs to this instance before another may take it over; renewed at every write. */
  leaseMs?: number;
  /** Retry delay after a throttle or a not-sent (times the attempt number, at most 12x). */
  retryDelayMs?: number;
}

/**
 * Sends queued texts. PostgreSQL is the queue: rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several instances on one database never send the
 * same row, and every row passes the compliance gate inside the claiming
 * transaction. Claimed texts are handed to the transport all at once, up to
 * `maxInFlight`: the SMPP connections' windows and rate caps decide how many
 * are on the wire; each finished text makes room for the next claim. Right
 * before each PDU is written, a guard re-checks the opt-out under the
 * recipient's lock (write-guard.ts).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeRequested = false;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.maxInFlight = options.maxInFlight ?? Math.max(1, options.transport.capacity * 2);
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 5_000;
  }

  /** Texts claimed and not yet recorded. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something was queued, or a text finished: look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops claiming; texts not yet written go back to the queue, written ones are answered and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  /** One round, for tests and tools: claim what there is room for, send it, and wait until it is recorded. */
  async runOnce(): Promise<number> {
    if (!this.options.transport.ready) return 0;
    const claimed = await this.claim(Math.min(this.batchSize, this.maxInFlight - this.inFlight.size));
    await Promise.all(claimed.map((text) => this.dispatch(text)));
    return claimed.length;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.fill().finally(() => {
        this.running = null;
        if (!this.stopped) this.schedule(this.wakeRequested ? 0 : this.pollMs);
        this.wakeRequested = false;
      });
    }, delayMs);
  }

  /** Claims until the worker holds `maxInFlight` texts or the queue has nothing due. */
  private async fill(): Promise<void> {
    try {
      while (!this.stopped && this.options.transport.ready) {
        const room = Math.min(this.batchSize, this.maxInFlight - this.inFlight.size);
        if (room <= 0) return;
        const claimed = await this.claim(room);
        for (const text of claimed) void this.dispatch(text);
        if (claimed.length < room) return;
      }
    } catch (err) {
      this.options.logger.error({ err }, 'outbox round failed; retrying at the next poll');
    }
  }

  private dispatch(text: ClaimedText): Promise<void> {
    const sending: Promise<void> = this.send(text)
      .catch((err: unknown) => this.options.logger.error({ err, outboxId: text.id }, 'sending a text failed unexpectedly'))
      .finally(() => {
        this.inFlight.delete(sending);
        this.wake();
      });
    this.inFlight.add(sending);
    return sending;
  }

  private async claim(limit: number): Promise<ClaimedText[]> {
    if (limit <= 0) return [];
    const em = this.options.db.fork();
    return em.transactional(async (tx) => {
      const now = new Date();
      await this.markLapsedWrites(tx, now);
      const rows = await tx.getConnection().execute<{ id: string }[]>(
        `select id from outbox_message
            where (status = 'queued' and not_before <= ?)
               or (status = 'sending' and lease_until < ? and write_started_at is null)
            order by not_before limit ? for update skip locked`,
        [now, now, limit],
        'all',
        tx.getTransactionContext(),
      );
      if (rows.length === 0) return [];
      // The gate takes a lock per recipient: taking them in one canonical order
      // (business, number, then time) means two instances claiming overlapping
      // batches queue behind each other instead of deadlocking. The texts still
      // leave first come, first served (the order of `rows`).
      const messages = await tx.find(
        OutboxMessage,
        { id: { $in: rows.map((r) => r.id) } },
        { orderBy: { businessId: 'asc', toE164: 'asc', notBefore: 'asc' } },
      );
      const sendOrder = new Map(rows.map((row, index) => [row.id, index]));
      const toSend: ClaimedText[] = [];
      for (const message of messages) {
        const decision = decideOutbound(await loadGateFacts(tx, message));
        if (!decision.allow && decision.until) {
          // Not now (quiet hours): wait, and be checked again then.
          message.status = 'queued';
          message.leaseUntil = null;
          message.notBefore = decision.until;
          message.refusalReason = decision.reason;
          continue;
        }
        if (!decision.allow) {
          message.status = 'refused';
          message.refusalReason = decision.reason;
          message.finalAt = now;
          this.options.logger.info({ outboxId: message.id, reason: decision.reason }, 'compliance gate refused a text');
          continue;
        }
        if (message.status === 'sending') {
          // Its last owner stopped before writing anything (write_started_at is empty): safe to send.
          this.options.logger.warn({ outboxId: message.id }, 're-sending a text whose sender stopped before writing it');
        }
        message.status = 'sending';
        message.attempts += 1;
        message.leaseUntil = new Date(now.getTime() + this.leaseMs);
        message.writeStartedAt = null;
        message.segments ??= countSegments(message.body);
        toSend.push({
          id: message.id,
          attempts: message.attempts,
          businessId: message.businessId,
          toE164: message.toE164,
          fromAddr: message.fromAddr,
          kind: message.kind,
          body: message.body,
        });
      }
      await tx.flush();
      return toSend.sort((a, b) => (sendOrder.get(a.id) ?? 0) - (sendOrder.get(b.id) ?? 0));
    });
  }

  /**
   * A row whose sender stopped (crash, lost database) after handing a
   * submit_sm to the SMSC, and whose lease then ran out: the SMSC may have
   * it, so it is `unknown`, never sent again (README, "Delivery guarantees").
   */
  private async markLapsedWrites(tx: EntityManager, now: Date): Promise<void> {
    const lapsed = await tx.getConnection().execute<{ id: string }[]>(
      `update outbox_message
          set status = 'unknown', final_at = ?, lease_until = null,
              error = 'the sender stopped after writing submit_sm; not resent'
        where id in (select id from outbox_message
                      where status = 'sending' and lease_until < ? and write_started_at is not null
                      for update skip locked)
        returning id`,
      [now, now],
      'all',
      tx.getTransactionContext(),
    );
    if (lapsed.length > 0) this.options.logger.warn({ outboxIds: lapsed.map((r) => r.id) }, 'texts left mid-send marked unknown');
  }

  private async send(text: ClaimedText): Promise<void> {
    const guard = createWriteGuard({ db: this.options.db, leaseMs: this.leaseMs, isStopping: () => this.stopped }, text);
    let outcome: SubmitOutcome;
    try {
      outcome = await this.options.transport.submit(
        { from: text.fromAddr, to: text.toE164, text: text.body, businessId: text.businessId },
        guard,
      );
    } catch (err) {
      // The transport should not throw; if it does, it may have written something.
      outcome = { status: 'unknown', error: err instanceof Error ? err.message : String(err), parts: [] };
    }
    const recorded = await recordSubmitOutcome({ db: this.options.db, retryDelayMs: this.retryDelayMs }, text, outcome);
    if (recorded === 'submitted') {
      this.options.logger.info({ outboxId: text.id }, 'text submitted');
      this.options.events?.emit('sms.submitted', { outboxId: text.id, to: text.toE164, kind: text.kind, at: performance.now() });
    } else {
      this.options.logger.warn({ outboxId: text.id, outcome: outcome.status, recorded }, 'text not submitted');
    }
  }
}
