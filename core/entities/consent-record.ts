import { EntitySchema } from '@mikro-orm/core';

export type ConsentKind = 'grant' | 'decline' | 'revoke' | 'reinstate';

/**
 * One link of the consent evidence chain. Rows are never updated (a trigger refuses it),
 * except by a purge: it erases the personal fields once the retention has passed.
 */
export class ConsentRecord {
  id!: string;
  seq!: number;
  kind!: ConsentKind;
  businessId!: string;
  businessName!: string;
  leadId?: string | null;
  callId?: string | null;
  /** Null only once purged. */
  callerE164!: string | null;
  did?: string | null;
  uniqueid?: string | null;
  linkedid?: string | null;
  recordedAt!: Date;
  callerTimeZone?: string | null;
  disclosureText?: string | null;
  disclosureVersion?: string | null;
  disclosureSha256?: string | null;
  promptAudioSha256?: string | null;
  dtmf?: string | null;
  transcript?: string | null;
  recordingPath?: string | null;
  recordingSha256?: string | null;
  recordingDurationMs?: number | null;
  scope!: string;
  /** Where the record came from: `ivr`, `sms_keyword`, ... */
  source!: string;
  /** 1: one hash over every field (before purging existed); 2: personal fields hashed apart (see consent-hashing.ts). */
  hashScheme!: number;
  /** Random, hashed with the personal fields and erased with them, so the kept personal hash reveals nothing. */
  salt?: string | null;
  personalHash?: string | null;
  purgedAt?: Date | null;
  prevHash!: string;
  hash!: string;
}

export const ConsentRecordSchema = new EntitySchema<ConsentRecord>({
  class: ConsentRecord,
  tableName: 'consent_record',
  properties: {
    id: { type: 'uuid', primary: true },
    seq: { type: 'integer', columnType: 'bigint' },
    kind: { type: 'string' },
    businessId: { type: 'uuid' },
    businessName: { type: 'string' },
    leadId: { type: 'uuid', nullable: true },
    callId: { type: 'uuid', nullable: true },
    callerE164: { type: 'string', nullable: true },
    did: { type: 'string', nullable: true },
    uniqueid: { type: 'string', nullable: true },
    linkedid: { type: 'string', nullable: true },
    recordedAt: { type: 'Date' },
    callerTimeZone: { type: 'string', nullable: true },
    disclosureText: { type: 'text', nullable: true },
    disclosureVersion: { type: 'string', nullable: true },
    disclosureSha256: { type: 'string', nullable: true },
    promptAudioSha256: { type: 'string', nullable: true },
    dtmf: { type: 'string', nullable: true },
    transcript: { type: 'text', nullable: true },
    recordingPath: { type: 'string', nullable: true },
    recordingSha256: { type: 'string', nullable: true },
    recordingDurationMs: { type: 'integer', nullable: true },
    scope: { type: 'string' },
    source: { type: 'string' },
    hashScheme: { type: 'integer', columnType: 'smallint' },
    salt: { type: 'string', nullable: true },
    personalHash: { type: 'string', nullable: true },
    purgedAt: { type: 'Date', nullable: true },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
});
