import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctorChecks } from '../../cli/doctor/doctor-checks.js';
import { loadConfig } from '../../core/config/load-config.js';
import { migrate, openDatabase } from '../../core/db/database.js';
import { defaultPromptsDir } from '../../core/prompts/prompt-catalog.js';
import { createFakeAmi, type FakeAmi } from '../fakes/ami/index.js';
import { createFakeAri, type FakeAri } from '../fakes/ari/index.js';
import { createFakeSmsc } from '../fakes/smsc/index.js';
import type { FakeSmsc } from '../fakes/smsc/types.js';

let ari: FakeAri;
let ami: FakeAmi;
let amiWithoutPlugin: FakeAmi;
let smsc: FakeSmsc;
let dataDir: string;

function env(overrides: Record<string, string> = {}) {
  return loadConfig({
    DATA_DIR: dataDir,
    ARI_URL: ari.url,
    ARI_USERNAME: 'mcr',
    ARI_PASSWORD: 'ari-secret',
    AMI_URL: ami.url,
    SMPP_URL: smsc.url,
    ...overrides,
  });
}

const byName = <T extends { name: string }>(results: T[], name: string): T | undefined => results.find((r) => r.name === name);

describe('mcr doctor', () => {
  beforeAll(async () => {
    ari = await createFakeAri({ username: 'mcr', password: 'ari-secret' });
    ami = await createFakeAmi({ username: 'mcr', password: 'ami-secret' });
    amiWithoutPlugin = await createFakeAmi({
      username: 'mcr',
      password: 'ami-secret',
      commands: { 'dialplan show missed-call-recovery': "There is no existence of 'missed-call-recovery' context" },
    });
    smsc = await createFakeSmsc({ systemId: 'mcr', password: 'smpp-pw' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'mcr-doctor-'));
  });
  afterAll(async () => {
    await Promise.all([ari?.close(), ami?.close(), amiWithoutPlugin?.close(), smsc?.close()]);
  });

  it('when the database has not been migrated, then that check fails with the command to run; after migrating it passes', async () => {
    const before = await runDoctorChecks(env());
    expect(byName(before, 'database')).toMatchObject({ status: 'fail', hint: expect.stringContaining('mcr migrate') });
    const db = await openDatabase({ embeddedDir: path.join(dataDir, 'pgdata') });
    await migrate(db);
    await db.close();
    const after = await runDoctorChecks(env());
    expect(byName(after, 'database')?.status).toBe('ok');
  });

  it('when everything is reachable and configured, then each check passes and the app not running is only a warning', async () => {
    const results = await runDoctorChecks(env());
    expect(Object.fromEntries(results.map((r) => [r.name, r.status]))).toEqual({
      database: 'ok',
      ARI: 'ok',
      'Stasis app': 'warn',
      AMI: 'ok',
      dialplan: 'ok',
      SMPP: 'ok',
      prompts: 'ok',
    });
  });

  it('when credentials are wrong or the dialplan is not loaded, then those checks fail with a fix hint', async () => {
    const results = await runDoctorChecks(
      env({
        ARI_PASSWORD: 'wrong',
        AMI_URL: `ami://mcr:wrong@127.0.0.1:${ami.port}`,
        SMPP_URL: `smpp://mcr:wrong@127.0.0.1:${smsc.port}`,
      }),
    );
    expect(byName(results, 'ARI')).toMatchObject({ status: 'fail', hint: expect.stringContaining('ari.conf') });
    expect(byName(results, 'AMI')).toMatchObject({ status: 'fail', detail: expect.stringContaining('refused') });
    expect(byName(results, 'SMPP')).toMatchObject({ status: 'fail', detail: expect.stringContaining('bind refused') });
    const noPlugin = await runDoctorChecks(env({ AMI_URL: amiWithoutPlugin.url.replace(/ami:\/\/[^@]+@/, 'ami://mcr:ami-secret@') }));
    expect(byName(noPlugin, 'dialplan')).toMatchObject({ status: 'fail', hint: expect.stringContaining('dialplan reload') });
  });

  it('when the AMI user may not run CLI commands (the shipped manager.conf), then the dialplan check only warns, with the manual command', async () => {
    const locked = await createFakeAmi({ username: 'mcr', password: 'ami-secret', allowCommand: false });
    try {
      const results = await runDoctorChecks(env({ AMI_URL: `ami://mcr:ami-secret@127.0.0.1:${locked.port}` }));
      expect(byName(results, 'AMI')?.status).toBe('ok');
      expect(byName(results, 'dialplan')).toMatchObject({ status: 'warn', hint: expect.stringContaining('asterisk -rx') });
    } finally {
      await locked.close();
    }
  });

  it('when texts go over split binds and a second SMSC, then doctor binds each as the app will', async () => {
    const second = await createFakeSmsc({ systemId: 'mcr', password: 'smpp-pw' });
    try {
      const results = await runDoctorChecks(env({ SMPP_BIND: 'split', SMPP_URLS: `backup=smpp://mcr:smpp-pw@127.0.0.1:${second.port}` }));
      expect(byName(results, 'SMPP')).toMatchObject({ status: 'ok', detail: expect.stringContaining('backup (transmitter + receiver)') });
      expect(second.bound.length + smsc.bound.length).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('when a part is unreachable, then its check fails quickly instead of hanging', async () => {
    const results = await runDoctorChecks(
      env({ ARI_URL: 'http://127.0.0.1:1', AMI_URL: 'ami://mcr:x@127.0.0.1:1', SMPP_URL: 'smpp://mcr:x@127.0.0.1:1' }),
    );
    for (const name of ['ARI', 'AMI', 'SMPP']) expect(byName(results, name)?.status, name).toBe('fail');
  });

  it('when a prompt file was altered, then the prompts check fails', async () => {
    const prompts = await mkdtemp(path.join(tmpdir(), 'mcr-prompts-'));
    await cp(defaultPromptsDir(), prompts, { recursive: true });
    await writeFile(path.join(prompts, 'mcr-disclosure.wav'), 'not the audio');
    const results = await runDoctorChecks(env(), prompts);
    expect(byName(results, 'prompts')).toMatchObject({ status: 'fail', detail: expect.stringContaining('mcr-disclosure.wav') });
  });
});
