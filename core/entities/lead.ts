import { EntitySchema } from '@mikro-orm/core';

export type LeadStatus = 'new' | 'texting' | 'callback' | 'opted_out' | 'closed';

export class Lead {
  id!: string;
  businessId!: string;
  /** Null when the caller withheld their number or sent something unusable. */
  phoneE164?: string | null;
  callerRaw?: string | null;
  source?: string | null;
  status!: LeadStatus;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const LeadSchema = new EntitySchema<Lead>({
  class: Lead,
  tableName: 'lead',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    phoneE164: { type: 'string', nullable: true },
    callerRaw: { type: 'string', nullable: true },
    source: { type: 'string', nullable: true },
    status: { type: 'string' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});
