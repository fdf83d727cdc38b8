import { randomUUID } from 'node:crypto';
import type { Database, EntityManager } from '../../core/db/database.js';
import { decideOutbound, loadGateFacts } from '../../core/compliance/compliance-gate.js';
import { openCallbackTask } from '../../core/callbacks/callback-tasks.js';
import { ConversationMessage, Lead, OutboxMessage } from '../../core/entities/index.js';
import type { DomainEventBus } from '../../core/events.js';
import type { Logger } from '../../core/logging.js';
import type { SmsTransport, SubmitOutcome } from '../sms-transport.js';

export interface OutboxWorkerOptions {
  db: Database;
  transport: SmsTransport;
  logger: Logger;
  events?: DomainEventBus;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Poll interval when nothing wakes the worker. */
  pollMs?: number;
  /** How long a claimed row belongs to this instance before another may take it over. */
  leaseMs?: number;
  /** Retry delay after a throttle or a not-sent. */
  retryDelayMs?: number;
}

/**
 * Sends queued texts. PostgreSQL is the queue: rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several instances on one database never send the
 * same row, and every row passes the compliance gate inside the claiming
 * transaction, just before it leaves.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeRequested = false;
  private stopped = true;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 5_000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something was queued: look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.loop().finally(() => {
        this.running = null;
        if (!this.stopped) this.schedule(this.wakeRequested ? 0 : this.pollMs);
        this.wakeRequested = false;
      });
    }, delayMs);
  }

  private async loop(): Promise<void> {
    try {
      // Keep going while full batches come back: a backlog drains without waiting for polls.
      while (!this.stopped && (await this.runOnce()) === this.batchSize);
    } catch (err) {
      this.options.logger.error({ err }, 'outbox round failed; retrying at the next poll');
    }
  }

  /** One round: claim, gate, send, record. Returns how many rows were claimed. */
  async runOnce(): Promise<number> {
    if (this.options.transport.state !== 'bound') return 0;
    const claimed = await this.claim();
    await Promise.all(claimed.map((message) => this.send(message)));
    return claimed.length;
  }

  private async claim(): Promise<OutboxMessage[]> {
    const em = this.options.db.fork();
    return em.transactional(async (tx) => {
      const now = new Date();
      const rows = await tx.getConnection().execute<{ id: string }[]>(
        `select id from outbox_message
            where (status = 'queued' and not_before <= ?) or (status = 'sending' and lease_until < ?)
            order by not_before limit ? for update skip locked`,
        [now, now, this.batchSize],
        'all',
        tx.getTransactionContext(),
      );
      if (rows.length === 0) return [];
      const messages = await tx.find(OutboxMessage, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { notBefore: 'asc' } });
      const toSend: OutboxMessage[] = [];
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
          // Its last owner died between claiming and recording the answer: send again (README, "Delivery guarantees").
          this.options.logger.warn({ outboxId: message.id }, 're-sending a text whose sender stopped mid-send');
        }
        message.status = 'sending';
        message.attempts += 1;
        message.leaseUntil = new Date(now.getTime() + this.leaseMs);
        toSend.push(message);
      }
      await tx.flush();
      return toSend;
    });
  }

  private async send(message: OutboxMessage): Promise<void> {
    let outcome: SubmitOutcome;
    try {
      outcome = await this.options.transport.submit({ from: message.fromAddr, to: message.toE164, text: message.body });
    } catch (err) {
      outcome = { status: 'unknown', error: err instanceof Error ? err.message : String(err) };
    }
    await this.record(message.id, outcome);
    if (outcome.status === 'accepted') {
      this.options.events?.emit('sms.submitted', { outboxId: message.id, to: message.toE164, kind: message.kind, at: performance.now() });
    }
  }

  private async record(outboxId: string, outcome: SubmitOutcome): Promise<void> {
    const em: EntityManager = this.options.db.fork();
    await em.transactional(async (tx) => {
      const message = await tx.findOneOrFail(OutboxMessage, { id: outboxId });
      const now = new Date();
      message.leaseUntil = null;
      switch (outcome.status) {
        case 'accepted':
          message.status = 'submitted';
          message.smscMessageId = outcome.messageId;
          message.submittedAt = now;
          message.error = null;
          if (message.leadId) {
            tx.persist(
              Object.assign(new ConversationMessage(), {
                id: randomUUID(),
                leadId: message.leadId,
                direction: 'out' as const,
                body: message.body,
                outboxId: message.id,
                createdAt: now,
              }),
            );
          }
          break;
        case 'throttled':
        case 'not_sent':
          message.status = 'queued';
          message.notBefore = new Date(now.getTime() + this.retryDelayMs * Math.min(message.attempts, 12));
          message.error = outcome.status === 'throttled' ? `throttled by SMSC (0x${outcome.code.toString(16)})` : outcome.error;
          break;
        case 'rejected':
          if (outcome.permanent) {
            message.status = 'failed';
            message.finalAt = now;
            await routeFailedLeadToCallbacks(tx, message);
          } else {
            message.status = 'queued';
            message.notBefore = new Date(now.getTime() + this.retryDelayMs * Math.min(message.attempts, 12));
          }
          message.error = outcome.error;
          break;
        case 'unknown':
          message.status = 'unknown';
          message.error = outcome.error;
          message.finalAt = now;
          break;
      }
      await tx.flush();
    });
    if (outcome.status === 'accepted') this.options.logger.info({ outboxId }, 'text submitted');
    else this.options.logger.warn({ outboxId, outcome: outcome.status }, 'text not submitted');
  }
}

/** A number that cannot take texts is a lead for the phone, not a lost lead. */
export async function routeFailedLeadToCallbacks(em: EntityManager, message: OutboxMessage): Promise<void> {
  if (!message.leadId || message.kind === 'optout_confirmation' || message.kind === 'staff') return;
  const lead = await em.findOne(Lead, { id: message.leadId });
  if (!lead) return;
  lead.status = 'callback';
  lead.updatedAt = new Date();
  await openCallbackTask(em, {
    businessId: message.businessId,
    leadId: message.leadId,
    phoneE164: message.toE164,
    reason: 'failed_delivery',
    missedAt: new Date(),
  });
}
