import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecord } from '../entities/index.js';
import { canonicalJson, sha256Hex } from '../hashing.js';

export const GENESIS_HASH = '0'.repeat(64);

/** What a caller agreed to (or declined, or revoked), before it is chained: a record without its place in the chain. */
export type ConsentFacts = Omit<ConsentRecord, 'id' | 'seq' | 'prevHash' | 'hash'>;

const HASHED_FIELDS = [
  'id',
  'seq',
  'kind',
  'businessId',
  'businessName',
  'leadId',
  'callId',
  'callerE164',
  'did',
  'uniqueid',
  'linkedid',
  'recordedAt',
  'callerTimeZone',
  'disclosureText',
  'disclosureVersion',
  'disclosureSha256',
  'promptAudioSha256',
  'dtmf',
  'transcript',
  'recordingPath',
  'recordingSha256',
  'recordingDurationMs',
  'scope',
  'source',
  'prevHash',
] as const;

/** The hash of a record: SHA-256 over the canonical JSON of every evidential field, the previous hash included. */
export function hashConsentRecord(record: Pick<ConsentRecord, (typeof HASHED_FIELDS)[number]>): string {
  const content: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) {
    const value = record[field];
    content[field] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  // bigint columns can come back as strings; hash the number either way.
  content.seq = Number(content.seq);
  return sha256Hex(canonicalJson(content));
}

/**
 * Appends one record to the chain. Must run inside the caller's transaction:
 * the chain head row is locked until that transaction ends, so concurrent
 * appends are serialised and the chain never forks.
 */
export async function appendConsentRecord(em: EntityManager, facts: ConsentFacts): Promise<ConsentRecord> {
  const head = await em
    .getConnection()
    .execute<{ seq: string | number; hash: string }[]>(
      'select seq, hash from consent_chain_head where id = 1 for update',
      [],
      'all',
      em.getTransactionContext(),
    );
  const tail = head[0];
  if (!tail) throw new Error('consent chain head is missing: were the migrations run?');
  const record = Object.assign(new ConsentRecord(), {
    ...facts,
    recordedAt: new Date(facts.recordedAt.getTime()),
    id: randomUUID(),
    seq: Number(tail.seq) + 1,
    prevHash: tail.hash,
  });
  record.hash = hashConsentRecord(record);
  em.persist(record);
  await em.flush();
  await em
    .getConnection()
    .execute('update consent_chain_head set seq = ?, hash = ? where id = 1', [record.seq, record.hash], 'run', em.getTransactionContext());
  return record;
}

export interface ChainProblem {
  seq: number;
  id: string;
  problem: string;
}

export interface ChainVerification {
  records: number;
  recordingsChecked: number;
  problems: ChainProblem[];
}

/**
 * Walks the chain in order, recomputing every hash and link, and checks each
 * recording file against its stored SHA-256 when a reader is given.
 */
export async function verifyConsentChain(
  em: EntityManager,
  readRecording?: (relativePath: string) => Promise<Uint8Array>,
  batchSize = 500,
): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let records = 0;
  let recordingsChecked = 0;
  let afterSeq = 0;
  for (;;) {
    const batch = await em.find(ConsentRecord, { seq: { $gt: afterSeq } }, { orderBy: { seq: 'asc' }, limit: batchSize });
    if (batch.length === 0) break;
    for (const record of batch) {
      records += 1;
      const seq = Number(record.seq);
      if (seq !== expectedSeq) problems.push({ seq, id: record.id, problem: `sequence gap: expected ${expectedSeq}` });
      if (record.prevHash !== expectedPrev) problems.push({ seq, id: record.id, problem: 'previous-hash link broken' });
      if (hashConsentRecord(record) !== record.hash) problems.push({ seq, id: record.id, problem: 'content does not match its hash' });
      if (readRecording && record.recordingPath && record.recordingSha256) {
        recordingsChecked += 1;
        try {
          const audio = await readRecording(record.recordingPath);
          if (sha256Hex(audio) !== record.recordingSha256)
            problems.push({ seq, id: record.id, problem: 'recording does not match its SHA-256' });
        } catch {
          problems.push({ seq, id: record.id, problem: 'recording file missing or unreadable' });
        }
      }
      expectedPrev = record.hash;
      expectedSeq = seq + 1;
      afterSeq = seq;
    }
    em.clear();
  }
  return { records, recordingsChecked, problems };
}
