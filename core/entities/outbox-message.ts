import { EntitySchema } from '@mikro-orm/core';

/** Every outbound text has a type; the compliance gate decides by it. */
export type MessageKind = 'acknowledgement' | 'conversational' | 'informational' | 'follow_up' | 'staff' | 'optout_confirmation' | 'help';

/**
 * queued → sending → submitted → delivered | failed | expired.
 * `unknown`: the SMSC never answered a submit on a live connection, so it may or
 * may not have the text; it is not resent (see README, "Delivery guarantees").
 * `refused`: the compliance gate stopped it (reason in `refusalReason`).
 */
/** Who wrote an outbound text. */
export type MessageAuthor = 'system' | 'engine' | 'staff';

export type OutboxStatus = 'queued' | 'sending' | 'submitted' | 'delivered' | 'failed' | 'expired' | 'unknown' | 'refused';

export class OutboxMessage {
  id!: string;
  businessId!: string;
  leadId?: string | null;
  toE164!: string;
  fromAddr!: string;
  kind!: MessageKind;
  body!: string;
  /** Who wrote it: the system (first text, keyword answers), the conversation engine, or a staff member. */
  author: MessageAuthor = 'system';
  staffMemberId?: string | null;
  status!: OutboxStatus;
  attempts: number = 0;
  notBefore!: Date;
  leaseUntil?: Date | null;
  /** The first part's SMSC message id (every part's is in outbox_part). */
  smscMessageId?: string | null;
  /** SMS this text costs (countSegments), known before it is sent. */
  segments?: number | null;
  /**
   * When the first submit_sm of the current attempt was handed to the SMSC
   * connection (set under the recipient's lock, see sms-gateway/outbox/write-guard.ts).
   * A `sending` row whose lease ran out with this set may have left: it is
   * marked `unknown`, never resent.
   */
  writeStartedAt?: Date | null;
  refusalReason?: string | null;
  error?: string | null;
  createdAt!: Date;
  submittedAt?: Date | null;
  finalAt?: Date | null;
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox_message',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    leadId: { type: 'uuid', nullable: true },
    toE164: { type: 'string' },
    fromAddr: { type: 'string' },
    kind: { type: 'string' },
    body: { type: 'text' },
    author: { type: 'string' },
    staffMemberId: { type: 'uuid', nullable: true },
    status: { type: 'string' },
    attempts: { type: 'integer' },
    notBefore: { type: 'Date' },
    leaseUntil: { type: 'Date', nullable: true },
    smscMessageId: { type: 'string', nullable: true },
    segments: { type: 'integer', nullable: true },
    writeStartedAt: { type: 'Date', nullable: true },
    refusalReason: { type: 'string', nullable: true },
    error: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
    submittedAt: { type: 'Date', nullable: true },
    finalAt: { type: 'Date', nullable: true },
  },
});
