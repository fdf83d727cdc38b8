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
export const MO_DEDUPE_WINDOW_MS = 10 * 60 * 1000;
const MAX_BODY = 2000;

/**
 * Saves a received PDU. Called BEFORE deliver_sm_resp is sent: if we crash
 * after acknowledging, the text is already on disk; if we crash before, the
 * SMSC redelivers and the dedupe key turns the copy into a no-op. A part of a
 * long text is saved the same way, as a `mo_part` row (part-assembler.ts puts
 * the parts together when it is processed).
 */
export async function saveInboundPdu(db: Database, pdu: ReceivedDeliverSm): Promise<{ id: string; duplicate: boolean }> {
  const row = toRow(pdu);
  try {
    await db.fork().persistAndFlush(row);
    return { id: row.id, duplicate: false };
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      const existing = await db.fork().findOneOrFail(InboundPdu, { dedupeKey: row.dedupeKey });
      return { id: existing.id, duplicate: true };
    }
    throw err;
  }
}

function toRow(pdu: ReceivedDeliverSm): InboundPdu {
  const receivedAt = pdu.receivedAt ?? new Date();
  const sourceAddr = sanitizeText(pdu.sourceAddr, 32);
  const destinationAddr = sanitizeText(pdu.destinationAddr, 32);
  const row = Object.assign(new InboundPdu(), {
    id: randomUUID(),
    sourceAddr,
    destinationAddr,
    body: sanitizeText(pdu.text, MAX_BODY),
    receiptedMessageId: null,
    receiptState: null,
    receivedAt,
  });
  const window = Math.floor(receivedAt.getTime() / MO_DEDUPE_WINDOW_MS);
  if (pdu.receipt) {
    return Object.assign(row, {
      kind: 'receipt' as const,
      dedupeKey: `dlr:${sha256Hex(`${pdu.receipt.messageId}|${pdu.receipt.state}`)}`,
      receiptedMessageId: sanitizeText(pdu.receipt.messageId, 64),
      receiptState: sanitizeText(pdu.receipt.state, 16),
    });
  }
  const part = pdu.part && isPartOfMany(pdu.part) ? pdu.part : null;
  if (part) {
    // Kept exactly as decoded (bounded): a split surrogate pair or GSM escape is mended only once joined.
    const partText = Buffer.from(pdu.text.slice(0, MAX_BODY), 'utf16le');
    return Object.assign(row, {
      kind: 'mo_part' as const,
      dedupeKey: `part:${sha256Hex(`${sourceAddr}|${destinationAddr}|${part.reference}|${part.total}|${part.seq}|${window}|${sha256Hex(partText)}`)}`,
      partReference: part.reference,
      partTotal: part.total,
      partSeq: part.seq,
      partText,
    });
  }
  // A "part 1 of 1", or a part whose numbers make no sense, is read as a whole text rather than lost.
  return Object.assign(row, {
    kind: 'mo' as const,
    dedupeKey: `mo:${sha256Hex(`${sourceAddr}|${destinationAddr}|${row.body}|${window}`)}`,
  });
}

function isPartOfMany(part: NonNullable<ReceivedDeliverSm['part']>): boolean {
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  return (
    whole(part.reference) &&
    part.reference <= 0xffff &&
    whole(part.total) &&
    part.total >= 2 &&
    part.total <= 255 &&
    part.seq >= 1 &&
    part.seq <= part.total &&
    whole(part.seq)
  );
}
