import type { FastifyInstance } from 'fastify';
import { buildConsentEvidence, EVIDENCE_FORMAT } from '../../core/consent/consent-evidence.js';
import type { RecordingStore } from '../../core/recordings/recording-store.js';
import { ApiError, errorResponseSchema } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { findVisibleConsent } from './consents.js';

const idParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const nullableBool = { type: ['boolean', 'null'] } as const;

const recordSchema = {
  type: 'object',
  description: 'Every column of the consent record, as stored (personal fields are null once purged).',
  properties: {
    id: str,
    seq: int,
    kind: str,
    business_id: str,
    business_name: str,
    lead_id: nullableStr,
    call_id: nullableStr,
    caller_e164: nullableStr,
    did: nullableStr,
    uniqueid: nullableStr,
    linkedid: nullableStr,
    recorded_at: { type: 'string', format: 'date-time' },
    caller_time_zone: nullableStr,
    disclosure_text: nullableStr,
    disclosure_version: nullableStr,
    disclosure_sha256: nullableStr,
    prompt_audio_sha256: nullableStr,
    dtmf: nullableStr,
    transcript: nullableStr,
    recording_path: nullableStr,
    recording_sha256: nullableStr,
    recording_duration_ms: nullableInt,
    scope: str,
    source: str,
    hash_scheme: int,
    salt: nullableStr,
    personal_hash: nullableStr,
    purged_at: nullableStr,
    prev_hash: str,
    hash: str,
  },
  required: ['id', 'seq', 'kind', 'recorded_at', 'hash_scheme', 'prev_hash', 'hash'],
} as const;

const chainProofSchema = {
  type: 'object',
  properties: {
    hash_scheme: int,
    how_to_verify: str,
    canonical_personal: nullableStr,
    personal_hash: nullableStr,
    canonical_content: str,
    content_hash: nullableStr,
    prev_hash: str,
    hash: str,
    previous: { type: ['object', 'null'], properties: { seq: int, id: str, hash: str } },
    next: { type: ['object', 'null'], properties: { seq: int, id: str, prev_hash: str } },
    head: { type: ['object', 'null'], properties: { seq: int, hash: str } },
  },
  required: ['hash_scheme', 'canonical_content', 'prev_hash', 'hash', 'previous', 'next', 'head'],
} as const;

const verificationSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    hash_matches: { type: 'boolean' },
    personal_hash_matches: nullableBool,
    linked_to_previous: { type: 'boolean' },
    linked_to_next: nullableBool,
    head_covers_record: { type: 'boolean' },
    recording_status: { type: 'string', enum: ['none', 'purged', 'ok', 'missing', 'altered', 'unreadable'] },
    recording_sha256_matches: nullableBool,
    problems: { type: 'array', items: str },
  },
  required: ['ok', 'hash_matches', 'linked_to_previous', 'head_covers_record', 'recording_status', 'problems'],
} as const;

const evidenceSchema = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: [EVIDENCE_FORMAT] },
    exported_at: { type: 'string', format: 'date-time' },
    record: recordSchema,
    chain_proof: chainProofSchema,
    verification: verificationSchema,
    recording: {
      type: ['object', 'null'],
      description: 'The audio as stored now, base64, with the SHA-256 of exactly these bytes.',
      properties: { content_type: str, sha256: str, bytes: int, base64: str },
    },
  },
  required: ['format', 'exported_at', 'record', 'chain_proof', 'verification', 'recording'],
} as const;

/**
 * One consent record as a self-contained JSON evidence bundle: the row, the
 * strings that were hashed, its links both ways and the chain head, what this
 * server found when it checked them, and the audio. JSON with base64 audio
 * rather than a zip: no archive library, and any reader can open it.
 */
export async function registerConsentExportRoute(app: FastifyInstance, recordings: RecordingStore): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/consents/:id/export',
    {
      config: { permission: 'consents:read' },
      schema: routeSchema({
        description: 'One consent record with its chain proof, its verification and its audio, as a JSON download.',
        params: idParams,
        response: { 200: evidenceSchema, 404: errorResponseSchema },
      }),
    },
    async (request, reply) => {
      await findVisibleConsent(request);
      const bundle = await buildConsentEvidence(request.em, request.params.id, (p) => recordings.read(p));
      if (!bundle) throw new ApiError(404, 'consent_not_found', 'No consent record has this id.');
      return reply
        .header('content-disposition', `attachment; filename="consent-${bundle.record.id}-evidence.json"`)
        .header('cache-control', 'no-store')
        .send(bundle);
    },
  );
}
