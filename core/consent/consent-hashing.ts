import type { ConsentRecord } from '../entities/index.js';
import { canonicalJson, sha256Hex } from '../hashing.js';

/**
 * How a consent record's hash is computed. Pure functions, no database: the
 * ledger, the verifier and the evidence export all call these, and an outside
 * auditor can redo them from an exported bundle with nothing but SHA-256.
 *
 * Scheme 2 (every record appended since migration 20261121120000):
 *   personal_hash = sha256(canonical({ callerE164, recordingPath, salt, transcript }))
 *   content_hash  = sha256(canonical({ every other evidential field, hashScheme, personalHash }))
 *   hash          = sha256(prev_hash + content_hash)      (two 64-char hex strings, concatenated)
 *
 * Scheme 1 (records appended before): hash = sha256(canonical({ every field, prevHash })).
 * Such records cannot be purged: their hash covers the personal fields directly.
 */

/** Fields erased by a purge. `salt` is random and erased with them, so the kept personal_hash cannot be brute-forced back to a phone number. */
export const PERSONAL_FIELDS = ['callerE164', 'recordingPath', 'salt', 'transcript'] as const;

/**
 * Fields that stay for good: what was said, when, by which business, which key was
 * pressed. `dtmf` holds the choice digit only; a keyed-in number goes to callerE164.
 */
export const CONTENT_FIELDS = [
  'id',
  'seq',
  'kind',
  'businessId',
  'businessName',
  'leadId',
  'callId',
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
  'recordingSha256',
  'recordingDurationMs',
  'scope',
  'source',
  'hashScheme',
  'personalHash',
] as const;

/** Scheme 1: one hash over everything, kept so records written before the purge migration still verify. */
const LEGACY_FIELDS = [
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

export const CURRENT_HASH_SCHEME = 2;

type Field = (typeof PERSONAL_FIELDS)[number] | (typeof CONTENT_FIELDS)[number] | (typeof LEGACY_FIELDS)[number];
export type HashableConsentRecord = Pick<ConsentRecord, Field | 'hash'>;

/** The exact strings that were hashed, and the hashes, recomputed from a record as it is now. */
export interface ConsentHashes {
  scheme: number;
  /** Null for scheme 1 and for purged records (there is nothing left to hash). */
  canonicalPersonal: string | null;
  personalHash: string | null;
  canonicalContent: string;
  /** Null for scheme 1, where the content hash is the record hash. */
  contentHash: string | null;
  /** What `hash` must be if the record is intact. */
  expectedHash: string;
}

export function canonicalConsentFields(record: Partial<HashableConsentRecord>, fields: readonly Field[]): string {
  const content: Record<string, unknown> = {};
  for (const field of fields) {
    const value = record[field];
    content[field] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  // bigint and smallint columns can come back as strings; hash the number either way.
  if ('seq' in content) content.seq = Number(content.seq);
  if ('hashScheme' in content) content.hashScheme = Number(content.hashScheme);
  return canonicalJson(content);
}

export function personalHashOf(record: Partial<HashableConsentRecord>): string {
  return sha256Hex(canonicalConsentFields(record, PERSONAL_FIELDS));
}

export function linkHash(prevHash: string, contentHash: string): string {
  return sha256Hex(prevHash + contentHash);
}

/**
 * Recomputes a record's hashes. For a scheme-2 record the content hash uses the
 * stored personal_hash, so a purged record (personal fields erased) still links;
 * whether the personal fields match that hash is a separate check (`personalHash`
 * here is recomputed only while the fields are still there).
 */
export function consentHashes(record: HashableConsentRecord & { purgedAt?: Date | null }): ConsentHashes {
  const scheme = Number(record.hashScheme ?? 1);
  if (scheme === 1) {
    const canonicalContent = canonicalConsentFields(record, LEGACY_FIELDS);
    return {
      scheme,
      canonicalPersonal: null,
      personalHash: null,
      canonicalContent,
      contentHash: null,
      expectedHash: sha256Hex(canonicalContent),
    };
  }
  const purged = record.purgedAt != null;
  const canonicalPersonal = purged ? null : canonicalConsentFields(record, PERSONAL_FIELDS);
  const canonicalContent = canonicalConsentFields(record, CONTENT_FIELDS);
  const contentHash = sha256Hex(canonicalContent);
  return {
    scheme,
    canonicalPersonal,
    personalHash: canonicalPersonal === null ? null : sha256Hex(canonicalPersonal),
    canonicalContent,
    contentHash,
    expectedHash: linkHash(record.prevHash, contentHash),
  };
}

/** The hash a record must carry, whatever its scheme. */
export function hashConsentRecord(record: HashableConsentRecord & { purgedAt?: Date | null }): string {
  return consentHashes(record).expectedHash;
}
