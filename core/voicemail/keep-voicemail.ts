import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../db/database.js';
import { Voicemail, type VoicemailSource } from '../entities/index.js';

export interface VoicemailToKeep {
  businessId: string;
  leadId: string;
  callId?: string | null;
  callbackTaskId?: string | null;
  source: VoicemailSource;
  externalId?: string | null;
  recording: { relativePath: string; sha256: string; durationMs: number | null };
}

/**
 * Keeps a caller's message with their lead, in the caller's unit of work (the
 * call's own transaction), waiting to be transcribed: the transcription worker
 * picks it up (core/voicemail/transcription-worker.ts) and records
 * `voicemail.transcribed` when it is done.
 */
export function keepVoicemail(em: EntityManager, input: VoicemailToKeep): Voicemail {
  const voicemail = Object.assign(new Voicemail(), {
    id: randomUUID(),
    businessId: input.businessId,
    leadId: input.leadId,
    callId: input.callId ?? null,
    callbackTaskId: input.callbackTaskId ?? null,
    source: input.source,
    externalId: input.externalId ?? null,
    recordingPath: input.recording.relativePath,
    recordingSha256: input.recording.sha256,
    durationMs: input.recording.durationMs,
    transcription: 'pending' as const,
    attempts: 0,
    createdAt: new Date(),
  });
  em.persist(voicemail);
  return voicemail;
}
