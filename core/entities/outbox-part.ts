import { EntitySchema } from '@mikro-orm/core';

/**
 * What a delivery receipt says about one part: `submitted` until one comes.
 * ENROUTE, ACCEPTD and the like change nothing.
 */
export type OutboxPartStatus = 'submitted' | 'delivered' | 'failed' | 'expired';

/**
 * One submit_sm of an outbound text as the SMSC took it: part `seq` of `total`,
 * with the message id its receipts carry. A text is delivered when every part is.
 */
export class OutboxPart {
  outboxId!: string;
  seq!: number;
  total!: number;
  smscMessageId!: string;
  /** The SMPP connection that took it (message ids are only unique per SMSC). */
  connection!: string;
  status!: OutboxPartStatus;
  /** The receipt's own stat (DELIVRD, UNDELIV, ...), kept as the SMSC wrote it. */
  receiptState?: string | null;
  submittedAt!: Date;
  receiptAt?: Date | null;
}

export const OutboxPartSchema = new EntitySchema<OutboxPart>({
  class: OutboxPart,
  tableName: 'outbox_part',
  properties: {
    outboxId: { type: 'uuid', primary: true },
    seq: { type: 'integer', primary: true },
    total: { type: 'integer' },
    smscMessageId: { type: 'string' },
    connection: { type: 'string' },
    status: { type: 'string' },
    receiptState: { type: 'string', nullable: true },
    submittedAt: { type: 'Date' },
    receiptAt: { type: 'Date', nullable: true },
  },
});
