import { LockMode } from '@mikro-orm/core';
import type { Database, EntityManager } from '../../core/db/database.js';
import { lockRecipient } from '../../core/compliance/send-caps.js';
import { OptOutEvent, OutboxMessage, type MessageKind } from '../../core/entities/index.js';
import type { WriteGuard } from '../sms-transport.js';
import type { ClaimedText } from './claimed-text.js';

export interface WriteGuardDeps {
  db: Database;
  /** How long the row stays ours after each write. */
  leaseMs: number;
  /** True once the worker is stopping: nothing new is written. */
  isStopping: () => boolean;
}

/** The STOP confirmation must still go after a STOP; staff texts go to the business, not to the caller. */
const SENT_DESPITE_OPT_OUT: ReadonlySet<MessageKind> = new Set(['optout_confirmation', 'staff']);

/**
 * The last word before each submit_sm of a claimed text leaves: in one short
 * transaction, lock the row and the recipient (the same advisory lock the
 * STOP processing takes before it saves the opt-out), check the row is still
 * ours and the number has not opted out, stamp `write_started_at`, and hand
 * the PDU to the socket before committing. So a STOP is either committed
 * before the check (and nothing is written) or waits for the lock until the
 * PDU has been handed over: nothing is written after an opt-out is saved.
 *
 * Never awaits the network inside the transaction (the write is a synchronous
 * hand-over; the window and the pacer were waited for before): the embedded
 * database has a single connection, and holding it across a network wait
 * would stall every other unit of work, inbound STOPs included.
 */
export function createWriteGuard(deps: WriteGuardDeps, claimed: ClaimedText): WriteGuard {
  return async (part, write) => {
    // Stopping: no new text starts, but one already partly out is finished rather than cut short.
    if (deps.isStopping() && part.seq === 1) return { go: false, reason: 'shutting_down' };
    return deps.db.fork().transactional(async (tx) => {
      // The row first, then the recipient: the order the claim takes them in, so the two never deadlock.
      const row = await tx.findOne(OutboxMessage, { id: claimed.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!row || row.status !== 'sending' || row.attempts !== claimed.attempts) return { go: false, reason: 'lease_lost' };
      await lockRecipient(tx, row.businessId, row.toE164);
      if (!SENT_DESPITE_OPT_OUT.has(row.kind) && (await isOptedOut(tx, row.businessId, row.toE164))) {
        return { go: false, reason: 'opted_out' };
      }
      const now = new Date();
      row.writeStartedAt ??= now;
      row.leaseUntil = new Date(now.getTime() + deps.leaseMs);
      await tx.flush();
      write();
      return { go: true };
    });
  };
}

/** The newest STOP/START event for this business and number is a STOP. */
export async function isOptedOut(em: EntityManager, businessId: string, phoneE164: string): Promise<boolean> {
  const latest = await em.findOne(OptOutEvent, { businessId, phoneE164 }, { orderBy: { createdAt: 'desc' }, fields: ['action'] });
  return latest?.action === 'stop';
}
