// The fake ARI server, driven by the real ari-client (unchanged) and by plain
// HTTP/WebSocket where exact status codes or bytes matter.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import ari, { type Channel, type Client } from 'ari-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_EVENT_TYPES,
  apiDeclarations,
  ariFetch,
  AriEventType,
  createFakeAri,
  muteSwaggerNotice,
  openEventSocket,
  type AriEvent,
  type FakeAri,
} from './fakes/ari/index.js';

const APP = 'missed-call-recovery';

let unmute: () => void;
beforeAll(() => {
  unmute = muteSwaggerNotice();
});
afterAll(() => unmute());
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type EventOf<T extends AriEventType> = Extract<AriEvent, { type: T }>;
const isType = <T extends AriEventType>(event: AriEvent, type: T): event is EventOf<T> => event.type === type;

/** A predicate for waitForEvent/next: this type, and optionally more. */
function ofType<T extends AriEventType>(type: T, match: (event: EventOf<T>) => boolean = () => true) {
  return (event: AriEvent): boolean => isType(event, type) && match(event);
}

function parseWav(data: Buffer) {
  return {
    riff: data.toString('ascii', 0, 4),
    wave: data.toString('ascii', 8, 12),
    audioFormat: data.readUInt16LE(20),
    channels: data.readUInt16LE(22),
    sampleRate: data.readUInt32LE(24),
    bitsPerSample: data.readUInt16LE(34),
    dataTag: data.toString('ascii', 36, 40),
    dataBytes: data.readUInt32LE(40),
    riffSize: data.readUInt32LE(4),
  };
}

describe('fake ARI, driven by ari-client', () => {
  let fake: FakeAri;
  let client: Client | undefined;

  beforeEach(async () => {
    fake = await createFakeAri({ playbackMs: 20 });
  });

  afterEach(async () => {
    client?.stop();
    client = undefined;
    await fake.close();
  });

  async function connect(): Promise<Client> {
    client = await ari.connect(fake.url, fake.username, fake.password);
    await client.start(APP);
    return client;
  }

  /** A call arrives and enters Stasis; resolves with the Channel instance ari-client built. */
  async function incomingCall(c: Client, args = ['NOANSWER']): Promise<{ id: string; channel: Channel }> {
    const id = fake.addChannel({ callerNumber: '+15551230001', callerName: 'Pat Caller', exten: '+15559870000' });
    const started = new Promise<Channel>((resolve) => {
      c.on('StasisStart', (_event, channel) => {
        if (channel.id === id) resolve(channel);
      });
    });
    expect(fake.startStasis(id, args)).toBe(true);
    return { id, channel: await started };
  }

  it('when the app connects, then ari-client builds its API from the fake description and registers the app', async () => {
    const c = await connect();
    expect(typeof c.channels.answer).toBe('function');
    expect(typeof c.channels.snoopChannel).toBe('function');
    expect(typeof c.recordings.getStoredFile).toBe('function');
    await fake.waitForRequest((r) => r.path === '/ari/events' && r.status === 101);
    const upgrade = fake.requests.find((r) => r.path === '/ari/events');
    expect(upgrade?.query).toEqual({ app: APP }); // api_key is never recorded
    const apps = await c.applications.list();
    expect(apps.map((a) => a.name)).toEqual([APP]);
    const info = await c.asterisk.getInfo();
    expect(info.system?.version).toMatch(/^22\./);
  });

  it('when a call enters Stasis, then StasisStart carries the args and a full Channel in state Ring', async () => {
    const c = await connect();
    const received = new Promise<{ args: string | string[]; channel: Channel }>((resolve) => {
      c.once('StasisStart', (event, channel) => resolve({ args: event.args, channel }));
    });
    const id = fake.addChannel({ callerNumber: '+15551230001', callerName: 'Pat', exten: '+15559870000', context: 'from-pstn' });
    fake.startStasis(id, ['NOANSWER', 'reception']);
    const { args, channel } = await received;
    expect(args).toEqual(['NOANSWER', 'reception']);
    expect(channel.id).toBe(id);
    expect(channel.state).toBe('Ring');
    expect(channel.name).toMatch(/^PJSIP\/trunk-[0-9a-f]{8}$/);
    expect(channel.caller).toEqual({ name: 'Pat', number: '+15551230001' });
    expect(channel.dialplan).toMatchObject({ context: 'from-pstn', exten: '+15559870000', app_name: 'Stasis' });
    expect(channel.creationtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const event = await fake.waitForEvent(ofType(AriEventType.StasisStart));
    expect(event).toMatchObject({ application: APP, asterisk_id: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/) });
  });

  it('when the app answers, then the channel goes Up with a ChannelStateChange', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    const stateChange = new Promise<string>((resolve) => c.once('ChannelStateChange', (_e, ch) => resolve(ch.state)));
    await channel.answer();
    expect(await stateChange).toBe('Up');
    expect(fake.channels.get(id)?.channel.state).toBe('Up');
  });

  it('when the app plays several media, then Started/Continuing/Finished arrive in order on its Playback instance', async () => {
    const c = await connect();
    const { channel } = await incomingCall(c);
    const playback = c.Playback();
    const seen: string[] = [];
    const finished = new Promise<string>((resolve) => {
      playback.on('PlaybackStarted', (_e, p) => seen.push(`started ${p.media_uri}`));
      playback.on('PlaybackContinuing', (_e, p) => seen.push(`continuing ${p.media_uri}`));
      playback.once('PlaybackFinished', (_e, p) => resolve(p.state));
    });
    const response = await channel.play({ media: ['sound:disclosure', 'digits:5551230001'], lang: 'en' }, playback);
    expect(response).toMatchObject({ id: playback.id, state: 'queued', target_uri: `channel:${channel.id}` });
    expect(await finished).toBe('done');
    expect(seen).toEqual(['started sound:disclosure', 'continuing sound:disclosure', 'started digits:5551230001']);
    // ari-client sends the instance's id as ?playbackId= and joins a media array with commas.
    const request = fake.requests.find((r) => r.path === `/ari/channels/${channel.id}/play`);
    expect(request?.query).toEqual({ media: 'sound:disclosure,digits:5551230001', lang: 'en', playbackId: playback.id });
  });

  it('when media is given as a repeated query parameter, then every item is played', async () => {
    const c = await connect();
    const { id } = await incomingCall(c);
    const res = await ariFetch(fake, `/ari/channels/${id}/play?media=sound:a&media=sound:b,sound:c`, { method: 'POST' });
    expect(res.status).toBe(201);
    const playback = (await res.json()) as { id: string };
    const done = await fake.waitForEvent(ofType(AriEventType.PlaybackFinished, (e) => e.playback.id === playback.id));
    expect(done).toMatchObject({ playback: { media_uri: 'sound:c', state: 'done' } });
  });

  it('when the app stops a playback early, then PlaybackFinished says done; a bad media URI fails', async () => {
    const slow = await createFakeAri({ playbackMs: 10_000 });
    try {
      const socket = await openEventSocket(slow, APP);
      const id = slow.addChannel({ callerNumber: '+15551230001', exten: '100' });
      slow.startStasis(id);
      const play = await ariFetch(slow, `/ari/channels/${id}/play?media=sound:long&playbackId=pb1`, { method: 'POST' });
      expect(play.status).toBe(201);
      await socket.next(ofType(AriEventType.PlaybackStarted));
      expect((await ariFetch(slow, '/ari/playbacks/pb1')).status).toBe(200);
      expect((await ariFetch(slow, '/ari/playbacks/pb1', { method: 'DELETE' })).status).toBe(204);
      expect(await socket.next(ofType(AriEventType.PlaybackFinished))).toMatchObject({ playback: { id: 'pb1', state: 'done' } });
      expect((await ariFetch(slow, '/ari/playbacks/pb1')).status).toBe(404);

      await ariFetch(slow, `/ari/channels/${id}/play?media=nosuchscheme:x&playbackId=pb2`, { method: 'POST' });
      expect(await socket.next(ofType(AriEventType.PlaybackFinished, (e) => e.playback.id === 'pb2'))).toMatchObject({
        playback: { state: 'failed' },
      });
      await socket.close();
    } finally {
      await slow.close();
    }
  });

  it('when the app snoops, records and stops, then the stored WAV downloads byte-for-byte through ari-client', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    await channel.answer();

    const snoopStarted = new Promise<{ args: string | string[]; snoop: Channel }>((resolve) => {
      c.on('StasisStart', (event, ch) => {
        if (ch.name.startsWith('Snoop/')) resolve({ args: event.args, snoop: ch });
      });
    });
    const snoop = await channel.snoopChannel({ app: APP, appArgs: 'evidence', spy: 'in' }, c.Channel());
    expect(snoop.name).toMatch(new RegExp(`^Snoop/${id.replace('.', '\\.')}-[0-9a-f]{8}$`));
    const started = await snoopStarted;
    expect(started.args).toEqual(['evidence']);
    expect(started.snoop.id).toBe(snoop.id);
    expect(fake.channels.get(snoop.id)?.snoopOf).toBe(id);

    const recording = c.LiveRecording('consent/call-1');
    const recordingStarted = new Promise<void>((resolve) => recording.once('RecordingStarted', () => resolve()));
    const recordingFinished = new Promise<number | undefined>((resolve) =>
      recording.once('RecordingFinished', (_e, r) => resolve(r.duration)),
    );
    const live = await snoop.record({ name: 'consent/call-1', format: 'wav', maxDurationSeconds: 60, beep: false }, recording);
    expect(live).toMatchObject({ name: 'consent/call-1', format: 'wav', state: 'queued', target_uri: `channel:${snoop.id}` });
    await recordingStarted;
    await sleep(1_100);
    await recording.stop();
    const duration = await recordingFinished;

    const viaClient = await c.recordings.getStoredFile({ recordingName: 'consent/call-1' });
    const stored = fake.storedRecording('consent/call-1');
    expect(Buffer.isBuffer(viaClient)).toBe(true);
    expect(stored).toBeDefined();
    expect(sha256(viaClient)).toBe(sha256(stored ?? Buffer.alloc(0)));

    const viaFetch = await ariFetch(fake, `/ari/recordings/stored/${encodeURIComponent('consent/call-1')}/file`);
    expect(viaFetch.headers.get('content-type')).toBe('audio/wav');
    expect(sha256(Buffer.from(await viaFetch.arrayBuffer()))).toBe(sha256(viaClient));

    const wav = parseWav(viaClient);
    expect(wav).toMatchObject({ riff: 'RIFF', wave: 'WAVE', audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, dataTag: 'data' });
    expect(wav.dataBytes).toBe(viaClient.length - 44);
    expect(wav.riffSize).toBe(viaClient.length - 8);
    const seconds = wav.dataBytes / 2 / 8000;
    expect(seconds).toBeGreaterThanOrEqual(1.1);
    expect(seconds).toBeLessThan(3);
    expect(duration).toBe(Math.floor(seconds));

    expect(await c.recordings.listStored()).toEqual([expect.objectContaining({ name: 'consent/call-1', format: 'wav' })]);
  });

  it('when the caller hangs up during a recording, then the recording is finished and stored and the snoop goes too', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    const snoop = await channel.snoopChannel({ app: APP, spy: 'in' }, c.Channel());
    await snoop.record({ name: 'hangup-rec', format: 'wav' }, c.LiveRecording('hangup-rec'));
    await fake.waitForEvent(ofType(AriEventType.RecordingStarted));
    const playback = await channel.play({ media: 'sound:disclosure' }, c.Playback());
    await fake.waitForEvent(ofType(AriEventType.PlaybackStarted, (e) => e.playback.id === playback.id));

    const sinceHangup = fake.events.length;
    fake.callerHangup(id);

    const order = fake.events.slice(sinceHangup).map((e) => ('channel' in e ? `${e.type}:${e.channel.id === id ? 'caller' : 'snoop'}` : e.type));
    expect(order).toEqual([
      'ChannelHangupRequest:caller',
      'PlaybackFinished',
      'StasisEnd:caller',
      'ChannelDestroyed:caller',
      'RecordingFinished',
      'StasisEnd:snoop',
      'ChannelDestroyed:snoop',
    ]);
    const hangupRequest = fake.events.find(ofType(AriEventType.ChannelHangupRequest));
    expect(hangupRequest).toMatchObject({ cause: 16 });
    expect(hangupRequest).not.toHaveProperty('soft');
    expect(fake.events.find(ofType(AriEventType.ChannelDestroyed))).toMatchObject({ cause: 16, cause_txt: 'Normal Clearing' });
    expect(fake.events.find(ofType(AriEventType.PlaybackFinished, (e) => e.playback.id === playback.id))).toMatchObject({
      playback: { state: 'failed' },
    });
    expect(fake.storedRecording('hangup-rec')).toBeDefined();
    expect(fake.channels.size).toBe(0);
    await expect(channel.answer()).rejects.toThrow('Channel not found');
  });

  it('when the recording has maxDurationSeconds, then it finishes by itself', async () => {
    const c = await connect();
    const { channel } = await incomingCall(c);
    const finished = new Promise<number | undefined>((resolve) =>
      c.once('RecordingFinished', (_e, r) => resolve(r.duration)),
    );
    await channel.record({ name: 'capped', format: 'wav', maxDurationSeconds: 1 }, c.LiveRecording('capped'));
    expect(await finished).toBe(1);
    expect(parseWav(fake.storedRecording('capped') ?? Buffer.alloc(44)).dataBytes).toBe(16_000);
  });

  it('when the caller presses keys, then ChannelDtmfReceived arrives and terminateOn ends the recording', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    await channel.answer();
    const digits: string[] = [];
    channel.on('ChannelDtmfReceived', (event) => digits.push(event.digit));
    const finished = new Promise<string>((resolve) => c.once('RecordingFinished', (_e, r) => resolve(r.state)));
    await channel.record({ name: 'keyed', format: 'wav', terminateOn: '#' }, c.LiveRecording('keyed'));
    await fake.waitForEvent(ofType(AriEventType.RecordingStarted));
    fake.sendDtmf(id, '1');
    fake.sendDtmf(id, '#', 250);
    expect(await finished).toBe('done');
    expect(digits).toEqual(['1', '#']);
    expect(fake.events.find(ofType(AriEventType.ChannelDtmfReceived, (e) => e.digit === '#'))).toMatchObject({ duration_ms: 250 });
  });

  it('when two recordings are made, then their bytes differ (so a stored SHA-256 identifies one)', async () => {
    const c = await connect();
    const { channel } = await incomingCall(c);
    for (const name of ['first', 'second']) {
      const done = new Promise<void>((resolve) => c.once('RecordingFinished', () => resolve()));
      await channel.record({ name, format: 'wav' }, c.LiveRecording(name));
      await fake.waitForEvent(ofType(AriEventType.RecordingStarted, (e) => e.recording.name === name));
      await sleep(200);
      await c.recordings.stop({ recordingName: name });
      await done;
    }
    const [first, second] = [fake.storedRecording('first'), fake.storedRecording('second')];
    expect(first && second && sha256(first) !== sha256(second)).toBe(true);
  });

  it('when a recording name exists and ifExists is fail, then 409; unknown channels get 404 like Asterisk', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    await channel.record({ name: 'dup', format: 'wav' }, c.LiveRecording('dup'));
    const again = await ariFetch(fake, `/ari/channels/${id}/record?name=dup&format=wav`, { method: 'POST' });
    expect(again.status).toBe(409);
    await c.recordings.stop({ recordingName: 'dup' });
    expect((await ariFetch(fake, `/ari/channels/${id}/record?name=dup&format=wav&ifExists=fail`, { method: 'POST' })).status).toBe(409);
    expect((await ariFetch(fake, `/ari/channels/${id}/record?name=dup&format=wav&ifExists=overwrite`, { method: 'POST' })).status).toBe(201);
    expect((await ariFetch(fake, `/ari/channels/${id}/record?name=x&format=mp3`, { method: 'POST' })).status).toBe(422);

    const missing = await ariFetch(fake, '/ari/channels/no-such-channel/answer', { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Channel not found' });
    expect((await ariFetch(fake, '/ari/channels/no-such-channel/record?name=y&format=wav', { method: 'POST' })).status).toBe(404);
    // ari-client gives no status code: the Error's message is the raw JSON body.
    await expect(c.channels.get({ channelId: 'no-such-channel' })).rejects.toThrow('{"message":"Channel not found"}');
    expect((await ariFetch(fake, '/ari/nowhere')).status).toBe(404);
    expect((await ariFetch(fake, '/ari/channels/x/answer?x=1', { method: 'GET' })).status).toBe(405);
    expect((await ariFetch(fake, `/ari/channels/${id}/play`, { method: 'POST' })).status).toBe(400); // media is required
  });

  it('when the app hangs up, then ChannelHangupRequest (soft), StasisEnd and ChannelDestroyed follow', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    const ended = new Promise<void>((resolve) => channel.once('StasisEnd', () => resolve()));
    await channel.hangup({ reason: 'busy' });
    await ended;
    const types = fake.events.filter((e) => 'channel' in e && e.channel.id === id).map((e) => e.type);
    expect(types.slice(-3)).toEqual([AriEventType.ChannelHangupRequest, AriEventType.StasisEnd, AriEventType.ChannelDestroyed]);
    expect(fake.events.find(ofType(AriEventType.ChannelHangupRequest))).toMatchObject({ soft: true, cause: 17 });
    expect(fake.events.find(ofType(AriEventType.ChannelDestroyed))).toMatchObject({ cause: 17, cause_txt: 'User busy' });
  });

  it('when the app reads and sets variables, then built-ins and dialplan variables are there and ChannelVarset is sent', async () => {
    const c = await connect();
    const id = fake.addChannel({ callerNumber: '+15551230001', exten: '200', variables: { DIALSTATUS: 'NOANSWER' } });
    fake.startStasis(id);
    const channel = c.Channel(id);
    expect(await channel.getChannelVar({ variable: 'DIALSTATUS' })).toEqual({ value: 'NOANSWER' });
    expect(await channel.getChannelVar({ variable: 'CHANNEL(linkedid)' })).toEqual({ value: id });
    expect(await channel.getChannelVar({ variable: 'CALLERID(num)' })).toEqual({ value: '+15551230001' });
    await expect(channel.getChannelVar({ variable: 'NOPE' })).rejects.toThrow('not found');
    await channel.setChannelVar({ variable: 'MCR_STATE', value: 'consented' });
    expect(await fake.waitForEvent(ofType(AriEventType.ChannelVarset))).toMatchObject({ variable: 'MCR_STATE', value: 'consented' });
    expect(fake.channels.get(id)?.variables['MCR_STATE']).toBe('consented');
  });

  it('when the WebSockets drop, then ari-client reconnects by itself and events flow again; events in the gap are lost', async () => {
    const c = await connect();
    const reconnecting = new Promise<void>((resolve) => c.once('WebSocketReconnecting', () => resolve()));
    const reconnected = new Promise<void>((resolve) => c.once('WebSocketConnected', () => resolve()));
    fake.dropWebSockets();
    const whileAway = fake.addChannel({ callerNumber: '+15551230002', exten: '100' });
    expect(fake.startStasis(whileAway)).toBe(false); // Stasis() fails: nobody has the app
    await reconnecting;
    await reconnected;
    const { id } = await incomingCall(c);
    expect(fake.channels.get(id)?.app).toBe(APP);
    expect(fake.requests.filter((r) => r.path === '/ari/events' && r.status === 101)).toHaveLength(2);
  });

  it('when Asterisk restarts, then channels and recordings are forgotten and the app reconnects', async () => {
    const c = await connect();
    const { id, channel } = await incomingCall(c);
    await channel.record({ name: 'before-restart', format: 'wav' }, c.LiveRecording('before-restart'));
    await fake.waitForEvent(ofType(AriEventType.RecordingStarted));
    await c.recordings.stop({ recordingName: 'before-restart' });
    const reconnected = new Promise<void>((resolve) => c.once('WebSocketConnected', () => resolve()));
    fake.restart();
    await reconnected;
    expect(fake.channels.has(id)).toBe(false);
    expect(fake.storedRecording('before-restart')).toBeUndefined();
    expect(await c.channels.list()).toEqual([]);
  });
});

describe('fake ARI, raw protocol', () => {
  let fake: FakeAri;

  beforeEach(async () => {
    fake = await createFakeAri({ username: 'mcr', password: 's3cret', playbackMs: 10 });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('when credentials are wrong or missing, then REST and WebSocket get 401', async () => {
    const wrong = `Basic ${Buffer.from('mcr:nope').toString('base64')}`;
    expect((await ariFetch(fake, '/ari/channels', { headers: { Authorization: wrong } })).status).toBe(401);
    expect((await fetch(`${fake.url}/ari/api-docs/resources.json`)).status).toBe(401);
    expect((await fetch(`${fake.url}/ari/channels?api_key=mcr:s3cret`)).status).toBe(200);
    expect((await ariFetch(fake, '/ari/channels')).status).toBe(200);
    await expect(openEventSocket({ url: fake.url, username: 'mcr', password: 'nope' }, APP)).rejects.toThrow('401');
  });

  it('when served, then the description has basePath set to the address the client used', async () => {
    const listing = (await (await ariFetch(fake, '/ari/api-docs/resources.json')).json()) as { basePath: string; apis: { path: string }[] };
    expect(listing.basePath).toBe(`${fake.url}/ari`);
    expect(listing.apis.map((a) => a.path)).toContain('/api-docs/channels.{format}');
    const channels = (await (await ariFetch(fake, '/ari/api-docs/channels.json')).json()) as { basePath: string };
    expect(channels.basePath).toBe(`${fake.url}/ari`);
    expect(apiDeclarations.channels.basePath).toBe('http://localhost:8088/ari'); // the shared description is untouched
  });

  it('when a second WebSocket registers the app, then the first gets ApplicationReplaced and no more events', async () => {
    const first = await openEventSocket(fake, APP);
    const second = await openEventSocket(fake, APP);
    await first.next(ofType(AriEventType.ApplicationReplaced));
    const id = fake.addChannel({ callerNumber: '+15551230001', exten: '100' });
    fake.startStasis(id);
    await second.next(ofType(AriEventType.StasisStart));
    expect(first.events.map((e) => e.type)).toEqual([AriEventType.ApplicationReplaced]);
    await first.close();
    await second.close();
  });

  it('when events are for another app, then they go only to that app', async () => {
    const mine = await openEventSocket(fake, APP);
    const other = await openEventSocket(fake, 'other-app');
    const id = fake.addChannel({ callerNumber: '+15551230001', exten: '100' });
    fake.startStasis(id, [], 'other-app');
    await other.next(ofType(AriEventType.StasisStart));
    fake.callerHangup(id);
    await other.next(ofType(AriEventType.ChannelDestroyed));
    expect(mine.events).toEqual([]);
    await mine.close();
    await other.close();
  });

  it('when driven through /_control over HTTP, then it behaves as the TypeScript control API', async () => {
    const socket = await openEventSocket(fake, APP);
    const post = (path: string, body: unknown) =>
      fetch(`${fake.url}/_control${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/channels', { callerNumber: '+15551230003', exten: '+15559870000', id: 'call-1' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 'call-1' });
    expect(await (await post('/channels/call-1/stasis', { args: ['BUSY'] })).json()).toEqual({ entered: true });
    expect(await socket.next(ofType(AriEventType.StasisStart))).toMatchObject({ args: ['BUSY'], channel: { id: 'call-1' } });
    expect((await post('/channels/call-1/dtmf', { digit: '2' })).status).toBe(204);
    expect(await socket.next(ofType(AriEventType.ChannelDtmfReceived))).toMatchObject({ digit: '2', duration_ms: 100 });
    await ariFetch(fake, '/ari/channels/call-1/answer', { method: 'POST' });
    const requests = (await (await fetch(`${fake.url}/_control/requests`)).json()) as { method: string; path: string }[];
    expect(requests).toContainEqual(expect.objectContaining({ method: 'POST', path: '/ari/channels/call-1/answer' }));
    expect((await post('/channels/call-1/hangup', { cause: 21 })).status).toBe(204);
    expect(await socket.next(ofType(AriEventType.ChannelDestroyed))).toMatchObject({ cause: 21, cause_txt: 'Call Rejected' });
    expect((await post('/channels/call-1/hangup', {})).status).toBe(404);
    expect((await post('/channels', { exten: '1' })).status).toBe(400);
    expect((await post('/drop-websockets', {})).status).toBe(204);
    expect((await post('/restart', {})).status).toBe(204);
    expect((await fetch(`${fake.url}/_control/nothing`)).status).toBe(404);
    await socket.close();
  });

  it('when a request is awaited, then waitForRequest resolves on a past or future match and times out otherwise', async () => {
    await ariFetch(fake, '/ari/channels');
    await expect(fake.waitForRequest((r) => r.path === '/ari/channels')).resolves.toMatchObject({ method: 'GET', status: 200 });
    const later = fake.waitForRequest((r) => r.path === '/ari/applications', 2_000);
    await ariFetch(fake, '/ari/applications');
    await expect(later).resolves.toMatchObject({ status: 200 });
    await expect(fake.waitForRequest(() => false, 50)).rejects.toThrow('no matching request');
  });

  it('every event type the fake can send has a model in the events description it serves (ari-client needs one)', () => {
    const models = apiDeclarations.events.models;
    for (const type of ALL_EVENT_TYPES) expect(models[type], type).toBeDefined();
  });
});

describe('ari-client quirks the app must live with', () => {
  // Run in a child process: both quirks throw uncaught exceptions inside ari-client
  // (swagger-client callbacks), which would otherwise fail this test run.
  const execFileAsync = promisify(execFile);
  const probe = `
    const ari = require('ari-client');
    const [url, user, pass, recordingName] = process.argv.slice(1);
    const out = { uncaught: [] };
    process.on('uncaughtException', (e) => out.uncaught.push(String((e && e.message) || e).slice(0, 80)));
    (async () => {
      try { await ari.connect(url, user, 'wrong-password'); out.wrongPassword = 'resolved'; }
      catch (e) { out.wrongPassword = { isError: e instanceof Error, text: String(e) }; }
      await new Promise((r) => setTimeout(r, 100));
      const client = await ari.connect(url, user, pass);
      out.viaClient = (await client.recordings.getStoredFile({ recordingName })).toString('base64');
      const stored = await client.recordings.getStored({ recordingName });
      let settled = 'never settled';
      stored.getStoredFile().then(() => { settled = 'resolved'; }, () => { settled = 'rejected'; });
      await new Promise((r) => setTimeout(r, 300));
      out.instanceGetStoredFile = settled;
      // swagger-client keeps credentials process-wide: the last connect() wins for every client.
      await ari.connect(url, user, 'another-wrong-password').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      out.goodClientAfterWrongConnect = await client.channels.list().then(() => 'ok', (e) => String(e.message));
      console.log(JSON.stringify(out));
      process.exit(0);
    })();`;

  it('wrong password: connect() rejects with a string AND throws an uncaught exception, and spoils the credentials of clients already connected; StoredRecording#getStoredFile never settles', async () => {
    const fake = await createFakeAri();
    try {
      const socket = await openEventSocket(fake, APP);
      const id = fake.addChannel({ callerNumber: '+15551230001', exten: '100' });
      fake.startStasis(id);
      await ariFetch(fake, `/ari/channels/${id}/record?name=probe&format=wav`, { method: 'POST' });
      await socket.next(ofType(AriEventType.RecordingStarted));
      await ariFetch(fake, '/ari/recordings/live/probe/stop', { method: 'POST' });
      await socket.close();

      const { stdout } = await execFileAsync(process.execPath, ['-e', probe, fake.url, fake.username, fake.password, 'probe'], {
        cwd: process.cwd(),
        timeout: 20_000,
      });
      const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
        wrongPassword: { isError: boolean; text: string };
        uncaught: string[];
        viaClient: string;
        instanceGetStoredFile: string;
        goodClientAfterWrongConnect: string;
      };
      expect(out.wrongPassword).toEqual({ isError: false, text: expect.stringContaining('401') });
      expect(out.uncaught[0]).toContain('401');
      expect(Buffer.from(out.viaClient, 'base64').equals(fake.storedRecording('probe') ?? Buffer.alloc(0))).toBe(true);
      expect(out.instanceGetStoredFile).toBe('never settled');
      expect(out.uncaught[1]).toContain('is not valid JSON');
      expect(out.goodClientAfterWrongConnect).toBe('{"message":"Authentication required"}');
    } finally {
      await fake.close();
    }
  });
});
