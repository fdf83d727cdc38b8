import net from 'node:net';
import AsteriskManager from 'asterisk-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AMI_GREETING, createFakeAmi, type FakeAmi } from './fakes/ami/index.js';

// `asterisk-manager`, unchanged, against the fake AMI over real TCP.

type Manager = AsteriskManager.ManagerInstance;
type AmiMessage = AsteriskManager.AmiMessage;

let ami: FakeAmi;
const managers: Manager[] = [];
const sockets: net.Socket[] = [];

beforeEach(async () => {
  ami = await createFakeAmi({ username: 'mcr', password: 'ami-secret' });
});

afterEach(async () => {
  for (const manager of managers.splice(0)) manager.disconnect();
  for (const socket of sockets.splice(0)) socket.destroy();
  await ami.close();
});

function manager(secret = 'ami-secret', events = true): Manager {
  // No port: the library would log in by itself and swallow a refusal (see types/asterisk-manager.d.ts).
  const m = AsteriskManager(undefined, undefined, 'mcr', secret, events);
  managers.push(m);
  return m;
}

function connect(m: Manager): Promise<void> {
  return new Promise((resolve) => m.connect(ami.port, '127.0.0.1', () => resolve()));
}

function login(m: Manager): Promise<AmiMessage | undefined> {
  return new Promise((resolve) => m.login((err) => resolve(err)));
}

function action(m: Manager, fields: AsteriskManager.AmiAction): Promise<{ err: AmiMessage | undefined; res: AmiMessage }> {
  return new Promise((resolve) => m.action(fields, (err, res) => resolve({ err, res })));
}

function next(m: Manager, event: string, timeoutMs = 2000): Promise<AmiMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    m.once(event, (message: AmiMessage) => {
      clearTimeout(timer);
      resolve(message);
    });
  });
}

/** A bare TCP client, for what asterisk-manager cannot say (it sends `Event:`, not `Events:`). */
function raw(): Promise<{ socket: net.Socket; received: () => string }> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.createConnection(ami.port, '127.0.0.1', () => resolve({ socket, received: () => text }));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    sockets.push(socket);
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('fake AMI', () => {
  it('when a client connects, then the first line is the Asterisk greeting', async () => {
    const client = await raw();
    await waitFor(() => client.received().includes('\r\n'));
    expect(client.received()).toBe(`${AMI_GREETING}\r\n`);
  });

  it('when asterisk-manager logs in with the right secret, then it is accepted, the ActionID echoed and the login counted', async () => {
    const m = manager();
    await connect(m);
    const response = next(m, 'response');
    expect(await login(m)).toBeUndefined();
    expect(await response).toMatchObject({ response: 'Success', message: 'Authentication accepted' });
    expect((await response).actionid).toBeTruthy();
    expect(ami.logins).toBe(1);
    expect(ami.actions[0]).toMatchObject({ action: 'login' });
  });

  it('when the secret is wrong, then the login gets Error "Authentication failed" and the connection is closed', async () => {
    const m = manager('wrong');
    await connect(m);
    const closed = next(m, 'close');
    const err = await login(m);
    expect(err).toMatchObject({ response: 'Error', message: 'Authentication failed' });
    await closed;
    expect(ami.logins).toBe(0);
    expect(ami.failedLogins).toBe(1);
  });

  it('when an action comes before the login, then it is refused', async () => {
    const client = await raw();
    client.socket.write('Action: Ping\r\nActionID: early-1\r\n\r\n');
    await waitFor(() => client.received().includes('Permission denied'));
    expect(client.received()).toContain('Response: Error\r\nActionID: early-1\r\nMessage: Permission denied\r\n\r\n');
  });

  it('when the client pings, then Pong comes back for that ActionID', async () => {
    const m = manager();
    await connect(m);
    await login(m);
    const { err, res } = await action(m, { action: 'Ping' });
    expect(err).toBeUndefined();
    expect(res).toMatchObject({ response: 'Success', ping: 'Pong' });
  });

  it('when the client runs "dialplan show missed-call-recovery", then the CLI output comes back line by line', async () => {
    const m = manager();
    await connect(m);
    await login(m);
    const { res } = await action(m, { action: 'Command', command: 'dialplan show missed-call-recovery' });
    expect(res.response).toBe('Success');
    const output = res.output as string[];
    expect(output[0]).toBe("[ Context 'missed-call-recovery' created by 'pbx_config' ]");
    expect(output.join('\n')).toContain('UserEvent(MissedCallRecovery');
    const unknown = await action(m, { action: 'Command', command: 'frobnicate now' });
    expect(unknown.res.output).toContain("No such command 'frobnicate now' (type 'core show help frobnicate' for other possible commands)");
  });

  it('when command rights are withheld, then Command is refused', async () => {
    await ami.close();
    ami = await createFakeAmi({ username: 'mcr', password: 'ami-secret', allowCommand: false });
    const m = manager();
    await connect(m);
    await login(m);
    const { err } = await action(m, { action: 'Command', command: 'dialplan show missed-call-recovery' });
    expect(err).toMatchObject({ response: 'Error', message: 'Permission denied' });
  });

  it('when an event is sent, then asterisk-manager emits it with lower-cased headers, by name and as a user event', async () => {
    const m = manager();
    await connect(m);
    await login(m);
    const any = next(m, 'managerevent');
    const named = next(m, 'userevent-missedcallrecovery');
    expect(
      ami.sendEvent({
        Event: 'UserEvent',
        Privilege: 'user,all',
        Uniqueid: '1700000000.1',
        CallerIDNum: '+14155550142',
        UserEvent: 'MissedCallRecovery',
        Outcome: 'ABANDONED',
        Reason: 'CANCEL\r\nEvent: Forged',
      }),
    ).toBe(1);
    const event = await any;
    expect(event).toMatchObject({ event: 'UserEvent', uniqueid: '1700000000.1', calleridnum: '+14155550142', outcome: 'ABANDONED' });
    // A value cannot forge a header: CR/LF are flattened.
    expect(event.reason).toBe('CANCEL Event: Forged');
    expect((await named).userevent).toBe('MissedCallRecovery');
  });

  it('when a client logs in with "Events: off", then it gets no events; asterisk-manager\'s "Event: off" is ignored as Asterisk ignores it', async () => {
    const quiet = await raw();
    quiet.socket.write('Action: Login\r\nUsername: mcr\r\nSecret: ami-secret\r\nEvents: off\r\nActionID: q1\r\n\r\n');
    await waitFor(() => quiet.received().includes('Authentication accepted'));
    const m = manager('ami-secret', false);
    await connect(m);
    await login(m);
    const heard = next(m, 'hangup');
    expect(ami.sendEvent({ Event: 'Hangup', Uniqueid: '1.1', Cause: '16' })).toBe(1);
    expect((await heard).cause).toBe('16');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(quiet.received()).not.toContain('Event: Hangup');

    quiet.socket.write('Action: Events\r\nEventMask: on\r\nActionID: q2\r\n\r\n');
    await waitFor(() => quiet.received().includes('Events: On'));
    expect(ami.sendEvent({ Event: 'Hangup', Uniqueid: '1.2' })).toBe(2);
    await waitFor(() => quiet.received().includes('Event: Hangup\r\nUniqueid: 1.2\r\n\r\n'));
  });

  it('when events are sent before the login, then the connection does not get them', async () => {
    const client = await raw();
    expect(ami.sendEvent({ Event: 'Hangup', Uniqueid: '1.1' })).toBe(0);
    expect(ami.connections).toBe(1);
    expect(ami.sessions).toBe(0);
    expect(client.received()).not.toContain('Hangup');
  });

  it('when the connections are dropped, then the client sees the close and can log in again', async () => {
    const m = manager();
    await connect(m);
    await login(m);
    const closed = next(m, 'close');
    await ami.dropConnections();
    await closed;
    expect(ami.connections).toBe(0);
    await connect(m);
    expect(await login(m)).toBeUndefined();
    await ami.waitForLogins(2);
    expect(ami.sessions).toBe(1);
  });

  it('when the client logs off, then it gets Goodbye and the connection ends', async () => {
    const m = manager();
    await connect(m);
    await login(m);
    const closed = next(m, 'close');
    const { res } = await action(m, { action: 'Logoff' });
    expect(res).toMatchObject({ response: 'Goodbye', message: 'Thanks for all the fish.' });
    await closed;
  });

  it('when the fake is unresponsive, then actions are recorded but not answered', async () => {
    const m = manager();
    await connect(m);
    await login(m);
    ami.setUnresponsive(true);
    const answered = action(m, { action: 'Ping' });
    await waitFor(() => ami.actions.some((a) => a.action.toLowerCase() === 'ping'));
    const outcome = await Promise.race([
      answered.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('silent'), 100)),
    ]);
    expect(outcome).toBe('silent');
  });

  it('when the url is read, then it names the user, the secret and the port', () => {
    const url = new URL(ami.url);
    expect(url.protocol).toBe('ami:');
    expect(url.username).toBe('mcr');
    expect(url.password).toBe('ami-secret');
    expect(Number(url.port)).toBe(ami.port);
  });
});
