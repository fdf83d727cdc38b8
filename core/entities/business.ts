import { EntitySchema } from '@mikro-orm/core';

export type ConsentMode = 'ivr' | 'acknowledge_once' | 'callback_only';

export class Business {
  id!: string;
  name!: string;
  senderId?: string | null;
  contactPhone?: string | null;
  timeZone: string = 'America/New_York';
  consentMode: ConsentMode = 'ivr';
  isDefault: boolean = false;
  /** Calls from one number within an hour beyond which they are screened as spam. */
  maxCallsPerHour: number = 10;
  /** Screen calls whose STIR/SHAKEN verification failed (when Asterisk verifies). */
  rejectFailedStirShaken: boolean = true;
  /** Language of the prompts (Asterisk's sounds/<language>/ folder). */
  language: string = 'en';
  /** The business's own prompt set (a folder below sounds/<language>/); null: the default prompts. */
  promptSet?: string | null;
  /** Its own quiet hours (`HH:MM-HH:MM`, the window texts may go in the recipient's zone); null: the global QUIET_HOURS. */
  quietHours?: string | null;
  createdAt: Date = new Date();
}

export const BusinessSchema = new EntitySchema<Business>({
  class: Business,
  tableName: 'business',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'string' },
    senderId: { type: 'string', nullable: true },
    contactPhone: { type: 'string', nullable: true },
    timeZone: { type: 'string' },
    consentMode: { type: 'string' },
    isDefault: { type: 'boolean' },
    maxCallsPerHour: { type: 'integer' },
    rejectFailedStirShaken: { type: 'boolean' },
    language: { type: 'string' },
    promptSet: { type: 'string', nullable: true },
    quietHours: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export class BusinessDid {
  did!: string;
  businessId!: string;
  leadSource?: string | null;
}

export const BusinessDidSchema = new EntitySchema<BusinessDid>({
  class: BusinessDid,
  tableName: 'business_did',
  properties: {
    did: { type: 'string', primary: true },
    businessId: { type: 'uuid' },
    leadSource: { type: 'string', nullable: true },
  },
});
