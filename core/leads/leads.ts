import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IntegrationEvent, Lead } from '../entities/index.js';
import { recordIntegrationEvent } from '../integration/integration-events.js';

/** A repeat call within this window joins the open lead instead of starting a new one. */
export const REPEAT_CALLER_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface LeadCaller {
  businessId: string;
  /** E.164, or null for a withheld or unusable caller id (such callers never join another lead). */
  phone: string | null;
  callerRaw: string;
  source: string | null;
  /** When the call was missed: the repeat-caller window counts back from here. */
  at: Date;
}

/**
 * The caller's open lead from the last 24 hours, or a new one: a repeat caller
 * joins the lead they already have, so they are never recovered (texted) twice.
 */
export async function findOrOpenLead(em: EntityManager, caller: LeadCaller): Promise<Lead> {
  if (caller.phone) {
    const recent = await em.findOne(
      Lead,
      {
        businessId: caller.businessId,
        phoneE164: caller.phone,
        status: { $nin: ['closed', 'opted_out'] },
        createdAt: { $gte: new Date(caller.at.getTime() - REPEAT_CALLER_WINDOW_MS) },
      },
      { orderBy: { createdAt: 'desc' } },
    );
    if (recent) {
      await recordRepeatCallOnce(em, recent, caller.at);
      return recent;
    }
  }
  const lead = Object.assign(new Lead(), {
    id: randomUUID(),
    businessId: caller.businessId,
    phoneE164: caller.phone,
    callerRaw: caller.callerRaw,
    source: caller.source,
    status: 'new' as const,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  em.persist(lead);
  recordLeadCreated(em, lead);
  // Flushed at once: rows refer to each other by id only, so inserts go in the order we flush them.
  await em.flush();
  return lead;
}

/**
 * A caller who rings again while their lead is open is keen: `lead.hot`
 * (staff alerts, webhooks), once per lead, in the transaction of the call.
 */
async function recordRepeatCallOnce(em: EntityManager, lead: Lead, at: Date): Promise<void> {
  const already = await em.count(IntegrationEvent, { leadId: lead.id, type: 'lead.hot' });
  if (already > 0) return;
  recordIntegrationEvent(em, {
    type: 'lead.hot',
    businessId: lead.businessId,
    leadId: lead.id,
    at,
    data: { lead_id: lead.id, phone: lead.phoneE164 ?? null, reason: 'repeat_call', source: lead.source ?? null },
  });
}

/** `lead.created`, in the transaction that opens the lead (every way a lead is opened calls this). */
export function recordLeadCreated(em: EntityManager, lead: Lead): void {
  recordIntegrationEvent(em, {
    type: 'lead.created',
    businessId: lead.businessId,
    leadId: lead.id,
    at: lead.createdAt,
    data: { lead_id: lead.id, phone: lead.phoneE164 ?? null, source: lead.source ?? null, status: lead.status },
  });
}
