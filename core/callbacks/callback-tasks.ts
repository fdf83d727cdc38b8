import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Business, CallbackTask, type CallbackReason } from '../entities/index.js';
import { loadOpeningRules } from '../hours/hours-store.js';
import { recordIntegrationEvent } from '../integration/integration-events.js';
import { isOpen, nextOpening } from '../hours/opening-hours.js';
import type { OpeningRules } from '../hours/opening-rules.js';

/**
 * The callback promise (DESIGN.md "Callback list"): within 15 minutes of a miss
 * in business hours; otherwise within an hour of the next opening.
 */
export const CALLBACK_SLA = { inHoursMinutes: 15, afterOpeningMinutes: 60 } as const;

/** When a callback for a call missed at `missedAt` falls due, by the business's own hours. */
export function callbackDueAt(
  rules: OpeningRules,
  missedAt: Date,
  sla: { inHoursMinutes: number; afterOpeningMinutes: number } = CALLBACK_SLA,
): Date {
  if (isOpen(rules.schedule, rules.holidays, rules.timeZone, missedAt)) {
    return new Date(missedAt.getTime() + sla.inHoursMinutes * 60_000);
  }
  const opening = nextOpening(rules.schedule, rules.holidays, rules.timeZone, missedAt);
  // A business that never opens again still owes the caller a call: treat it as in hours.
  if (!opening) return new Date(missedAt.getTime() + sla.inHoursMinutes * 60_000);
  return new Date(opening.getTime() + sla.afterOpeningMinutes * 60_000);
}

export interface NewCallbackTask {
  businessId: string;
  leadId: string;
  callId?: string | null;
  phoneE164?: string | null;
  callerRaw?: string | null;
  reason: CallbackReason;
  missedAt: Date;
  priority?: number;
}

/**
 * Puts a lead on the callback list, unless it already has an open task (a repeat
 * caller or a second failure must not make receptionists call twice).
 */
export async function openCallbackTask(em: EntityManager, input: NewCallbackTask): Promise<CallbackTask> {
  const open = await em.findOne(CallbackTask, { leadId: input.leadId, status: { $ne: 'done' } });
  if (open) return open;
  const task = Object.assign(new CallbackTask(), {
    id: randomUUID(),
    businessId: input.businessId,
    leadId: input.leadId,
    callId: input.callId ?? null,
    phoneE164: input.phoneE164 ?? null,
    callerRaw: input.callerRaw ?? null,
    reason: input.reason,
    status: 'open' as const,
    priority: input.priority ?? 0,
    attempts: 0,
    dueAt: await dueAtFor(em, input.businessId, input.missedAt),
    createdAt: new Date(),
  });
  em.persist(task);
  recordIntegrationEvent(em, {
    type: 'callback.created',
    businessId: task.businessId,
    leadId: task.leadId,
    at: task.createdAt,
    data: {
      callback_task_id: task.id,
      lead_id: task.leadId,
      call_id: task.callId ?? null,
      phone: task.phoneE164 ?? null,
      reason: task.reason,
      priority: task.priority,
      due_at: task.dueAt.toISOString(),
    },
  });
  return task;
}

async function dueAtFor(em: EntityManager, businessId: string, missedAt: Date): Promise<Date> {
  const business = await em.findOneOrFail(Business, { id: businessId });
  return callbackDueAt(await loadOpeningRules(em, business, missedAt), missedAt);
}
