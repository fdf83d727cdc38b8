import { EntitySchema } from '@mikro-orm/core';

/** A business's own wording for one kind of text (Handlebars, validated when saved); absent: the default. */
export class MessageTemplate {
  businessId!: string;
  /** One of TEMPLATE_KINDS (core/messaging/templates.ts). */
  kind!: string;
  body!: string;
  updatedAt!: Date;
}

export const MessageTemplateSchema = new EntitySchema<MessageTemplate>({
  class: MessageTemplate,
  tableName: 'message_template',
  properties: {
    businessId: { type: 'uuid', primary: true },
    kind: { type: 'string', primary: true },
    body: { type: 'text' },
    updatedAt: { type: 'Date' },
  },
});
