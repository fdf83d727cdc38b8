/**
 * The consent ledger: evidence that stays verifiable, and personal data that
 * does not outstay its retention.
 *
 * Chain. Records are numbered (seq) and each hash covers the previous record's
 * hash, so an edit, an insertion or a removal anywhere breaks a link. The chain
 * head row (consent_chain_head) holds the last seq and hash: it serialises
 * appends, and it catches a record cut off the end (the one edit a chain alone
 * cannot show). Printing the head hash somewhere outside the database (a
 * ticket, an e-mail, the export bundle) makes even a rewrite of the whole tail
 * detectable.
 *
 * Hashing (scheme 2, see consent-hashing.ts). Two levels, so a purge can erase
 * the personal fields without breaking the chain:
 *   personal_hash = sha256(canonical(caller number, transcript, recording path, random salt))
 *   content_hash  = sha256(canonical(every other field + personal_hash))
 *   hash          = sha256(prev_hash + content_hash)
 * personal_hash is stored; content_hash is recomputed. A purged record still
 * proves its non-personal content (business, time, disclosure, key pressed,
 * recording SHA-256) and its place in the chain; what was erased is covered only
 * by personal_hash, which the erased salt makes impossible to brute-force back
 * to a phone number. Records written before the purge migration keep scheme 1
 * (one hash over everything) and are never purged.
 *
 * Purge (consent-purge.ts). The database trigger that refuses UPDATE and DELETE
 * lets one UPDATE through: it stamps purged_at and nulls exactly the personal
 * columns of a scheme-2 record older than the cutoff of its row in the purge
 * log (consent_purge, append-only, written first in the same transaction).
 * Verification then checks the personal hash only while the fields exist, and
 * checks that every purged record has its purge-log row and was old enough.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecord } from '../entities/index.js';
import { CURRENT_HASH_SCHEME, consentHashes, personalHashOf, hashConsentRecord } from './consent-hashing.js';
import { checkRecording, type RecordingReader } from './recording-check.js';
import { recordIntegrationEvent } from '../integration/integration-events.js';

export { hashConsentRecord };

export const GENESIS_HASH = '0'.repeat(64);

/** What a caller agreed to (or declined, or revoked), before it is chained: a record without its place in the chain. */
export type ConsentFacts = Omit<
  ConsentRecord,
  'id' | 'seq' | 'prevHash' | 'hash' | 'hashScheme' | 'salt' | 'personalHash' | 'purgedAt' | 'callerE164'
> & { callerE164: string };

/**
 * Appends one record to the chain. Must run inside the caller's transaction:
 * the chain head row is locked until that transaction ends, so concurrent
 * appends are serialised and the chain never forks.
 */
export async function appendConsentRecord(em: EntityManager, facts: ConsentFacts): Promise<ConsentRecord> {
  const tail = await readChainHead(em, true);
  if (!tail) throw new Error('consent chain head is missing: were the migrations run?');
  const record = Object.assign(new ConsentRecord(), {
    ...facts,
    recordedAt: new Date(facts.recordedAt.getTime()),
    id: randomUUID(),
    seq: tail.seq + 1,
    prevHash: tail.hash,
    hashScheme: CURRENT_HASH_SCHEME,
    salt: randomBytes(16).toString('hex'),
    purgedAt: null,
  });
  record.personalHash = personalHashOf(record);
  record.hash = hashConsentRecord(record);
  em.persist(record);
  recordIntegrationEvent(em, {
    type: 'consent.recorded',
    businessId: record.businessId,
    leadId: record.leadId ?? null,
    at: record.recordedAt,
    data: {
      consent_record_id: record.id,
      kind: record.kind,
      lead_id: record.leadId ?? null,
      call_id: record.callId ?? null,
      phone: record.callerE164,
      source: record.source,
      scope: record.scope,
      recorded_at: record.recordedAt.toISOString(),
      hash: record.hash,
    },
  });
  await em.flush();
  await em
    .getConnection()
    .execute('update consent_chain_head set seq = ?, hash = ? where id = 1', [record.seq, record.hash], 'run', em.getTransactionContext());
  return record;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export async function readChainHead(em: EntityManager, forUpdate = false): Promise<ChainHead | null> {
  const rows = await em
    .getConnection()
    .execute<{ seq: string | number; hash: string }[]>(
      `select seq, hash from consent_chain_head where id = 1${forUpdate ? ' for update' : ''}`,
      [],
      'all',
      em.getTransactionContext(),
    );
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/** A record's row in the purge log, as far as verification needs it. */
export interface PurgeEntry {
  cutoff: Date;
}

/**
 * What is wrong with one record on its own (not its place in the chain): its
 * hash, its personal fields against their hash, and, once purged, the purge's
 * own paper trail.
 */
export function recordIntegrityProblems(record: ConsentRecord, purge: PurgeEntry | null): string[] {
  const problems: string[] = [];
  const hashes = consentHashes(record);
  if (hashes.expectedHash !== record.hash) problems.push('content does not match its hash');
  if (hashes.scheme !== 1 && hashes.personalHash !== null && hashes.personalHash !== record.personalHash) {
    problems.push('personal content does not match its hash');
  }
  if (record.purgedAt) {
    if (!purge) problems.push('purged without a purge-log entry');
    else if (record.recordedAt.getTime() >= purge.cutoff.getTime()) problems.push('purged before its retention period ended');
    if (record.callerE164 != null || record.transcript != null || record.recordingPath != null || record.salt != null) {
      problems.push('purged record still holds personal content');
    }
  }
  return problems;
}

export interface ChainProblem {
  seq: number;
  /** The record's id; null for a problem with the chain head itself. */
  id: string | null;
  problem: string;
}

export interface ChainVerification {
  records: number;
  purged: number;
  /** Records hashed under scheme 1 (before purging existed); they verify but cannot be purged. */
  legacy: number;
  recordingsChecked: number;
  recordingsMissing: number;
  recordingsAltered: number;
  /** The last record walked; null for an empty chain. */
  last: ChainHead | null;
  head: ChainHead | null;
  problems: ChainProblem[];
}

/**
 * Walks the chain in order, recomputing every hash and link, checks each
 * recording file against its stored SHA-256 when a reader is given, and checks
 * that the chain ends where the head row says. Runs in one repeatable-read
 * snapshot so appends during the walk cannot look like a mismatched head.
 */
export async function verifyConsentChain(em: EntityManager, readRecording?: RecordingReader, batchSize = 500): Promise<ChainVerification> {
  return em.transactional((tx) => walkChain(tx, readRecording, batchSize), {
    isolationLevel: IsolationLevel.REPEATABLE_READ,
    readOnly: true,
  });
}

async function walkChain(em: EntityManager, readRecording: RecordingReader | undefined, batchSize: number): Promise<ChainVerification> {
  const result: ChainVerification = {
    records: 0,
    purged: 0,
    legacy: 0,
    recordingsChecked: 0,
    recordingsMissing: 0,
    recordingsAltered: 0,
    last: null,
    head: await readChainHead(em),
    problems: [],
  };
  const { problems } = result;
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let afterSeq = 0;
  for (;;) {
    const batch = await em.find(ConsentRecord, { seq: { $gt: afterSeq } }, { orderBy: { seq: 'asc' }, limit: batchSize });
    if (batch.length === 0) break;
    const purges = await loadPurgeEntries(
      em,
      batch.filter((r) => r.purgedAt).map((r) => r.id),
    );
    for (const record of batch) {
      result.records += 1;
      const seq = Number(record.seq);
      const report = (problem: string) => problems.push({ seq, id: record.id, problem });
      if (seq !== expectedSeq) report(`sequence gap: expected ${expectedSeq}`);
      if (record.prevHash !== expectedPrev) report('previous-hash link broken');
      recordIntegrityProblems(record, purges.get(record.id) ?? null).forEach(report);
      if (record.purgedAt) result.purged += 1;
      if (Number(record.hashScheme) === 1) result.legacy += 1;
      if (readRecording) {
        const check = await checkRecording(record, readRecording);
        if (check.status !== 'none' && check.status !== 'purged') result.recordingsChecked += 1;
        if (check.status === 'missing') {
          result.recordingsMissing += 1;
          report('recording file missing');
        } else if (check.status === 'unreadable') {
          result.recordingsMissing += 1;
          report('recording file unreadable');
        } else if (check.status === 'altered') {
          result.recordingsAltered += 1;
          report('recording does not match its SHA-256');
        }
      }
      expectedPrev = record.hash;
      expectedSeq = seq + 1;
      afterSeq = seq;
      result.last = { seq, hash: record.hash };
    }
    em.clear();
  }
  const headProblem = compareHead(result.head, result.last);
  if (headProblem) problems.push({ seq: result.head?.seq ?? 0, id: null, problem: headProblem });
  return result;
}

/** The head must name the last record: a shorter chain lost its tail, a longer one grew without the ledger. */
function compareHead(head: ChainHead | null, last: ChainHead | null): string | null {
  if (!head) return 'chain head row is missing';
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  if (head.seq > lastSeq) return `chain head is at #${head.seq} but the chain ends at #${lastSeq}: records are missing from the end`;
  if (head.seq < lastSeq) return `chain head is at #${head.seq} but the chain goes on to #${lastSeq}: records were added past the head`;
  if (head.hash !== lastHash) return `chain head hash does not match record #${lastSeq}`;
  return null;
}

export async function loadPurgeEntries(em: EntityManager, recordIds: string[]): Promise<Map<string, PurgeEntry>> {
  const entries = new Map<string, PurgeEntry>();
  if (recordIds.length === 0) return entries;
  const rows = await em
    .getConnection()
    .execute<{ consent_record_id: string; cutoff: Date | string }[]>(
      `select consent_record_id, cutoff from consent_purge where consent_record_id in (${recordIds.map(() => '?').join(', ')})`,
      recordIds,
      'all',
      em.getTransactionContext(),
    );
  for (const row of rows) entries.set(row.consent_record_id, { cutoff: new Date(row.cutoff) });
  return entries;
}
