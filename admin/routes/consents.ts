import type { FastifyInstance, FastifyRequest } from 'fastify';
import { visibleBusinessIds } from '../auth/access.js';
import { routeSchema } from '../route-schema.js';
import { ConsentRecord } from '../../core/entities/index.js';
import type { RecordingStore } from '../../core/recordings/recording-store.js';
import { ApiError } from '../errors.js';
import { registerConsentExportRoute } from './consent-export.js';

const idParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;

const consentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    seq: { type: 'integer' },
    kind: { type: 'string' },
    business_id: { type: 'string' },
    business_name: { type: 'string' },
    lead_id: { type: ['string', 'null'] },
    call_id: { type: ['string', 'null'] },
    caller: { type: ['string', 'null'], description: 'Null once the record is purged.' },
    did: { type: ['string', 'null'] },
    uniqueid: { type: ['string', 'null'] },
    linkedid: { type: ['string', 'null'] },
    recorded_at: { type: 'string', format: 'date-time' },
    caller_time_zone: { type: ['string', 'null'] },
    disclosure_text: { type: ['string', 'null'] },
    disclosure_version: { type: ['string', 'null'] },
    disclosure_sha256: { type: ['string', 'null'] },
    prompt_audio_sha256: { type: ['string', 'null'] },
    dtmf: { type: ['string', 'null'] },
    transcript: { type: ['string', 'null'] },
    recording_sha256: { type: ['string', 'null'] },
    recording_duration_ms: { type: ['integer', 'null'] },
    recording_url: { type: ['string', 'null'] },
    scope: { type: 'string' },
    source: { type: 'string' },
    prev_hash: { type: 'string' },
    purged_at: { type: ['string', 'null'], format: 'date-time' },
    hash: { type: 'string' },
  },
  required: ['id', 'seq', 'kind', 'caller', 'recorded_at', 'prev_hash', 'hash'],
} as const;

export async function registerConsentRoutes(app: FastifyInstance, recordings: RecordingStore): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/consents/:id',
    {
      config: { permission: 'consents:read' },
      schema: routeSchema({ description: 'One consent record, as chained.', params: idParams, response: { 200: consentSchema } }),
    },
    async (request) => {
      const record = await findVisibleConsent(request);
      return {
        id: record.id,
        seq: Number(record.seq),
        kind: record.kind,
        business_id: record.businessId,
        business_name: record.businessName,
        lead_id: record.leadId ?? null,
        call_id: record.callId ?? null,
        caller: record.callerE164,
        did: record.did ?? null,
        uniqueid: record.uniqueid ?? null,
        linkedid: record.linkedid ?? null,
        recorded_at: record.recordedAt.toISOString(),
        caller_time_zone: record.callerTimeZone ?? null,
        disclosure_text: record.disclosureText ?? null,
        disclosure_version: record.disclosureVersion ?? null,
        disclosure_sha256: record.disclosureSha256 ?? null,
        prompt_audio_sha256: record.promptAudioSha256 ?? null,
        dtmf: record.dtmf ?? null,
        transcript: record.transcript ?? null,
        recording_sha256: record.recordingSha256 ?? null,
        recording_duration_ms: record.recordingDurationMs ?? null,
        recording_url: record.recordingPath ? `/api/consents/${record.id}/recording` : null,
        scope: record.scope,
        source: record.source,
        purged_at: record.purgedAt ? record.purgedAt.toISOString() : null,
        prev_hash: record.prevHash,
        hash: record.hash,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/consents/:id/recording',
    {
      config: { permission: 'consents:read' },
      schema: routeSchema({ description: 'The consent recording (audio/wav), byte for byte what was hashed.', params: idParams }),
    },
    async (request, reply) => {
      const record = await findVisibleConsent(request);
      if (record.purgedAt) throw new ApiError(410, 'recording_purged', 'The recording was erased when its retention period ended.');
      if (!record.recordingPath) throw new ApiError(404, 'recording_not_found', 'This consent record has no recording.');
      let audio: Buffer;
      try {
        audio = await recordings.read(record.recordingPath);
      } catch {
        throw new ApiError(410, 'recording_missing', 'The recording file is no longer in the store.');
      }
      return reply
        .header('content-type', 'audio/wav')
        .header('x-content-sha256', record.recordingSha256 ?? '')
        .header('content-disposition', `attachment; filename="consent-${record.id}.wav"`)
        .send(audio);
    },
  );

  await registerConsentExportRoute(app, recordings);
}

/** The record the route is about; 404 when it does not exist or belongs to a business the caller may not see. */
export async function findVisibleConsent(request: FastifyRequest<{ Params: { id: string } }>): Promise<ConsentRecord> {
  const record = await request.em.findOne(ConsentRecord, { id: request.params.id });
  const visible = visibleBusinessIds(request);
  if (!record || (visible !== null && !visible.includes(record.businessId))) {
    throw new ApiError(404, 'consent_not_found', 'No consent record has this id.');
  }
  return record;
}
