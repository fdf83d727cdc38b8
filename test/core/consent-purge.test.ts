import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import { ConfigError, loadConfig } from '../../core/config/load-config.js';
import { hashConsentRecord } from '../../core/consent/consent-hashing.js';
import { verifyConsentChain } from '../../core/consent/consent-ledger.js';
import { purgeConsentRecords } from '../../core/consent/consent-purge.js';
import type { Database, EntityManager } from '../../core/db/database.js';
import { ConsentRecord } from '../../core/entities/index.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';
import { appendTestConsent, tamper } from '../support/consent-fixtures.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;
const sixYearsAgo = () => new Date(Date.now() - 6 * YEAR_MS);

async function newStore(): Promise<RecordingStore> {
  return new RecordingStore(await mkdtemp(path.join(tmpdir(), 'mcr-purge-rec-')));
}

async function sql<T = unknown>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(text, params, 'all');
}

describe(`purging consent records past their retention (${describeDatabase()})`, () => {
  let db: Database;
  let store: RecordingStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await newStore();
  });
  afterAll(async () => db?.close());

  it('when records are appended, then each gets its own salt, a personal hash, and the chain and its head verify', async () => {
    const a = await appendTestConsent(db, {}, store);
    const b = await appendTestConsent(db, {}, store);
    expect(a.hashScheme).toBe(2);
    expect(a.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(a.salt).not.toBe(b.salt);
    expect(a.personalHash).toMatch(/^[0-9a-f]{64}$/);
    const result = await verifyConsentChain(db.fork(), (p) => store.read(p));
    expect(result.problems).toEqual([]);
    expect(result.head).toEqual({ seq: Number(b.seq), hash: b.hash });
    expect(result.recordingsChecked).toBe(2);
  });

  it('when old records are purged, then their number, transcript and recording are gone and the whole chain still verifies', async () => {
    const old = await appendTestConsent(db, { recordedAt: sixYearsAgo(), transcript: 'yes please text me' }, store);
    const recent = await appendTestConsent(db, {}, store);
    const oldFile = store.resolve(old.recordingPath!);

    const result = await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });

    expect(result).toMatchObject({ purged: 1, recordingsDeleted: 1, legacySkipped: 0, dryRun: false });
    const purged = await db.fork().findOneOrFail(ConsentRecord, { id: old.id });
    expect(purged).toMatchObject({ callerE164: null, transcript: null, recordingPath: null, salt: null });
    expect(purged.purgedAt).toBeInstanceOf(Date);
    // What stays proves the consent's shape: who, when, what was said, which key.
    expect(purged).toMatchObject({ hash: old.hash, personalHash: old.personalHash, dtmf: '1', recordingSha256: old.recordingSha256 });
    expect(existsSync(oldFile)).toBe(false);
    expect(existsSync(store.resolve(recent.recordingPath!))).toBe(true);
    const log = await sql<{ seq: string; retention_days: number }>(
      db.fork(),
      'select seq, retention_days from consent_purge where consent_record_id = ?',
      [old.id],
    );
    expect(log).toEqual([expect.objectContaining({ retention_days: 1826 })]);

    await appendTestConsent(db, {}, store);
    const verification = await verifyConsentChain(db.fork(), (p) => store.read(p));
    expect(verification.problems).toEqual([]);
    expect(verification.purged).toBe(1);
  });

  it('when a recording file is shared by an old and a recent record, then the purge keeps the file for the recent one', async () => {
    const shared = await store.put(Buffer.from('RIFF-the-same-bytes-twice'));
    const recording = { recordingPath: shared.relativePath, recordingSha256: shared.sha256, recordingDurationMs: 1000 };
    await appendTestConsent(db, { ...recording, recordedAt: sixYearsAgo() });
    await appendTestConsent(db, recording);
    const result = await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    expect(result.purged).toBe(1);
    expect(existsSync(store.resolve(shared.relativePath))).toBe(true);
    expect((await verifyConsentChain(db.fork(), (p) => store.read(p))).problems).toEqual([]);
  });

  it('when the purge is run again after a crash left a file behind, then it deletes the file and purges nothing twice', async () => {
    const old = await appendTestConsent(db, { recordedAt: sixYearsAgo() }, store);
    await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    // As if the process died between the commit and the file deletion.
    const leftover = store.resolve(old.recordingPath!);
    await writeFile(leftover, 'the personal audio, still there');
    const again = await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    expect(again).toMatchObject({ purged: 0, recordingsDeleted: 1 });
    expect(existsSync(leftover)).toBe(false);
  });

  it('when it is a dry run, then it counts what it would purge and changes nothing', async () => {
    const old = await appendTestConsent(db, { recordedAt: sixYearsAgo() }, store);
    const result = await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826, dryRun: true });
    expect(result).toMatchObject({ purged: 1, dryRun: true, recordingsDeleted: 0 });
    expect((await db.fork().findOneOrFail(ConsentRecord, { id: old.id })).callerE164).toBe('+14155550100');
    await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
  });

  it('when an UPDATE goes beyond the purge, skips the purge log, or purges a record too young, then the trigger refuses it', async () => {
    const young = await appendTestConsent(db, {}, store);
    const old = await appendTestConsent(db, { recordedAt: sixYearsAgo() }, store);
    const purgeShaped =
      'update consent_record set caller_e164 = null, transcript = null, recording_path = null, salt = null, purged_at = now()';
    const logRow = async (tx: EntityManager, record: ConsentRecord, cutoff: Date) =>
      tx
        .getConnection()
        .execute(
          'insert into consent_purge (id, consent_record_id, seq, purged_at, retention_days, cutoff) values (?, ?, ?, now(), 1826, ?)',
          [randomUUID(), record.id, Number(record.seq), cutoff],
          'run',
          tx.getTransactionContext(),
        );
    const attempt = (record: ConsentRecord, update: string, cutoff: Date | null) =>
      db.fork().transactional(async (tx) => {
        if (cutoff) await logRow(tx, record, cutoff);
        await tx.getConnection().execute(`${update} where id = ?`, [record.id], 'run', tx.getTransactionContext());
      });

    await expect(attempt(old, purgeShaped, null), 'no purge-log row').rejects.toThrow(/append-only/);
    await expect(attempt(old, `${purgeShaped}, dtmf = '9'`, new Date()), 'a non-personal column changed').rejects.toThrow(/append-only/);
    await expect(attempt(young, purgeShaped, sixYearsAgo()), 'younger than the logged cutoff').rejects.toThrow(/append-only/);
    await expect(attempt(old, 'update consent_record set transcript = null, purged_at = now(), salt = null', new Date())).rejects.toThrow();
    await expect(sql(db.fork(), 'delete from consent_record where id = ?', [old.id])).rejects.toThrow(/append-only/);
    await expect(sql(db.fork(), 'truncate consent_record cascade')).rejects.toThrow(/append-only/);

    await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    await expect(sql(db.fork(), 'update consent_record set purged_at = null where id = ?', [old.id]), 'un-purging').rejects.toThrow(
      /append-only/,
    );
    await expect(sql(db.fork(), 'update consent_purge set cutoff = now()'), 'rewriting the purge log').rejects.toThrow(/append-only/);
    await expect(sql(db.fork(), 'delete from consent_purge'), 'deleting the purge log').rejects.toThrow(/append-only/);
    expect((await verifyConsentChain(db.fork(), (p) => store.read(p))).problems).toEqual([]);
  });

  it('when a tamperer edits a purged record or fakes a purge without the log, then verification names the record', async () => {
    const purgedOne = await appendTestConsent(db, { recordedAt: sixYearsAgo() }, store);
    await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    const young = await appendTestConsent(db, {}, store);
    await appendTestConsent(db, {}, store);

    await tamper(db.fork(), "update consent_record set kind = 'decline' where id = ?", [purgedOne.id]);
    await tamper(
      db.fork(),
      'update consent_record set caller_e164 = null, transcript = null, recording_path = null, salt = null, purged_at = now() where id = ?',
      [young.id],
    );
    const result = await verifyConsentChain(db.fork(), (p) => store.read(p));
    expect(result.problems).toEqual([
      { seq: Number(purgedOne.seq), id: purgedOne.id, problem: 'content does not match its hash' },
      { seq: Number(young.seq), id: young.id, problem: 'purged without a purge-log entry' },
    ]);
  });
});

describe(`records hashed before purging existed (${describeDatabase()})`, () => {
  let db: Database;
  let store: RecordingStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await newStore();
  });
  afterAll(async () => db?.close());

  it('when a scheme-1 record is at the start of the chain, then it verifies, new records link to it, and the purge leaves it whole', async () => {
    const business = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
    const legacy = {
      id: randomUUID(),
      seq: 1,
      kind: 'grant' as const,
      businessId: business,
      businessName: 'Acme Plumbing',
      leadId: null,
      callId: null,
      callerE164: '+14155550111',
      did: null,
      uniqueid: null,
      linkedid: null,
      recordedAt: sixYearsAgo(),
      callerTimeZone: null,
      disclosureText: 'old wording',
      disclosureVersion: 'v0',
      disclosureSha256: null,
      promptAudioSha256: null,
      dtmf: '1',
      transcript: null,
      recordingPath: null,
      recordingSha256: null,
      recordingDurationMs: null,
      scope: 'texts about this enquiry',
      source: 'ivr',
      hashScheme: 1,
      personalHash: null,
      salt: null,
      prevHash: '0'.repeat(64),
      hash: '',
    };
    legacy.hash = hashConsentRecord(legacy);
    const em = db.fork();
    await sql(
      em,
      `insert into consent_record (id, seq, kind, business_id, business_name, caller_e164, recorded_at, disclosure_text, disclosure_version,
         dtmf, scope, source, hash_scheme, prev_hash, hash) values (?, 1, 'grant', ?, 'Acme Plumbing', ?, ?, 'old wording', 'v0', '1', ?, 'ivr', 1, ?, ?)`,
      [legacy.id, business, legacy.callerE164, legacy.recordedAt, legacy.scope, legacy.prevHash, legacy.hash],
    );
    await sql(em, 'update consent_chain_head set seq = 1, hash = ? where id = 1', [legacy.hash]);
    const next = await appendTestConsent(db, { recordedAt: sixYearsAgo() }, store);
    expect(next.prevHash).toBe(legacy.hash);

    const purge = await purgeConsentRecords(db.fork(), store, { olderThanDays: 1826 });
    expect(purge).toMatchObject({ purged: 1, legacySkipped: 1 });
    expect((await db.fork().findOneOrFail(ConsentRecord, { id: legacy.id })).callerE164).toBe('+14155550111');
    const verification = await verifyConsentChain(db.fork(), (p) => store.read(p));
    expect(verification).toMatchObject({ problems: [], legacy: 1, purged: 1, records: 2 });
  });
});

describe('the retention setting', () => {
  it('when CONSENT_RETENTION_DAYS is unset, then records keep their personal content for 5 years (1826 days)', () => {
    expect(loadConfig({}).consentRetentionDays).toBe(1826);
    expect(loadConfig({ CONSENT_RETENTION_DAYS: '2555' }).consentRetentionDays).toBe(2555);
  });

  it('when CONSENT_RETENTION_DAYS is not a whole number of days, then the configuration is refused', () => {
    expect(() => loadConfig({ CONSENT_RETENTION_DAYS: 'five years' })).toThrow(ConfigError);
    expect(() => loadConfig({ CONSENT_RETENTION_DAYS: '0' })).toThrow(/CONSENT_RETENTION_DAYS/);
  });
});
