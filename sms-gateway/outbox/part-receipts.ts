import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../core/db/database.js';
import { InboundPdu, OutboxMessage, OutboxPart, type OutboxPartStatus } from '../../core/entities/index.js';
import { routeFailedLeadToCallbacks } from './route-failed-lead.js';

export interface ReceiptFacts {
  messageId: string;
  /** The receipt's stat as the SMSC wrote it (DELIVRD, UNDELIV, ...). */
  state: string;
  at: Date;
}

/** Arbitrary first key of the advisory lock, apart from the recipient lock's ("MCR"). */
const RECEIPT_LOCK_NAMESPACE = 0x4d4344; // "MCD"

const FINAL_STATES: Readonly<Record<string, OutboxPartStatus>> = {
  DELIVRD: 'delivered',
  DELIVERED: 'delivered',
  EXPIRED: 'expired',
  UNDELIV: 'failed',
  UNDELIVERABLE: 'failed',
  REJECTD: 'failed',
  REJECTED: 'failed',
  DELETED: 'failed',
};

/**
 * Serialises, per SMSC message id, the receipt's processing with the
 * recording of the submit_sm_resp that gave the id. The two race (the
 * receipt can be saved before the response is recorded): whichever comes
 * second sees the other's work, so no receipt is lost. Ids are locked in
 * sorted order so two holders never deadlock.
 */
export async function lockMessageIds(em: EntityManager, messageIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(messageIds)].sort()) {
    await em
      .getConnection()
      .execute('select pg_advisory_xact_lock(?, hashtext(?))', [RECEIPT_LOCK_NAMESPACE, id], 'all', em.getTransactionContext());
  }
}

/**
 * Applies one delivery receipt to the part it is about, then settles the
 * text. Returns false when no text has that id (yet: the caller of
 * `applyEarlyReceipts` picks it up when the response is recorded).
 */
export async function applyDeliveryReceipt(em: EntityManager, receipt: ReceiptFacts): Promise<boolean> {
  await lockMessageIds(em, [receipt.messageId]);
  return applyLocked(em, receipt);
}

/**
 * Receipts for these ids that were saved before their parts existed (the
 * SMSC's receipt overtook our recording of its submit_sm_resp). Call with the
 * ids locked, after the parts are persisted.
 */
export async function applyEarlyReceipts(em: EntityManager, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const early = await em.find(
    InboundPdu,
    { kind: 'receipt', receiptedMessageId: { $in: [...messageIds] } },
    { orderBy: { receivedAt: 'asc' } },
  );
  for (const pdu of early) {
    if (pdu.receiptedMessageId && pdu.receiptState) {
      await applyLocked(em, { messageId: pdu.receiptedMessageId, state: pdu.receiptState, at: pdu.receivedAt });
    }
  }
}

async function applyLocked(em: EntityManager, receipt: ReceiptFacts): Promise<boolean> {
  const status = FINAL_STATES[receipt.state.toUpperCase()];
  // Message ids are unique per SMSC only: with several, the newest part still waiting is the likeliest.
  const parts = await em.find(OutboxPart, { smscMessageId: receipt.messageId }, { orderBy: { submittedAt: 'desc' } });
  const part = parts.find((p) => p.status === 'submitted') ?? parts[0];
  if (part) {
    // Receipts for the other parts of this text may be applied right now in other
    // transactions: the text's row lock makes each one see the others' parts.
    const message = await em.findOne(OutboxMessage, { id: part.outboxId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // The first final word on a part stands; ENROUTE, ACCEPTD and the like change nothing.
    if (status && part.status === 'submitted') {
      part.status = status;
      part.receiptState = receipt.state.toUpperCase();
      part.receiptAt = receipt.at;
    }
    await em.flush();
    if (message) await settleFromParts(em, message);
    return true;
  }
  // Texts sent before parts were recorded kept only their (single) id on the row.
  const legacy = await em.findOne(OutboxMessage, { smscMessageId: receipt.messageId });
  if (!legacy) return false;
  if (status) await settle(em, legacy, [{ seq: 1, status, receiptState: receipt.state.toUpperCase() }], 1);
  return true;
}

/** The text's status from its parts: failed if any failed, else expired if any expired, else delivered once all are. */
export async function settleFromParts(em: EntityManager, message: OutboxMessage): Promise<void> {
  const parts = await em.find(OutboxPart, { outboxId: message.id }, { orderBy: { seq: 'asc' } });
  await settle(em, message, parts, message.segments ?? parts[0]?.total ?? 1);
}

type PartState = Pick<OutboxPart, 'seq' | 'status' | 'receiptState'>;

async function settle(em: EntityManager, message: OutboxMessage, parts: readonly PartState[], total: number): Promise<void> {
  // Only a text every part of which the SMSC took is settled by receipts: an `unknown`
  // or `refused` one stays as it is, its parts keep what the receipts said.
  if (message.status !== 'submitted') return;
  const failed = parts.find((p) => p.status === 'failed') ?? parts.find((p) => p.status === 'expired');
  const now = new Date();
  if (failed) {
    message.status = failed.status === 'failed' ? 'failed' : 'expired';
    message.finalAt = now;
    message.error = `receipt ${failed.receiptState ?? failed.status} for part ${failed.seq} of ${total}`;
    // Failed or expired, the caller never got the text: a receptionist calls instead.
    await routeFailedLeadToCallbacks(em, message);
  } else if (parts.filter((p) => p.status === 'delivered').length >= total) {
    message.status = 'delivered';
    message.finalAt = now;
  }
  await em.flush();
}
