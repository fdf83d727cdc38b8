import { EntitySchema } from '@mikro-orm/core';

export type InboundKind = 'mo' | 'receipt';

/** A deliver_sm as received, saved before it is acknowledged. */
export class InboundPdu {
  id!: string;
  dedupeKey!: string;
  kind!: InboundKind;
  sourceAddr!: string;
  destinationAddr!: string;
  body!: string;
  receiptedMessageId?: string | null;
  receiptState?: string | null;
  receivedAt!: Date;
  processedAt?: Date | null;
  error?: string | null;
}

export const InboundPduSchema = new EntitySchema<InboundPdu>({
  class: InboundPdu,
  tableName: 'inbound_pdu',
  properties: {
    id: { type: 'uuid', primary: true },
    dedupeKey: { type: 'string', unique: true },
    kind: { type: 'string' },
    sourceAddr: { type: 'string' },
    destinationAddr: { type: 'string' },
    body: { type: 'text' },
    receiptedMessageId: { type: 'string', nullable: true },
    receiptState: { type: 'string', nullable: true },
    receivedAt: { type: 'Date' },
    processedAt: { type: 'Date', nullable: true },
    error: { type: 'string', nullable: true },
  },
});
