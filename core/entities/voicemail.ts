import { EntitySchema } from '@mikro-orm/core';

export type VoicemailSource = 'ivr' | 'voicemail_spool';
/** pending → transcribing → done | failed; `unavailable`: no speech engine configured. */
export type TranscriptionState = 'pending' | 'transcribing' | 'done' | 'failed' | 'unavailable';

/** A message a caller left, kept with the lead (recording content-addressed like consent recordings) and transcribed. */
export class Voicemail {
  id!: string;
  businessId!: string;
  leadId!: string;
  callId?: string | null;
  callbackTaskId?: string | null;
  source!: VoicemailSource;
  externalId?: string | null;
  recordingPath!: string;
  recordingSha256!: string;
  durationMs?: number | null;
  transcript?: string | null;
  transcriptEngine?: string | null;
  transcription!: TranscriptionState;
  attempts: number = 0;
  leaseUntil?: Date | null;
  error?: string | null;
  createdAt!: Date;
  transcribedAt?: Date | null;
}

export const VoicemailSchema = new EntitySchema<Voicemail>({
  class: Voicemail,
  tableName: 'voicemail',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    leadId: { type: 'uuid' },
    callId: { type: 'uuid', nullable: true },
    callbackTaskId: { type: 'uuid', nullable: true },
    source: { type: 'string' },
    externalId: { type: 'string', nullable: true },
    recordingPath: { type: 'string' },
    recordingSha256: { type: 'string' },
    durationMs: { type: 'integer', nullable: true },
    transcript: { type: 'text', nullable: true },
    transcriptEngine: { type: 'string', nullable: true },
    transcription: { type: 'string' },
    attempts: { type: 'integer' },
    leaseUntil: { type: 'Date', nullable: true },
    error: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
    transcribedAt: { type: 'Date', nullable: true },
  },
});
