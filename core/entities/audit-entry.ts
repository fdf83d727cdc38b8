import { EntitySchema } from '@mikro-orm/core';

/** One change made through the admin service: who, what, before, after. Never edited (a trigger refuses). */
export class AuditEntry {
  id!: string;
  at!: Date;
  actorKind!: 'api_key' | 'session' | 'system';
  actorId?: string | null;
  actorName?: string | null;
  businessId?: string | null;
  /** What was done, `<thing>.<verb>`: `business.update`, `hours.replace`, `callback.claim`, ... */
  action!: string;
  entityType!: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  tableName: 'audit_log',
  properties: {
    id: { type: 'uuid', primary: true },
    at: { type: 'Date' },
    actorKind: { type: 'string' },
    actorId: { type: 'string', nullable: true },
    actorName: { type: 'string', nullable: true },
    businessId: { type: 'uuid', nullable: true },
    action: { type: 'string' },
    entityType: { type: 'string' },
    entityId: { type: 'string', nullable: true },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
    requestId: { type: 'string', nullable: true },
  },
});
