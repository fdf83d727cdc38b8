import { EntitySchema } from '@mikro-orm/core';

export class OptOutEvent {
  id!: string;
  businessId!: string;
  phoneE164!: string;
  action!: 'stop' | 'start';
  keyword!: string;
  inboundId?: string | null;
  createdAt!: Date;
}

export const OptOutEventSchema = new EntitySchema<OptOutEvent>({
  class: OptOutEvent,
  tableName: 'opt_out_event',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    phoneE164: { type: 'string' },
    action: { type: 'string' },
    keyword: { type: 'string' },
    inboundId: { type: 'uuid', nullable: true },
    createdAt: { type: 'Date' },
  },
});
