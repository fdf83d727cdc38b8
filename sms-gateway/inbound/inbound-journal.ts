import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Database } from '../../core/db/database.js';
import { InboundPdu } from '../../core/entities/index.js';
import { sha256Hex } from '../../core/hashing.js';
import { sanitizeText } from '../../core/phone.js';

/** A deliver_sm as the SMPP adapter decoded it. */
export interface ReceivedDeliverSm {
  sourceAddr: string;
  destinationAddr: string;
  text: string;
  /** Delivery receipts carry the id of the message they report on. */
  receipt?: { messageId: string; state: string };
  /** One part of a long text (UDH concatenation or SAR TLVs): reassembled by (source, destination, reference). */
  part?: { reference: number; total: number; seq: number };
  receivedAt?: Date;
}

/** SMSCs redeliver a deliver_sm whose response they missed; one within this window is the same message. */
const MO_DEDUPE_WINDOW_MS = 10 * 60 * 1000;
const MAX_BODY = 2000;

/**
 * Saves a received PDU. Called BEFORE deliver_sm_resp is sent: if we crash
 * after acknowledging, the text is already on disk; if we crash before, the
 * SMSC redelivers and the dedupe key turns the copy into a no-op.
 */
export async function saveInboundPdu(db: Database, pdu: ReceivedDeliverSm): Promise<{ id: string; duplicate: boolean }> {
  const receivedAt = pdu.receivedAt ?? new Date();
  const body = sanitizeText(pdu.text, MAX_BODY);
  const sourceAddr = sanitizeText(pdu.sourceAddr, 32);
  const destinationAddr = sanitizeText(pdu.destinationAddr, 32);
  const dedupeKey = pdu.receipt
    ? `dlr:${sha256Hex(`${pdu.receipt.messageId}|${pdu.receipt.state}`)}`
    : `mo:${sha256Hex(`${sourceAddr}|${destinationAddr}|${body}|${Math.floor(receivedAt.getTime() / MO_DEDUPE_WINDOW_MS)}`)}`;
  const row = Object.assign(new InboundPdu(), {
    id: randomUUID(),
    dedupeKey,
    kind: pdu.receipt ? ('receipt' as const) : ('mo' as const),
    sourceAddr,
    destinationAddr,
    body,
    receiptedMessageId: pdu.receipt ? sanitizeText(pdu.receipt.messageId, 64) : null,
    receiptState: pdu.receipt ? sanitizeText(pdu.receipt.state, 16) : null,
    receivedAt,
  });
  try {
    await db.fork().persistAndFlush(row);
    return { id: row.id, duplicate: false };
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      const existing = await db.fork().findOneOrFail(InboundPdu, { dedupeKey });
      return { id: existing.id, duplicate: true };
    }
    throw err;
  }
}
