import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { Database, EntityManager } from '../../core/db/database.js';
import { ConversationMessage, OutboxMessage, OutboxPart } from '../../core/entities/index.js';
import type { AcceptedPart, SubmitOutcome } from '../sms-transport.js';
import type { ClaimedText } from './claimed-text.js';
import { applyEarlyReceipts, lockMessageIds } from './part-receipts.js';
import { routeFailedLeadToCallbacks } from './route-failed-lead.js';

export interface RecordDeps {
  db: Database;
  /** Base delay before a text that did not leave is tried again (times the attempt number, at most 12x). */
  retryDelayMs: number;
}

/** What the row became, for the caller's log line. */
export type Recorded = 'submitted' | 'queued' | 'refused' | 'failed' | 'unknown' | 'not_ours';

/**
 * Writes down what came of sending a claimed text, in one transaction: its
 * status, every part the SMSC took (with its message id), the conversation
 * line, and any receipt that overtook the response. A row another instance
 * has claimed since is left alone.
 */
export async function recordSubmitOutcome(deps: RecordDeps, claimed: ClaimedText, outcome: SubmitOutcome): Promise<Recorded> {
  return deps.db.fork().transactional(async (tx) => {
    const message = await tx.findOne(OutboxMessage, { id: claimed.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!message || message.attempts !== claimed.attempts) return 'not_ours';
    const now = new Date();
    message.leaseUntil = null;
    const requeue = (error: string | null, notBefore = new Date(now.getTime() + deps.retryDelayMs * Math.min(message.attempts, 12))) => {
      message.status = 'queued';
      message.notBefore = notBefore;
      message.writeStartedAt = null;
      message.error = error;
      return 'queued' as const;
    };
    let recorded: Recorded;
    switch (outcome.status) {
      case 'accepted':
        message.status = 'submitted';
        message.smscMessageId = outcome.messageId;
        message.submittedAt = now;
        message.error = null;
        await addParts(tx, message, outcome.parts, outcome.connection, now);
        if (message.leadId) {
          tx.persist(
            Object.assign(new ConversationMessage(), {
              id: randomUUID(),
              leadId: message.leadId,
              direction: 'out' as const,
              body: message.body,
              author: message.author,
              staffMemberId: message.staffMemberId ?? null,
              outboxId: message.id,
              createdAt: now,
            }),
          );
        }
        recorded = 'submitted';
        break;
      case 'held':
        if (outcome.reason === 'lease_lost') return 'not_ours';
        if (outcome.reason === 'opted_out') {
          message.status = 'refused';
          message.refusalReason = 'opted_out';
          message.finalAt = now;
          message.writeStartedAt = null;
          recorded = 'refused';
        } else {
          // Shutting down, or a deferral: back to the queue, nothing left.
          recorded = requeue(`held: ${outcome.reason}`, outcome.until ?? now);
        }
        break;
      case 'throttled':
        recorded = requeue(`throttled by SMSC (0x${outcome.code.toString(16)})`);
        break;
      case 'not_sent':
        recorded = requeue(outcome.error);
        break;
      case 'rejected':
        if (outcome.permanent) {
          message.status = 'failed';
          message.finalAt = now;
          message.error = outcome.error;
          await routeFailedLeadToCallbacks(tx, message);
          recorded = 'failed';
        } else {
          recorded = requeue(outcome.error);
        }
        break;
      case 'unknown':
        // Never resent: the SMSC may have it (README, "Delivery guarantees").
        message.status = 'unknown';
        message.error = outcome.error;
        message.finalAt = now;
        if (outcome.parts.length > 0) {
          message.smscMessageId ??= outcome.parts[0]!.messageId;
          await addParts(tx, message, outcome.parts, outcome.connection ?? 'unknown', now);
        }
        recorded = 'unknown';
        break;
    }
    await tx.flush();
    return recorded;
  });
}

async function addParts(
  tx: EntityManager,
  message: OutboxMessage,
  parts: readonly AcceptedPart[],
  connection: string,
  now: Date,
): Promise<void> {
  const ids = parts.map((p) => p.messageId);
  await lockMessageIds(tx, ids);
  for (const part of parts) {
    tx.persist(
      Object.assign(new OutboxPart(), {
        outboxId: message.id,
        seq: part.seq,
        total: part.total,
        smscMessageId: part.messageId,
        connection,
        status: 'submitted' as const,
        submittedAt: now,
      }),
    );
  }
  message.segments = parts[0]?.total ?? message.segments;
  await tx.flush();
  await applyEarlyReceipts(tx, ids);
}
