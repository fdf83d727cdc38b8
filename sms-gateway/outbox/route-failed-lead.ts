import type { EntityManager } from '../../core/db/database.js';
import { openCallbackTask } from '../../core/callbacks/callback-tasks.js';
import { Lead, type OutboxMessage } from '../../core/entities/index.js';

/** A number that cannot take texts is a lead for the phone, not a lost lead. */
export async function routeFailedLeadToCallbacks(em: EntityManager, message: OutboxMessage): Promise<void> {
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
