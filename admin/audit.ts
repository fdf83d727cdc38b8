import type { FastifyRequest } from 'fastify';
import { recordAudit, type AuditChange } from '../core/audit/audit-log.js';
import type { AuditEntry } from '../core/entities/index.js';

/**
 * Records who changed what, in the request's unit of work: call it before the
 * route's flush so the entry commits with the change. Every route that changes
 * something calls it.
 */
export function auditChange(request: FastifyRequest, change: Omit<AuditChange, 'requestId'>): AuditEntry {
  const principal = request.principal;
  return recordAudit(request.em, principal ? { kind: principal.kind, id: principal.id, name: principal.name } : { kind: 'system' }, {
    ...change,
    requestId: request.id,
  });
}
