import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../core/config/load-config.js';
import { verifyConsentChain, type ChainVerification } from '../core/consent/consent-ledger.js';
import { purgeConsentRecords } from '../core/consent/consent-purge.js';
import type { Database } from '../core/db/database.js';
import { RecordingStore } from '../core/recordings/recording-store.js';

function recordingStore(config: Config): RecordingStore {
  return new RecordingStore(path.resolve(config.dataDir, 'recordings'));
}

/**
 * These commands read the evidence as it is; they do not migrate (a check that
 * changed the schema first would not be a check). An old schema gets a clear
 * message instead of an SQL error about a missing column.
 */
async function pendingMigrations(db: Database): Promise<string[]> {
  return (await db.orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}

function refuseUnmigrated(pending: string[]): number {
  console.error(`mcr: the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`mcr migrate\` first.`);
  return 2;
}

/** `mcr verify-consents`: exit 0 when the chain, its head and every recording verify; 1 otherwise. */
export async function runVerifyConsents(db: Database, config: Config): Promise<number> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) return refuseUnmigrated(pending);
  const store = recordingStore(config);
  const result = await verifyConsentChain(db.fork(), (p) => store.read(p));
  printVerification(result);
  return result.problems.length === 0 ? 0 : 1;
}

function printVerification(result: ChainVerification): void {
  const ok = result.problems.length === 0;
  const head = result.head ? `#${result.head.seq} ${result.head.hash}` : 'missing';
  console.log(`Consent chain:  ${result.records} records (${result.purged} purged, ${result.legacy} hashed before purging existed)`);
  console.log(`Chain head:     ${head}`);
  console.log(
    `Recordings:     ${result.recordingsChecked} checked, ${result.recordingsMissing} missing, ${result.recordingsAltered} altered`,
  );
  console.log(`Problems:       ${result.problems.length}`);
  for (const problem of result.problems) console.log(`  #${problem.seq} ${problem.id ?? '(chain head)'}: ${problem.problem}`);
  console.log(
    ok
      ? 'Chain verified. Keep the head hash somewhere outside this database: it makes a later rewrite of the tail detectable.'
      : 'VERIFICATION FAILED.',
  );
}

/** `mcr purge-consents [--older-than-days N] [--dry-run] [--force]`. */
export async function runPurgeConsents(db: Database, config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'older-than-days': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  const given = values['older-than-days'];
  const days = given === undefined ? config.consentRetentionDays : /^\d+$/.test(given) ? Number(given) : NaN;
  if (!Number.isInteger(days) || days < 1) {
    console.error('mcr: --older-than-days takes a whole number of days, at least 1.');
    return 2;
  }
  // A typo here erases evidence a business may still need: going below the configured retention takes --force.
  if (days < config.consentRetentionDays && !values.force) {
    console.error(
      `mcr: ${days} days is shorter than CONSENT_RETENTION_DAYS (${config.consentRetentionDays}); pass --force to purge records that young.`,
    );
    return 2;
  }
  const pending = await pendingMigrations(db);
  if (pending.length > 0) return refuseUnmigrated(pending);
  const result = await purgeConsentRecords(db.fork(), recordingStore(config), { olderThanDays: days, dryRun: values['dry-run'] });
  const verb = result.dryRun ? 'Would purge' : 'Purged';
  console.log(`${verb} ${result.purged} consent record(s) made before ${result.cutoff.toISOString()} (older than ${days} days).`);
  if (!result.dryRun) console.log(`Recording files deleted: ${result.recordingsDeleted}.`);
  if (result.legacySkipped > 0) {
    console.log(
      `Left whole: ${result.legacySkipped} older record(s) hashed before purging existed; erasing their content would break the chain.`,
    );
  }
  return 0;
}
