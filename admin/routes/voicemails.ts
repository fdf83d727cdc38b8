import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '../../core/db/database.js';
import { Voicemail } from '../../core/entities/index.js';
import type { RecordingStore } from '../../core/recordings/recording-store.js';
import { assertBusinessVisible } from '../auth/access.js';
import { ApiError } from '../errors.js';
import { routeSchema } from '../route-schema.js';

/** A lead's latest message on its callback task: what receptionists read before they call. */
export const voicemailSummarySchema = {
  type: ['object', 'null'],
  description: 'The newest message the caller left (null: none). The transcript is untrusted text: render it as text, never as markup.',
  properties: {
    id: { type: 'string' },
    transcription: { type: 'string', enum: ['pending', 'transcribing', 'done', 'failed', 'unavailable'] },
    transcript: { type: ['string', 'null'] },
    engine: { type: ['string', 'null'] },
    duration_ms: { type: ['integer', 'null'] },
    recording_url: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export interface VoicemailSummary {
  id: string;
  transcription: string;
  transcript: string | null;
  engine: string | null;
  duration_ms: number | null;
  recording_url: string;
  created_at: string;
}

export function voicemailSummary(voicemail: Voicemail): VoicemailSummary {
  return {
    id: voicemail.id,
    transcription: voicemail.transcription,
    transcript: voicemail.transcript ?? null,
    engine: voicemail.transcriptEngine ?? null,
    duration_ms: voicemail.durationMs ?? null,
    recording_url: `/api/voicemails/${voicemail.id}/recording`,
    created_at: voicemail.createdAt.toISOString(),
  };
}

/** The newest voicemail of each lead, in one query. */
export async function latestVoicemails(em: EntityManager, leadIds: string[]): Promise<Map<string, VoicemailSummary>> {
  const latest = new Map<string, VoicemailSummary>();
  if (leadIds.length === 0) return latest;
  const rows = await em.find(Voicemail, { leadId: { $in: [...new Set(leadIds)] } }, { orderBy: { createdAt: 'asc' } });
  for (const row of rows) latest.set(row.leadId, voicemailSummary(row));
  return latest;
}

export async function registerVoicemailRoutes(app: FastifyInstance, recordings: RecordingStore): Promise<void> {
  const idParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;
  app.get<{ Params: { id: string } }>(
    '/voicemails/:id',
    {
      config: { permission: 'callbacks:read' },
      schema: routeSchema({
        description: 'One message a caller left, with its transcript.',
        params: idParams,
        response: { 200: { ...voicemailSummarySchema, type: 'object', properties: { ...voicemailSummarySchema.properties, lead_id: { type: 'string' }, callback_task_id: { type: ['string', 'null'] }, source: { type: 'string' } } } },
      }),
    },
    async (request) => {
      const voicemail = await findVisible(request.em, request, request.params.id);
      return { ...voicemailSummary(voicemail), lead_id: voicemail.leadId, callback_task_id: voicemail.callbackTaskId ?? null, source: voicemail.source };
    },
  );
  app.get<{ Params: { id: string } }>(
    '/voicemails/:id/recording',
    {
      config: { permission: 'callbacks:read' },
      schema: routeSchema({ description: 'The message as the caller left it (`audio/wav`).', params: idParams }),
    },
    async (request, reply) => {
      const voicemail = await findVisible(request.em, request, request.params.id);
      let audio: Buffer;
      try {
        audio = await recordings.read(voicemail.recordingPath);
      } catch {
        throw new ApiError(404, 'recording_missing', 'The recording file is not on this server.');
      }
      return reply.header('content-type', 'audio/wav').header('x-content-sha256', voicemail.recordingSha256).send(audio);
    },
  );
}

async function findVisible(em: EntityManager, request: Parameters<typeof assertBusinessVisible>[0], id: string): Promise<Voicemail> {
  const voicemail = await em.findOne(Voicemail, { id });
  if (!voicemail) throw new ApiError(404, 'voicemail_not_found', 'No voicemail has this id.');
  try {
    assertBusinessVisible(request, voicemail.businessId);
  } catch {
    throw new ApiError(404, 'voicemail_not_found', 'No voicemail has this id.');
  }
  return voicemail;
}
