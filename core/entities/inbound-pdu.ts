import { EntitySchema } from '@mikro-orm/core';

/** `mo`: a whole text (as received, or put back together from its parts); `mo_part`: one part of a long text. */
export type InboundKind = 'mo' | 'receipt' | 'mo_part';

/** A deliver_sm as received, saved before it is acknowledged; or a long text its parts made. */
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
  /** Parts only: which part of which long text (see inbound-concat.ts). */
  partReference?: number | null;
  partTotal?: number | null;
  partSeq?: number | null;
  /**
   * Parts only: the part's text as UTF-16LE code units, exactly as decoded. Text
   * columns cannot hold the half of a surrogate pair a sender put at the end of
   * a part (nor NUL); joined with the next part it is a character again.
   */
  partText?: Buffer | null;
  /** The long text this row is a part of, or that this `mo` row was put together from. */
  concatId?: string | null;
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
    partReference: { type: 'integer', nullable: true },
    partTotal: { type: 'integer', nullable: true },
    partSeq: { type: 'integer', nullable: true },
    partText: { type: 'blob', nullable: true },
    concatId: { type: 'uuid', nullable: true },
  },
});
