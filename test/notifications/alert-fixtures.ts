import { randomUUID } from 'node:crypto';
import type { Database } from '../../core/db/database.js';
import { Business, CallbackTask, Lead, OnCallShift, StaffMember } from '../../core/entities/index.js';
import { recordIntegrationEvent, type NewIntegrationEvent } from '../../core/integration/integration-events.js';

export async function addStaff(db: Database, fields: Partial<StaffMember> & { businessId: string; name: string }): Promise<StaffMember> {
  const staff = Object.assign(new StaffMember(), {
    id: randomUUID(),
    role: 'receptionist' as const,
    onCall: false,
    manager: false,
    digestTime: null,
    createdAt: new Date(),
    ...fields,
  });
  await db.fork().persistAndFlush(staff);
  return staff;
}

export async function addShift(db: Database, businessId: string, staffId: string, days: number[], startTime: string, endTime: string): Promise<void> {
  await db
    .fork()
    .persistAndFlush(Object.assign(new OnCallShift(), { id: randomUUID(), businessId, staffMemberId: staffId, days, startTime, endTime, createdAt: new Date() }));
}

export async function addLead(db: Database, businessId: string, phone: string | null, at = new Date(), source: string | null = null): Promise<Lead> {
  const lead = Object.assign(new Lead(), {
    id: randomUUID(),
    businessId,
    phoneE164: phone,
    callerRaw: phone ?? 'anonymous',
    source,
    status: 'callback' as const,
    createdAt: at,
    updatedAt: at,
  });
  await db.fork().persistAndFlush(lead);
  return lead;
}

export async function addTask(
  db: Database,
  lead: Lead,
  fields: Partial<CallbackTask> & { dueAt: Date },
): Promise<CallbackTask> {
  const task = Object.assign(new CallbackTask(), {
    id: randomUUID(),
    businessId: lead.businessId,
    leadId: lead.id,
    phoneE164: lead.phoneE164,
    callerRaw: lead.callerRaw,
    reason: 'callback_requested' as const,
    status: 'open' as const,
    priority: 0,
    attempts: 0,
    createdAt: new Date(fields.dueAt.getTime() - 15 * 60_000),
    ...fields,
  });
  await db.fork().persistAndFlush(task);
  return task;
}

/** Records events as the parts do: in a transaction of their own, committed. */
export async function recordEvents(db: Database, events: NewIntegrationEvent[]): Promise<void> {
  await db.fork().transactional(async (tx) => {
    for (const event of events) recordIntegrationEvent(tx, event);
  });
}

export async function setTimeZone(db: Database, businessId: string, timeZone: string): Promise<void> {
  const em = db.fork();
  const business = await em.findOneOrFail(Business, { id: businessId });
  business.timeZone = timeZone;
  await em.flush();
}
