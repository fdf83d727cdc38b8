import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecord } from '../entities/index.js';
import { sha256Hex } from '../hashing.js';
import { consentHashes } from './consent-hashing.js';
import { GENESIS_HASH, loadPurgeEntries, readChainHead, recordIntegrityProblems, type ChainHead } from './consent-ledger.js';
import { checkRecording, type RecordingReader, type RecordingStatus } from './recording-check.js';

export const EVIDENCE_FORMAT = 'mcr-consent-evidence/1';

/** How a reader redoes the proof by hand; carried in the bundle so it explains itself. */
const HOW_TO_VERIFY: Record<number, string> = {
  1: 'hash = sha256(canonical_content), where canonical_content is the record as sorted-key JSON including prev_hash.',
  2:
    'personal_hash = sha256(canonical_personal) (not possible once purged: the personal fields and salt are erased); ' +
    'content_hash = sha256(canonical_content); hash = sha256(prev_hash + content_hash), the two hex strings concatenated; ' +
    'the previous record hash must equal prev_hash, the next record prev_hash must equal hash, and the chain head must be at or past seq.',
};

/** One consent record with everything needed to defend it away from this system. */
export interface ConsentEvidence {
  format: string;
  exported_at: string;
  record: Record<string, string | number | null>;
  chain_proof: {
    hash_scheme: number;
    how_to_verify: string;
    canonical_personal: string | null;
    personal_hash: string | null;
    canonical_content: string;
    content_hash: string | null;
    prev_hash: string;
    hash: string;
    previous: { seq: number; id: string; hash: string } | null;
    next: { seq: number; id: string; prev_hash: string } | null;
    head: ChainHead | null;
  };
  verification: {
    ok: boolean;
    hash_matches: boolean;
    /** Null when there is nothing to compare: purged, or hashed under scheme 1. */
    personal_hash_matches: boolean | null;
    linked_to_previous: boolean;
    /** Null for the last record. */
    linked_to_next: boolean | null;
    head_covers_record: boolean;
    recording_status: RecordingStatus;
    recording_sha256_matches: boolean | null;
    problems: string[];
  };
  recording: { content_type: string; sha256: string; bytes: number; base64: string } | null;
}

/**
 * Builds the export bundle for one record, or null when there is no such record.
 * The record, its neighbours and the head are read in one snapshot, so the proof
 * is consistent even while other calls append to the chain.
 */
export async function buildConsentEvidence(em: EntityManager, id: string, readRecording: RecordingReader): Promise<ConsentEvidence | null> {
  const found = await em.transactional(
    async (tx) => {
      const record = await tx.findOne(ConsentRecord, { id });
      if (!record) return null;
      const seq = Number(record.seq);
      return {
        record,
        previous: seq > 1 ? await tx.findOne(ConsentRecord, { seq: seq - 1 }) : null,
        next: await tx.findOne(ConsentRecord, { seq: seq + 1 }),
        head: await readChainHead(tx),
        purges: await loadPurgeEntries(tx, record.purgedAt ? [record.id] : []),
      };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
  if (!found) return null;
  const { record, previous, next, head, purges } = found;
  const seq = Number(record.seq);
  const recording = await checkRecording(record, readRecording);
  const hashes = consentHashes(record);
  const linkedToPrevious = seq === 1 ? record.prevHash === GENESIS_HASH : previous?.hash === record.prevHash;
  const linkedToNext = next ? next.prevHash === record.hash : null;
  const headCovers = head !== null && head.seq >= seq;
  const problems = recordIntegrityProblems(record, purges.get(record.id) ?? null);
  if (!linkedToPrevious) problems.push('previous-hash link broken');
  if (linkedToNext === false) problems.push('next record does not link to this one');
  if (!headCovers) problems.push('chain head is before this record');
  if (recording.status === 'missing' || recording.status === 'unreadable') problems.push(`recording file ${recording.status}`);
  if (recording.status === 'altered') problems.push('recording does not match its SHA-256');
  return {
    format: EVIDENCE_FORMAT,
    exported_at: new Date().toISOString(),
    record: recordFields(record),
    chain_proof: {
      hash_scheme: hashes.scheme,
      how_to_verify: HOW_TO_VERIFY[hashes.scheme] ?? '',
      canonical_personal: hashes.canonicalPersonal,
      personal_hash: record.personalHash ?? null,
      canonical_content: hashes.canonicalContent,
      content_hash: hashes.contentHash,
      prev_hash: record.prevHash,
      hash: record.hash,
      previous: previous ? { seq: Number(previous.seq), id: previous.id, hash: previous.hash } : null,
      next: next ? { seq: Number(next.seq), id: next.id, prev_hash: next.prevHash } : null,
      head,
    },
    verification: {
      ok: problems.length === 0,
      hash_matches: hashes.expectedHash === record.hash,
      personal_hash_matches: hashes.personalHash === null ? null : hashes.personalHash === record.personalHash,
      linked_to_previous: linkedToPrevious,
      linked_to_next: linkedToNext,
      head_covers_record: headCovers,
      recording_status: recording.status,
      recording_sha256_matches: recording.actualSha256 === undefined ? null : recording.actualSha256 === record.recordingSha256,
      problems,
    },
    recording: recording.audio
      ? {
          content_type: contentTypeOf(record.recordingPath ?? ''),
          sha256: sha256Hex(recording.audio),
          bytes: recording.audio.byteLength,
          base64: Buffer.from(recording.audio).toString('base64'),
        }
      : null,
  };
}

/** Every column, snake_case as in the database, so the bundle is the row and nothing less. */
function recordFields(record: ConsentRecord): Record<string, string | number | null> {
  return {
    id: record.id,
    seq: Number(record.seq),
    kind: record.kind,
    business_id: record.businessId,
    business_name: record.businessName,
    lead_id: record.leadId ?? null,
    call_id: record.callId ?? null,
    caller_e164: record.callerE164 ?? null,
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
    recording_path: record.recordingPath ?? null,
    recording_sha256: record.recordingSha256 ?? null,
    recording_duration_ms: record.recordingDurationMs ?? null,
    scope: record.scope,
    source: record.source,
    hash_scheme: Number(record.hashScheme),
    salt: record.salt ?? null,
    personal_hash: record.personalHash ?? null,
    purged_at: record.purgedAt ? record.purgedAt.toISOString() : null,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

function contentTypeOf(relativePath: string): string {
  if (relativePath.endsWith('.wav')) return 'audio/wav';
  if (relativePath.endsWith('.mp3')) return 'audio/mpeg';
  return 'application/octet-stream';
}
