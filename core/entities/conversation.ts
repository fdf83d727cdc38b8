import { EntitySchema } from '@mikro-orm/core';

export type ConversationOwner = 'engine' | 'staff';

/**
 * A lead's text conversation: who answers it. While a staff member owns it,
 * the conversation engine stays silent (core/conversations/conversation-ownership.ts).
 */
export class Conversation {
  leadId!: string;
  businessId!: string;
  owner: ConversationOwner = 'engine';
  ownerStaffId?: string | null;
  ownerSince?: Date | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const ConversationSchema = new EntitySchema<Conversation>({
  class: Conversation,
  tableName: 'conversation',
  properties: {
    leadId: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    owner: { type: 'string' },
    ownerStaffId: { type: 'uuid', nullable: true },
    ownerSince: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});
