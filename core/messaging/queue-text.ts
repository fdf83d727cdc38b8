import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../db/database.js';
import { OutboxMessage, type MessageAuthor, type MessageKind } from '../entities/index.js';

export interface TextToQueue {
  businessId: string;
  leadId?: string | null;
  toE164: string;
  /** The sender id / number: the business's own, else SMPP_SOURCE_ADDR. */
  fromAddr: string;
  kind: MessageKind;
  body: string;
  author?: MessageAuthor;
  staffMemberId?: string | null;
  /** Not before this moment (a follow-up's due time); default now. */
  notBefore?: Date;
}

/**
 * Puts one text in the outbox, in `em`'s unit of work. Every outbound text is
 * queued here and nowhere else: the outbox worker passes each one through the
 * compliance gate when it is due, so queueing never decides whether it may go.
 */
export function queueText(em: EntityManager, text: TextToQueue): OutboxMessage {
  const now = new Date();
  const message = Object.assign(new OutboxMessage(), {
    id: randomUUID(),
    businessId: text.businessId,
    leadId: text.leadId ?? null,
    toE164: text.toE164,
    fromAddr: text.fromAddr,
    kind: text.kind,
    body: text.body,
    author: text.author ?? 'system',
    staffMemberId: text.staffMemberId ?? null,
    status: 'queued' as const,
    attempts: 0,
    notBefore: text.notBefore ?? now,
    createdAt: now,
  });
  em.persist(message);
  return message;
}
