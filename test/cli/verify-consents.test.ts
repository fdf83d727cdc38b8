import { spawn } from 'node:child_process';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '../../core/db/database.js';
import type { ConsentRecord } from '../../core/entities/index.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';
import { appendTestConsent, tamper } from '../support/consent-fixtures.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_TIMEOUT_MS = 120_000;

/**
 * A database the real `mcr` process can open. The embedded one lives on disk in
 * a temp DATA_DIR and is closed between uses, since PGlite allows one process at
 * a time; the server one is a fresh database named by DATABASE_URL.
 */
interface Prepared {
  env: Record<string, string>;
  store: RecordingStore;
  withDb<T>(work: (db: Database) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

async function prepare(): Promise<Prepared> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mcr-cli-'));
  const store = new RecordingStore(path.join(dataDir, 'recordings'));
  if (process.env.TEST_DATABASE_URL) {
    const db = await createTestDatabase();
    return {
      env: { DATA_DIR: dataDir, DATABASE_URL: db.url! },
      store,
      withDb: (work) => work(db),
      cleanup: async () => {
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  return {
    env: { DATA_DIR: dataDir },
    store,
    withDb: async (work) => {
      const db = await openDatabase({ embeddedDir: path.join(dataDir, 'pgdata') });
      try {
        await migrate(db);
        return await work(db);
      } finally {
        await db.close();
      }
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command line, `npx tsx cli/mcr.ts ...`, as an operator would. */
function mcr(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATA_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'cli/mcr.ts', ...args], { cwd: ROOT, env: { ...base, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sixYearsAgo = () => new Date(Date.now() - 6 * 365.25 * 86_400_000);

describe(`mcr verify-consents, run as a process (${describeDatabase()})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** Three records: two with a recording, the last without. */
  async function chain(): Promise<{ prepared: Prepared; records: ConsentRecord[] }> {
    const prepared = await prepare();
    cleanups.push(prepared.cleanup);
    const records = await prepared.withDb(async (db) => [
      await appendTestConsent(db, {}, prepared.store),
      await appendTestConsent(db, { callerE164: '+14155550101' }, prepared.store),
      await appendTestConsent(db, { kind: 'revoke', source: 'sms_keyword', transcript: 'STOP' }),
    ]);
    return { prepared, records };
  }

  it(
    'when the chain is intact, then it exits 0 and prints the summary with the head hash',
    async () => {
      const { prepared, records } = await chain();
      const run = await mcr(prepared.env, 'verify-consents');
      expect(run.stderr).not.toMatch(/mcr:/);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Consent chain:  3 records (0 purged, 0 hashed before purging existed)');
      expect(run.stdout).toContain(`Chain head:     #3 ${records[2]!.hash}`);
      expect(run.stdout).toContain('Recordings:     2 checked, 0 missing, 0 altered');
      expect(run.stdout).toContain('Chain verified.');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'when a superuser edits a record behind the trigger, then it exits 1 naming that record',
    async () => {
      const { prepared, records } = await chain();
      const edited = records[1]!;
      await prepared.withDb((db) => tamper(db.fork(), "update consent_record set dtmf = '2' where id = ?", [edited.id]));
      const run = await mcr(prepared.env, 'verify-consents');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`#2 ${edited.id}: content does not match its hash`);
      expect(run.stdout).toContain('Problems:       1');
      expect(run.stdout).toContain('VERIFICATION FAILED.');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'when a recording file is altered and another is deleted, then it exits 1 naming both records',
    async () => {
      const { prepared, records } = await chain();
      const [altered, deleted] = [records[0]!, records[1]!];
      await writeFile(prepared.store.resolve(altered.recordingPath!), 'RIFF-spliced-audio');
      await unlink(prepared.store.resolve(deleted.recordingPath!));
      const run = await mcr(prepared.env, 'verify-consents');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`#1 ${altered.id}: recording does not match its SHA-256`);
      expect(run.stdout).toContain(`#2 ${deleted.id}: recording file missing`);
      expect(run.stdout).toContain('Recordings:     2 checked, 1 missing, 1 altered');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'when the last record is deleted behind the trigger, then it exits 1 because the chain head no longer matches',
    async () => {
      const { prepared, records } = await chain();
      await prepared.withDb((db) => tamper(db.fork(), 'delete from consent_record where id = ?', [records[2]!.id]));
      const run = await mcr(prepared.env, 'verify-consents');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('#3 (chain head): chain head is at #3 but the chain ends at #2: records are missing from the end');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'when purge-consents erases an old record, then verify-consents still exits 0; a retention below the setting needs --force',
    async () => {
      const prepared = await prepare();
      cleanups.push(prepared.cleanup);
      await prepared.withDb(async (db) => {
        await appendTestConsent(db, { recordedAt: sixYearsAgo() }, prepared.store);
        await appendTestConsent(db, {}, prepared.store);
      });

      const tooShort = await mcr(prepared.env, 'purge-consents', '--older-than-days', '30');
      expect(tooShort.code).toBe(2);
      expect(tooShort.stderr).toContain('pass --force');

      const purge = await mcr(prepared.env, 'purge-consents');
      expect(purge.code).toBe(0);
      expect(purge.stdout).toContain('Purged 1 consent record(s)');
      expect(purge.stdout).toContain('Recording files deleted: 1.');

      const verify = await mcr(prepared.env, 'verify-consents');
      expect(verify.code).toBe(0);
      expect(verify.stdout).toContain('Consent chain:  2 records (1 purged, 0 hashed before purging existed)');
      expect(verify.stdout).toContain('Recordings:     1 checked, 0 missing, 0 altered');
    },
    CLI_TIMEOUT_MS * 2,
  );
});
