import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordingStore } from '../recordings/recording-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeOptions {
  /** Records made more than this many whole days before `now` lose their personal content. */
  olderThanDays: number;
  /** Only to compute the cutoff (tests); the purge itself is stamped with the real time. */
  now?: Date;
  dryRun?: boolean;
  batchSize?: number;
}

export interface PurgeResult {
  cutoff: Date;
  /** Records purged by this run (in a dry run: that would be). */
  purged: number;
  /** Recording files deleted from the store, left-overs of an interrupted earlier run included. */
  recordingsDeleted: number;
  /** Scheme-1 records past the cutoff, left whole: their hash covers the personal fields, so erasing them would break the chain. */
  legacySkipped: number;
  dryRun: boolean;
}

/**
 * Erases the personal content (caller number, transcript, recording file, salt)
 * of consent records older than the retention, keeping every hash so the chain
 * still verifies (see consent-ledger.ts). Each batch is one transaction: purge
 * log rows first, then the UPDATE the append-only trigger allows because of them.
 * Files are deleted after the commit, so a record that still references a file
 * always has it; a crash in between leaves files that the next run deletes.
 */
export async function purgeConsentRecords(em: EntityManager, store: RecordingStore, options: PurgeOptions): Promise<PurgeResult> {
  if (!Number.isInteger(options.olderThanDays) || options.olderThanDays < 1)
    throw new Error('olderThanDays must be a whole number of at least 1');
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * DAY_MS);
  const dryRun = options.dryRun ?? false;
  const legacySkipped = await countWhere(em, 'hash_scheme = 1', cutoff);
  if (dryRun) {
    return { cutoff, purged: await countWhere(em, 'hash_scheme = 2', cutoff), recordingsDeleted: 0, legacySkipped, dryRun };
  }
  let purged = 0;
  for (;;) {
    const count = await em.fork().transactional((tx) => purgeBatch(tx, cutoff, options.olderThanDays, options.batchSize ?? 500));
    if (count === 0) break;
    purged += count;
  }
  const recordingsDeleted = await deleteUnreferencedRecordings(em, store);
  return { cutoff, purged, recordingsDeleted, legacySkipped, dryRun };
}

async function purgeBatch(tx: EntityManager, cutoff: Date, retentionDays: number, batchSize: number): Promise<number> {
  const connection = tx.getConnection();
  const ctx = tx.getTransactionContext();
  // SKIP LOCKED: two purges running at once share the work instead of colliding on the log's unique key.
  const rows = await connection.execute<{ id: string; seq: string | number; recording_path: string | null }[]>(
    `select id, seq, recording_path from consent_record
      where purged_at is null and hash_scheme = 2 and recorded_at < ?
      order by seq limit ? for update skip locked`,
    [cutoff, batchSize],
    'all',
    ctx,
  );
  if (rows.length === 0) return 0;
  const purgedAt = new Date();
  await connection.execute(
    `insert into consent_purge (id, consent_record_id, seq, purged_at, retention_days, cutoff, recording_path)
     values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    rows.flatMap((r) => [randomUUID(), r.id, Number(r.seq), purgedAt, retentionDays, cutoff, r.recording_path]),
    'run',
    ctx,
  );
  // Exactly the columns the trigger lets a purge touch; anything more is refused.
  await connection.execute(
    `update consent_record set caller_e164 = null, transcript = null, recording_path = null, salt = null, purged_at = ?
      where id in (${rows.map(() => '?').join(', ')})`,
    [purgedAt, ...rows.map((r) => r.id)],
    'run',
    ctx,
  );
  return rows.length;
}

async function countWhere(em: EntityManager, scheme: 'hash_scheme = 1' | 'hash_scheme = 2', cutoff: Date): Promise<number> {
  const rows = await em
    .fork()
    .getConnection()
    .execute<{ n: string | number }[]>(
      `select count(*) as n from consent_record where purged_at is null and ${scheme} and recorded_at < ?`,
      [cutoff],
    );
  return Number(rows[0]?.n ?? 0);
}

/** Files named in the purge log that no unpurged record still uses (the store is content-addressed: two records can share one). */
async function deleteUnreferencedRecordings(em: EntityManager, store: RecordingStore): Promise<number> {
  const rows = await em
    .fork()
    .getConnection()
    .execute<{ recording_path: string }[]>(
      `select distinct p.recording_path from consent_purge p
        where p.recording_path is not null
          and not exists (select 1 from consent_record r where r.recording_path = p.recording_path)`,
    );
  let deleted = 0;
  for (const row of rows) if (await store.remove(row.recording_path)) deleted += 1;
  return deleted;
}
