import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../db/database.js';
import { AuditEntry } from '../entities/index.js';

export interface AuditActor {
  kind: AuditEntry['actorKind'];
  id?: string | null;
  name?: string | null;
}

export interface AuditChange {
  /** `<thing>.<verb>`, e.g. `business.update`, `hours.replace`, `callback.claim`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  businessId?: string | null;
  /** The state before and after, as the API shows it (null for a creation / a deletion). */
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/**
 * Persists one audit entry in `em`'s unit of work, so it commits with the
 * change it describes or not at all. Secrets (password hashes, API key hashes)
 * never go in `before` / `after`.
 */
export function recordAudit(em: EntityManager, actor: AuditActor, change: AuditChange): AuditEntry {
  const entry = Object.assign(new AuditEntry(), {
    id: randomUUID(),
    at: new Date(),
    actorKind: actor.kind,
    actorId: actor.id ?? null,
    actorName: actor.name ?? null,
    businessId: change.businessId ?? null,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId ?? null,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: change.requestId ?? null,
  });
  em.persist(entry);
  return entry;
}
