import type { EntityManager } from '../db/database.js';
import { Business, Conversation, Lead, type OutboxMessage, type StaffMember } from '../entities/index.js';
import { queueText } from '../messaging/queue-text.js';

/** The lead's conversation row, made on first use (every lead with texts has one). */
export async function loadConversation(em: EntityManager, lead: Lead): Promise<Conversation> {
  const existing = await em.findOne(Conversation, { leadId: lead.id });
  if (existing) return existing;
  const now = new Date();
  const created = Object.assign(new Conversation(), { leadId: lead.id, businessId: lead.businessId, createdAt: now, updatedAt: now });
  em.persist(created);
  return created;
}

/** True while a staff member owns the conversation: the engine must not answer. */
export async function isStaffOwned(em: EntityManager, leadId: string): Promise<boolean> {
  const row = await em.findOne(Conversation, { leadId }, { fields: ['owner'] });
  return row?.owner === 'staff';
}

/**
 * A staff member takes the conversation over: from now on the engine stays
 * silent and only people answer. Taking over one another person owns moves it.
 */
export async function takeOverConversation(em: EntityManager, lead: Lead, staff: Pick<StaffMember, 'id'>): Promise<Conversation> {
  const conversation = await loadConversation(em, lead);
  if (conversation.owner !== 'staff' || conversation.ownerStaffId !== staff.id) {
    conversation.owner = 'staff';
    conversation.ownerStaffId = staff.id;
    conversation.ownerSince = new Date();
    conversation.updatedAt = new Date();
  }
  return conversation;
}

/** Hands the conversation back to the engine. */
export async function releaseConversation(em: EntityManager, lead: Lead): Promise<Conversation> {
  const conversation = await loadConversation(em, lead);
  conversation.owner = 'engine';
  conversation.ownerStaffId = null;
  conversation.ownerSince = new Date();
  conversation.updatedAt = new Date();
  return conversation;
}

/**
 * A staff member's reply to the caller: queued like every text (the outbox
 * passes it through the compliance gate, as `conversational`), and the
 * conversation becomes theirs so the engine does not talk over them.
 */
export async function queueStaffReply(
  em: EntityManager,
  input: { lead: Lead; staff: Pick<StaffMember, 'id'>; body: string; defaultSenderId: string },
): Promise<OutboxMessage> {
  if (!input.lead.phoneE164) throw new Error('this lead has no number to text');
  await takeOverConversation(em, input.lead, input.staff);
  const business = await em.findOneOrFail(Business, { id: input.lead.businessId });
  return queueText(em, {
    businessId: business.id,
    leadId: input.lead.id,
    toE164: input.lead.phoneE164,
    fromAddr: business.senderId ?? input.defaultSenderId,
    kind: 'conversational',
    body: input.body,
    author: 'staff',
    staffMemberId: input.staff.id,
  });
}
