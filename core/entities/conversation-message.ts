import { EntitySchema } from '@mikro-orm/core';

export class ConversationMessage {
  id!: string;
  leadId!: string;
  direction!: 'in' | 'out';
  body!: string;
  /** `caller` for what came in; for what went out, the outbox row's author. */
  author: 'caller' | 'system' | 'engine' | 'staff' = 'caller';
  staffMemberId?: string | null;
  outboxId?: string | null;
  inboundId?: string | null;
  createdAt!: Date;
}

export const ConversationMessageSchema = new EntitySchema<ConversationMessage>({
  class: ConversationMessage,
  tableName: 'conversation_message',
  properties: {
    id: { type: 'uuid', primary: true },
    leadId: { type: 'uuid' },
    direction: { type: 'string' },
    body: { type: 'text' },
    author: { type: 'string' },
    staffMemberId: { type: 'uuid', nullable: true },
    outboxId: { type: 'uuid', nullable: true },
    inboundId: { type: 'uuid', nullable: true },
    createdAt: { type: 'Date' },
  },
});
