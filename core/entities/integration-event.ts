import { EntitySchema } from '@mikro-orm/core';

/**
 * Something integrators and staff care about, written in the same transaction
 * as the change it reports (so it exists exactly when the change does). Webhook
 * deliveries, staff alerts and digests are fanned out from this log by
 * consumers that each keep their own position in it
 * (core/integration/integration-events.ts). Never updated.
 */
export class IntegrationEvent {
  /** Ordering position within a transaction: bigserial, assigned by PostgreSQL at insert. */
  seq?: string;
  id!: string;
  type!: string;
  businessId!: string;
  leadId?: string | null;
  /** The event's data as integrators receive it. */
  data!: Record<string, unknown>;
  createdAt!: Date;
}

export const IntegrationEventSchema = new EntitySchema<IntegrationEvent>({
  class: IntegrationEvent,
  tableName: 'integration_event',
  properties: {
    // Both assigned by PostgreSQL (tx_id is not mapped: only consumers read it, in SQL).
    seq: { type: 'bigint', persist: false, nullable: true },
    id: { type: 'uuid', primary: true },
    type: { type: 'string' },
    businessId: { type: 'uuid' },
    leadId: { type: 'uuid', nullable: true },
    data: { type: 'json' },
    createdAt: { type: 'Date' },
  },
});
