import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CallbackTask, type CallbackReason } from '../entities/index.js';

/** Minutes after the miss by which someone should have called back (DESIGN.md "Callback list"). */
export const CALLBACK_SLA_MINUTES = 15;

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
    dueAt: new Date(input.missedAt.getTime() + CALLBACK_SLA_MINUTES * 60_000),
    createdAt: new Date(),
  });
  em.persist(task);
  return task;
}
