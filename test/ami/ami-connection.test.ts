import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { CallbackTask, Call } from '../../core/entities/index.js';
import { createFakeAmi } from '../fakes/ami/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { missedCallUserEvent, nextUniqueid } from './ami-events.js';
import { AMI_SECRET, settled, startAmiRig, until, type AmiRig } from './ami-test-kit.js';

let db: Database;
let rig: AmiRig | null = null;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function taskReasons(uniqueid: string): Promise<string[]> {
  const calls = await db.fork().find(Call, { uniqueid });
  return (await db.fork().find(CallbackTask, { callId: { $in: calls.map((c) => c.id) } })).map((t) => t.reason);
}

describe(`the AMI connection (${describeDatabase()})`, () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
  });
  afterEach(async () => {
    if (rig) expect(rig.rawLogs.join('\n')).not.toContain(AMI_SECRET);
    await rig?.stop();
    rig = null;
  });
  afterAll(async () => db?.close());

  it('when the AMI connection drops, then it reconnects by itself and later events are still processed', async () => {
    rig = await startAmiRig(db);
    const current = rig;
    await current.ami.dropConnections();
    await until(() => current.part.state !== 'connected', 2000, 'the drop to be noticed');
    await current.ami.waitForLogins(2, 5000);
    await until(() => current.part.state === 'connected', 2000, 'connected again');
    expect(current.logs.some((l) => l.msg === 'AMI connection lost; reconnecting')).toBe(true);
    expect(current.logs.some((l) => l.msg === 'AMI reconnected')).toBe(true);

    const caller = { uniqueid: nextUniqueid(), number: '+14155550177' };
    expect(current.ami.sendEvent(missedCallUserEvent(caller, 'ABANDONED'))).toBe(1);
    await settled(current, caller.uniqueid);
    expect(await taskReasons(caller.uniqueid)).toEqual(['abandoned']);
  });

  it('when the AMI secret is wrong, then the state is never "connected", it keeps retrying, the process lives and the secret is never logged', async () => {
    rig = await startAmiRig(db, { secret: `${AMI_SECRET}-wrong`, waitForLogin: false });
    const current = rig;
    const states = new Set<string>();
    const watch = setInterval(() => states.add(current.part.state), 5);
    await until(() => current.ami.failedLogins >= 3, 5000, 'three refused logins');
    clearInterval(watch);
    expect(states.has('connected')).toBe(false);
    expect(current.ami.logins).toBe(0);
    const refusal = current.logs.find((l) => l.msg.startsWith('AMI refused the login'));
    expect(refusal).toMatchObject({ ami: { username: 'missed-call-recovery', host: '127.0.0.1' }, message: 'Authentication failed' });
    expect(current.rawLogs.join('\n')).not.toContain(`${AMI_SECRET}-wrong`);
  });

  it('when Asterisk is not there at start, then the state says so and it connects once Asterisk comes up', async () => {
    const probe = await createFakeAmi();
    const port = probe.port;
    await probe.close();
    rig = await startAmiRig(db, { waitForLogin: false, part: { url: `ami://missed-call-recovery:${AMI_SECRET}@127.0.0.1:${port}` } });
    const current = rig;
    await sleep(150);
    expect(['connecting', 'disconnected']).toContain(current.part.state);
    expect(current.logs.some((l) => l.msg.startsWith('AMI not reachable'))).toBe(true);
    const late = await createFakeAmi({ username: 'missed-call-recovery', password: AMI_SECRET, port });
    try {
      await late.waitForLogins(1, 5000);
      await until(() => current.part.state === 'connected', 2000, 'connected');
    } finally {
      await late.close();
    }
  });

  it('when Asterisk stops answering (a half-open socket), then the ping times out and the connection is made again', async () => {
    rig = await startAmiRig(db, { part: { keepaliveMs: 50, answerTimeoutMs: 150 } });
    const current = rig;
    current.ami.setUnresponsive(true);
    await until(() => current.logs.some((l) => l.why === 'no answer to ping'), 3000, 'the ping to time out');
    expect(current.part.state).not.toBe('connected');
    current.ami.setUnresponsive(false);
    await current.ami.waitForLogins(2, 5000);
    await until(() => current.part.state === 'connected', 2000, 'connected again');
  });

  it('when the part stops, then it closes its connection, stays stopped and never reconnects', async () => {
    rig = await startAmiRig(db);
    const current = rig;
    await current.part.stop();
    expect(current.part.state).toBe('stopped');
    await until(() => current.ami.connections === 0, 2000, 'the socket to close');
    await sleep(300);
    expect(current.ami.logins).toBe(1);
    expect(current.ami.connections).toBe(0);
  });
});
