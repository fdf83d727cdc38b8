import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../admin/auth/api-keys.js';
import { buildAdminApp } from '../../admin/build-admin-app.js';
import type { HealthProbe } from '../../admin/routes/health.js';
import type { ConsentEvidence } from '../../core/consent/consent-evidence.js';
import { purgeConsentRecords } from '../../core/consent/consent-purge.js';
import type { Database } from '../../core/db/database.js';
import { createLogger } from '../../core/logging.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';
import { appendTestConsent, tamper } from '../support/consent-fixtures.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

/** Plain SHA-256, independent of the product's own hashing code: what an outside reader would use. */
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const health: HealthProbe = { database: async () => 'up', ari: () => 'off', ami: () => 'off', smpp: () => 'off' };

describe(`GET /api/consents/:id/export (${describeDatabase()})`, () => {
  let db: Database;
  let store: RecordingStore;
  let app: FastifyInstance;
  let key: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new RecordingStore(await mkdtemp(path.join(tmpdir(), 'mcr-export-rec-')));
    app = await buildAdminApp({ db, recordings: store, health, logger: createLogger('silent') });
    key = (await createApiKey(db.fork(), 'export-test', ['admin'])).key;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const exportOf = (id: string, apiKey: string | null = key) =>
    app.inject({ method: 'GET', url: `/api/consents/${id}/export`, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });

  it('when a record with audio is exported, then an outsider can recompute its proof with plain SHA-256 and gets the audio byte for byte', async () => {
    const record = await appendTestConsent(db, { transcript: 'one' }, store);
    const next = await appendTestConsent(db, {}, store);

    const response = await exportOf(record.id);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="consent-${record.id}-evidence.json"`);
    const bundle = response.json<ConsentEvidence>();
    expect(bundle.format).toBe('mcr-consent-evidence/1');
    expect(bundle.record).toMatchObject({
      id: record.id,
      seq: Number(record.seq),
      caller_e164: '+14155550100',
      transcript: 'one',
      dtmf: '1',
      salt: record.salt,
      hash_scheme: 2,
      purged_at: null,
      recording_sha256: record.recordingSha256,
    });
    const proof = bundle.chain_proof;
    expect(sha256(proof.canonical_personal!)).toBe(proof.personal_hash);
    expect(JSON.parse(proof.canonical_personal!)).toMatchObject({ callerE164: '+14155550100', salt: record.salt });
    expect(sha256(proof.canonical_content)).toBe(proof.content_hash);
    expect(JSON.parse(proof.canonical_content)).toMatchObject({ personalHash: proof.personal_hash, dtmf: '1', seq: Number(record.seq) });
    expect(sha256(proof.prev_hash + proof.content_hash)).toBe(proof.hash);
    expect(proof.hash).toBe(record.hash);
    expect(proof.next).toEqual({ seq: Number(next.seq), id: next.id, prev_hash: record.hash });
    expect(proof.head).toEqual({ seq: Number(next.seq), hash: next.hash });
    expect(bundle.verification).toEqual({
      ok: true,
      hash_matches: true,
      personal_hash_matches: true,
      linked_to_previous: true,
      linked_to_next: true,
      head_covers_record: true,
      recording_status: 'ok',
      recording_sha256_matches: true,
      problems: [],
    });
    const audio = Buffer.from(bundle.recording!.base64, 'base64');
    expect(sha256(audio)).toBe(record.recordingSha256);
    expect(audio.equals(await store.read(record.recordingPath!))).toBe(true);
    expect(bundle.recording).toMatchObject({ content_type: 'audio/wav', sha256: record.recordingSha256, bytes: audio.byteLength });
  });

  it('when the recording file was altered, then the bundle says so and carries the bytes as they are now', async () => {
    const record = await appendTestConsent(db, {}, store);
    await writeFile(store.resolve(record.recordingPath!), 'not the consent audio');
    const bundle = (await exportOf(record.id)).json<ConsentEvidence>();
    expect(bundle.verification).toMatchObject({
      ok: false,
      hash_matches: true,
      recording_status: 'altered',
      recording_sha256_matches: false,
      problems: ['recording does not match its SHA-256'],
    });
    expect(bundle.recording?.sha256).toBe(sha256('not the consent audio'));
  });

  it('when a tamperer changed the record, then the bundle shows the hash no longer matches', async () => {
    const record = await appendTestConsent(db, {}, store);
    await tamper(db.fork(), "update consent_record set scope = 'all texts, forever' where id = ?", [record.id]);
    const bundle = (await exportOf(record.id)).json<ConsentEvidence>();
    expect(bundle.verification).toMatchObject({ ok: false, hash_matches: false, problems: ['content does not match its hash'] });
  });

  it('when the record was purged, then the bundle still proves its place in the chain, without personal content or audio', async () => {
    const record = await appendTestConsent(db, { recordedAt: new Date(Date.now() - 6 * 365.25 * 86_400_000) }, store);
    await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    const bundle = (await exportOf(record.id)).json<ConsentEvidence>();
    expect(bundle.record).toMatchObject({
      caller_e164: null,
      salt: null,
      recording_path: null,
      dtmf: '1',
      personal_hash: record.personalHash,
    });
    expect(bundle.record.purged_at).not.toBeNull();
    expect(bundle.chain_proof.canonical_personal).toBeNull();
    expect(sha256(bundle.chain_proof.canonical_content)).toBe(bundle.chain_proof.content_hash);
    expect(sha256(bundle.chain_proof.prev_hash + bundle.chain_proof.content_hash)).toBe(record.hash);
    expect(bundle.verification).toMatchObject({ ok: true, hash_matches: true, personal_hash_matches: null, recording_status: 'purged' });
    expect(bundle.recording).toBeNull();
    const audio = await app.inject({ url: `/api/consents/${record.id}/recording`, headers: { authorization: `Bearer ${key}` } });
    expect(audio.statusCode).toBe(410);
    expect(audio.json()).toMatchObject({ error: { code: 'recording_purged' } });
  });

  it('when the record is the last one, then there is no next link and the head is the record itself', async () => {
    const record = await appendTestConsent(db, {});
    const bundle = (await exportOf(record.id)).json<ConsentEvidence>();
    expect(bundle.chain_proof.next).toBeNull();
    expect(bundle.chain_proof.head).toEqual({ seq: Number(record.seq), hash: record.hash });
    expect(bundle.verification).toMatchObject({ ok: true, linked_to_next: null, recording_status: 'none', recording_sha256_matches: null });
    expect(bundle.recording).toBeNull();
  });

  it('when the id is unknown, malformed, or no key is sent, then it answers 404, 400 and 401 with stable codes', async () => {
    const unknown = await exportOf(randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'consent_not_found', message: expect.any(String) } });
    expect((await exportOf('not-a-uuid')).json()).toMatchObject({ error: { code: 'invalid_request' } });
    const anonymous = await exportOf(randomUUID(), null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const openapi = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(openapi.paths).toHaveProperty(['/api/consents/{id}/export']);
  });
});
