import { EntitySchema } from '@mikro-orm/core';

/**
 * `open` while parts are awaited; `complete` when every part came; `expired`
 * when the time limit passed first (what arrived was processed with a marker
 * for each missing part) or the sender reused the reference for a new text.
 */
export type InboundConcatState = 'open' | 'complete' | 'expired';

/**
 * One long incoming text being put back together, keyed by who sent it, to
 * whom, its reference and its part count (never by the reference alone:
 * every phone picks references on its own). Its parts and, once closed, the
 * whole text are `inbound_pdu` rows pointing here.
 */
export class InboundConcat {
  id!: string;
  sourceAddr!: string;
  destinationAddr!: string;
  reference!: number;
  total!: number;
  state!: InboundConcatState;
  firstReceivedAt!: Date;
  /** After this, what arrived is processed without the missing parts. */
  expiresAt!: Date;
  closedAt?: Date | null;
}

export const InboundConcatSchema = new EntitySchema<InboundConcat>({
  class: InboundConcat,
  tableName: 'inbound_concat',
  properties: {
    id: { type: 'uuid', primary: true },
    sourceAddr: { type: 'string' },
    destinationAddr: { type: 'string' },
    reference: { type: 'integer' },
    total: { type: 'integer' },
    state: { type: 'string' },
    firstReceivedAt: { type: 'Date' },
    expiresAt: { type: 'Date' },
    closedAt: { type: 'Date', nullable: true },
  },
});
