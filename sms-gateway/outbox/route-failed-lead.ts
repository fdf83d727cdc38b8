import type { EntityManager } from '../../core/db/database.js';
import { openCallbackTask } from '../../core/callbacks/callback-tasks.js';
import { Lead, type OutboxMessage } from '../../core/entities/index.js';
import { recordIntegrationEvent } from '../../core/integration/integration-events.js';

/**
 * A text that failed or expired: integrators and staff hear of it
 * (`delivery.failed`), and a number that cannot take texts is a lead for the
 * phone, not a lost lead.
 */
export async function routeFailedLeadToCallbacks(em: EntityManager, message: OutboxMessage): Promise<void> {
  recordIntegrationEvent(em, {
    type: 'delivery.failed',
    businessId: message.businessId,
    leadId: message.leadId ?? null,
    data: { outbox_id: message.id, lead_id: message.leadId ?? null, to: message.toE164, kind: message.kind, status: message.status, error: message.error ?? null },
  });
  if (!message.leadId || message.kind === 'optout_confirmation' || message.kind === 'staff') return;
  const lead = await em.findOne(Lead, { id: message.leadId });
  if (!lead) return;
  lead.status = 'callback';
  lead.updatedAt = new Date();
  await openCallbackTask(em, {
    businessId: message.businessId,
    leadId: message.leadId,
    phoneE164: message.toE164,
    reason: 'failed_delivery',
    missedAt: new Date(),
  });
}
