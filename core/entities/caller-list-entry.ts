import { EntitySchema } from '@mikro-orm/core';

/** A number a business always lets through (allow) or never engages (block). */
export class CallerListEntry {
  id!: string;
  businessId!: string;
  phoneE164!: string;
  list!: 'allow' | 'block';
  note?: string | null;
  createdAt!: Date;
}

export const CallerListEntrySchema = new EntitySchema<CallerListEntry>({
  class: CallerListEntry,
  tableName: 'caller_list_entry',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    phoneE164: { type: 'string' },
    list: { type: 'string' },
    note: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
});
