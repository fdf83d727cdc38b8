import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../cli/start-app.js';
import { loadConfig } from '../../core/config/load-config.js';
import { CallbackTask } from '../../core/entities/index.js';
import { DomainEventBus, type DomainEvents } from '../../core/events.js';
import { createLogger } from '../../core/logging.js';
import { createFakeAmi, type FakeAmi } from '../fakes/ami/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { missedCallUserEvent, nextUniqueid } from './ami-events.js';
import { until } from './ami-test-kit.js';

let ami: FakeAmi;
let app: RunningApp;
let dataDir: string;
const events = new DomainEventBus();
const created: Array<DomainEvents['callback.created']> = [];

async function health(): Promise<Record<string, string>> {
  return (await (await fetch(`${app.adminUrl}/healthz`)).json()) as Record<string, string>;
}

describe(`the ami part of mcr start (${describeDatabase()})`, () => {
  beforeAll(async () => {
    ami = await createFakeAmi({ username: 'missed-call-recovery', password: 'wired-secret' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'mcr-ami-'));
    // The ari role is on by default; without ARI_URL only its AMI side runs.
    const config = loadConfig({ DATA_DIR: dataDir, AMI_URL: ami.url, ADMIN_PORT: '0', LOG_LEVEL: 'silent' });
    events.on('callback.created', (event) => created.push(event));
    app = await startApp(config, {
      logger: createLogger('silent'),
      events,
      database: await createTestDatabase(),
      tuning: { amiGraceMs: 60_000, amiMaxBackoffMs: 200 },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await ami?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when AMI_URL is set, then the ami part logs in and /healthz reports it', async () => {
    await until(() => app.ami?.state === 'connected', 5000, 'AMI login');
    expect(await health()).toMatchObject({ status: 'ok', database: 'up', ari: 'off', ami: 'up', smpp: 'off' });
    await ami.dropConnections();
    let whileDown: Record<string, string> = {};
    await until(async () => (whileDown = await health()).ami !== 'up', 5000, '/healthz to notice the drop');
    expect(whileDown).toMatchObject({ status: 'degraded', ami: expect.stringMatching(/^(down|connecting)$/) });
    await until(async () => (await health()).ami === 'up', 5000, '/healthz to see the reconnect');
  });

  it('when the app stops while a call waits out its grace period, then the call is recorded before the database closes', async () => {
    await until(() => app.ami?.state === 'connected', 5000, 'AMI login');
    const caller = { uniqueid: nextUniqueid(), number: '+14155550188' };
    expect(ami.sendEvent(missedCallUserEvent(caller, 'STASIS_FAILED', 'NOANSWER'))).toBe(1);
    // Nothing yet: the grace period is a minute long.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await app.db.fork().count(CallbackTask, {})).toBe(0);
    // Stopping records it at once; the database is closed afterwards, so the domain event is the witness.
    await app.stop();
    expect(created).toEqual([expect.objectContaining({ channelId: caller.uniqueid, reason: 'app_unavailable' })]);
  });
});
