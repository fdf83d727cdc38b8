import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackTask, ConsentRecord, IntegrationEvent, OutboxMessage } from '../../core/entities/index.js';
import { verifyConsentChain } from '../../core/consent/consent-ledger.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { consentByKeypad, disclosureHeard, missCall, nextEvent, promptHeard, startStack, until, type Stack } from '../support/stack.js';

let stack: Stack;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The bytes the fake Asterisk served for a recording, captured when the app downloads them. */
function captureServedRecordings(s: Stack): Map<string, Buffer> {
  const served = new Map<string, Buffer>();
  s.ari.on('request', (request) => {
    const match = /^\/ari\/recordings\/stored\/([^/]+)\/file$/.exec(request.path);
    const name = match?.[1];
    if (request.method === 'GET' && name) {
      const bytes = s.ari.storedRecording(name);
      if (bytes) served.set(name, bytes);
    }
  });
  return served;
}

async function api(path: string, key: string | null = stack.apiKey): Promise<Response> {
  return fetch(`${stack.app.adminUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

describe(`a missed call end to end over ARI and SMPP (${describeDatabase()})`, () => {
  let served: Map<string, Buffer>;

  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase() });
    served = captureServedRecordings(stack);
  });
  afterAll(async () => stack?.stop());

  it('when a caller presses 1, then consent with the recording hash is stored, the first text goes out, and STOP is honoured once and for good', async () => {
    const caller = '+14155550142';
    const call = missCall(stack, { number: caller, reason: 'NOANSWER' });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId);
    await consentByKeypad(stack, call.channelId);
    const consent = await consented;

    // The evidence: the SHA-256 of exactly the bytes the PBX served, and those bytes kept.
    const record = await stack.app.db.fork().findOneOrFail(ConsentRecord, { id: consent.consentRecordId });
    const recordRequest = stack.ari.requests.find(
      (r) => r.path === `/ari/channels/${record.uniqueid}/snoop` || r.path.startsWith(`/ari/channels/${call.channelId}/snoop`),
    );
    expect(recordRequest).toBeDefined();
    const servedBytes = [...served.values()].find((bytes) => sha256(bytes) === record.recordingSha256);
    expect(servedBytes, 'recording hash equals the SHA-256 of the served bytes').toBeDefined();
    expect(record).toMatchObject({ kind: 'grant', callerE164: caller, dtmf: '1', businessName: 'Acme Plumbing', source: 'ivr' });
    expect(record.disclosureText).toContain('Acme Plumbing');
    expect(record.disclosureText).toMatch(/recorded/);
    const audio = await api(`/api/consents/${record.id}/recording`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(sha256(Buffer.from(await audio.arrayBuffer()))).toBe(record.recordingSha256);

    // The first text, over real SMPP, to the caller.
    const first = await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1), 10_000);
    expect(first.text).toContain('Acme Plumbing');
    expect(first.text).toContain('STOP');
    await until(
      async () => (await stack.app.db.fork().findOneOrFail(OutboxMessage, { toE164: caller })).status === 'delivered',
      5000,
      'delivery receipt',
    );

    // "Stop." opts out; exactly one confirmation; nothing after it.
    const optedOut = nextEvent(stack.events, 'optout.recorded', (e) => e.from === caller);
    expect(await stack.smsc.sendMo({ from: caller, to: '+14155559999', text: 'Stop.' })).toBe(0);
    await optedOut;
    const confirmation = await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1) && m.messageId !== first.messageId, 10_000);
    expect(confirmation.text).toMatch(/unsubscribed/i);
    // Listen before sending: the app may act on it before sendMo's promise resolves.
    const secondStop = nextEvent(stack.events, 'sms.received', (e) => e.from === caller);
    expect(await stack.smsc.sendMo({ from: caller, to: '+14155559999', text: 'STOP' })).toBe(0);
    await secondStop;
    await stack.app.outbox?.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stack.smsc.submitted.filter((m) => m.to === caller.slice(1))).toHaveLength(2);

    // Integrators and staff hear of each step through the event log, in the order it happened.
    const logged = await stack.app.db.fork().find(IntegrationEvent, { leadId: record.leadId }, { orderBy: { seq: 'asc' } });
    const types = logged.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['lead.created', 'consent.recorded']);
    expect(types.filter((t) => t === 'message.received')).toHaveLength(2);
    expect(types.filter((t) => t === 'optout.recorded')).toHaveLength(1);
    expect(types.filter((t) => t === 'consent.recorded')).toHaveLength(2); // the grant, then the STOP's revocation
    expect(logged.find((e) => e.type === 'message.received')?.data).toMatchObject({ from: caller, body: 'Stop.', keyword: 'stop' });

    // A later text to this number is refused by the compliance gate, with the reason kept.
    const em = stack.app.db.fork();
    const lead = await em.findOneOrFail(OutboxMessage, { id: { $ne: null }, toE164: caller, kind: 'acknowledgement' });
    em.persist(
      Object.assign(new OutboxMessage(), {
        ...lead,
        id: crypto.randomUUID(),
        kind: 'follow_up',
        status: 'queued',
        createdAt: new Date(),
        notBefore: new Date(),
        smscMessageId: null,
      }),
    );
    await em.flush();
    await until(
      async () => (await stack.app.db.fork().count(OutboxMessage, { toE164: caller, status: 'refused', refusalReason: 'opted_out' })) === 1,
      5000,
      'refusal',
    );
    expect(stack.smsc.submitted.filter((m) => m.to === caller.slice(1))).toHaveLength(2);
  });

  it('when a caller presses 2, then a callback task is opened and no text is sent', async () => {
    const caller = '+14155550143';
    const call = missCall(stack, { number: caller, reason: 'BUSY' });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId);
    await disclosureHeard(stack, call.channelId);
    stack.ari.sendDtmf(call.channelId, '2');
    const event = await created;
    const task = await stack.app.db.fork().findOneOrFail(CallbackTask, { id: event.callbackTaskId });
    expect(task).toMatchObject({ reason: 'callback_requested', phoneE164: caller, status: 'open' });
    expect(stack.smsc.submitted.some((m) => m.to === caller.slice(1))).toBe(false);

    const list = (await (await api('/api/callbacks')).json()) as { items: { id: string; reason: string }[] };
    expect(list.items.map((i) => i.id)).toContain(task.id);
  });

  it('when the caller says nothing, then after one replay the call goes to the callback list', async () => {
    const caller = '+14155550144';
    const call = missCall(stack, { number: caller, reason: 'CHANUNAVAIL' });
    const event = await nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId, 15_000);
    expect(event.reason).toBe('no_response');
    const disclosurePlays = stack.ari.requests.filter(
      (r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`) && JSON.stringify(r.query).includes('mcr-disclosure'),
    );
    expect(disclosurePlays).toHaveLength(2);
    expect(stack.smsc.submitted.some((m) => m.to === caller.slice(1))).toBe(false);
  });

  it('when the caller hangs up mid-prompt, then a callback task is opened, no text, and no recording is kept', async () => {
    const caller = '+14155550145';
    const call = missCall(stack, { number: caller });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId);
    await stack.ari.waitForRequest((r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`));
    stack.ari.callerHangup(call.channelId);
    expect((await created).reason).toBe('hung_up');
    const em = stack.app.db.fork();
    expect(await em.count(ConsentRecord, { callerE164: caller })).toBe(0);
    expect(await em.count(OutboxMessage, { toE164: caller })).toBe(0);
  });

  it('when the ARI WebSocket drops mid-call, then the app reconnects and the call still completes', async () => {
    const caller = '+14155550146';
    const call = missCall(stack, { number: caller });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId);
    await stack.ari.waitForRequest((r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`));
    const reconnected = new Promise<void>((resolve) => stack.ari.once('ws-connected', () => resolve()));
    stack.ari.dropWebSockets();
    await reconnected;
    await until(() => stack.app.ari?.state === 'connected', 5000, 'ARI state back to connected');
    // The PlaybackFinished of the disclosure went to the dead socket (Asterisk does not
    // queue events): after reconnecting, the app asks after the playback itself.
    await stack.ari.waitForRequest((r) => r.method === 'GET' && r.path.startsWith('/ari/playbacks/'), 5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stack.ari.sendDtmf(call.channelId, '1');
    await promptHeard(stack, call.channelId, 'mcr-ask-mobile');
    stack.ari.sendDtmf(call.channelId, '1');
    await consented;
    await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1), 10_000);
  });

  it('when StasisStart arrives twice for a channel, then it is handled once', async () => {
    const caller = '+14155550147';
    const call = missCall(stack, { number: caller });
    stack.ari.startStasis(call.channelId, ['NOANSWER', '+14155559999']);
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId);
    await consentByKeypad(stack, call.channelId);
    await consented;
    await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stack.ari.requests.filter((r) => r.path === `/ari/channels/${call.channelId}/answer`)).toHaveLength(1);
    expect(stack.smsc.submitted.filter((m) => m.to === caller.slice(1))).toHaveLength(1);
  });

  it('when hostile caller ids come in, then nothing crashes, nothing is texted, and they are stored as inert text', async () => {
    for (const hostile of ['', 'anonymous', '9'.repeat(200), "1'; drop table call;--", '<img src=x onerror=alert(1)>', 'ünïcødé☎']) {
      const call = missCall(stack, { number: hostile, name: '<script>alert(1)</script>' });
      const screened = nextEvent(stack.events, 'call.screened', (e) => e.channelId === call.channelId);
      const recorded = nextEvent(stack.events, 'call.recorded', (e) => e.channelId === call.channelId);
      if (hostile === '' || hostile === 'anonymous') {
        // Withheld: the IVR asks for a number; this caller keys nothing and leaves.
        await promptHeard(stack, call.channelId, 'mcr-enter-number');
        stack.ari.callerHangup(call.channelId);
        expect((await recorded).outcome).toBe('hung_up');
      } else {
        // Impossible numbers are screened before the IVR.
        expect((await screened).reason).toBe('invalid_number');
      }
    }
    const calls = (await (await api('/api/calls?limit=200')).json()) as {
      items: { caller_raw: string | null; caller: string | null; caller_name: string | null }[];
    };
    expect(calls.items.some((c) => c.caller_raw?.includes('drop table'))).toBe(true);
    expect(calls.items.some((c) => c.caller_name === '<script>alert(1)</script>')).toBe(true);
    expect(calls.items.every((c) => (c.caller_raw ?? '').length <= 64)).toBe(true);
    expect(stack.smsc.submitted.every((m) => /^\d+$/.test(m.to))).toBe(true);
  });

  it('when a withheld caller keys in their number and confirms it, then consent and the first text are for that number', async () => {
    const call = missCall(stack, { number: 'anonymous' });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId);
    await promptHeard(stack, call.channelId, 'mcr-enter-number');
    for (const digit of '4155550177#') stack.ari.sendDtmf(call.channelId, digit);
    await promptHeard(stack, call.channelId, 'mcr-confirm-number');
    const readBack = stack.ari.requests.find(
      (r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`) && JSON.stringify(r.query).includes('digits:4155550177'),
    );
    expect(readBack, 'the number is read back').toBeDefined();
    stack.ari.sendDtmf(call.channelId, '1');
    await consentByKeypad(stack, call.channelId);
    const record = await stack.app.db.fork().findOneOrFail(ConsentRecord, { id: (await consented).consentRecordId });
    expect(record).toMatchObject({ callerE164: '+14155550177', source: 'ivr_keyed_number' });
    await stack.smsc.waitForSubmit((m) => m.to === '14155550177', 10_000);
  });

  it('when the caller declines texts with 3, then no text, a decline record, and a callback task', async () => {
    const caller = '+14155550148';
    const call = missCall(stack, { number: caller });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId);
    await disclosureHeard(stack, call.channelId);
    stack.ari.sendDtmf(call.channelId, '3');
    expect((await created).reason).toBe('declined');
    const em = stack.app.db.fork();
    expect(await em.count(ConsentRecord, { callerE164: caller, kind: 'decline' })).toBe(1);
    expect(await em.count(OutboxMessage, { toE164: caller })).toBe(0);
  });

  it('when the caller is on a known landline, then no consent is asked and the call goes to the callback list', async () => {
    const caller = '+442079460958';
    const call = missCall(stack, { number: caller });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId);
    expect((await created).reason).toBe('landline');
    expect(
      stack.ari.requests.some(
        (r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`) && JSON.stringify(r.query).includes('mcr-disclosure'),
      ),
    ).toBe(false);
    const task = await stack.app.db.fork().findOneOrFail(CallbackTask, { id: (await created).callbackTaskId });
    expect(task).toMatchObject({ reason: 'landline', phoneE164: caller });
  });

  it('when the admin API is used, then it needs a key, validates input, pages, and reports health', async () => {
    expect((await api('/api/callbacks', null)).status).toBe(401);
    expect((await api('/api/callbacks', 'mcr_not_a_real_key_000000000000')).status).toBe(401);
    const bad = await api('/api/callbacks?limit=100000');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    expect((await api('/api/callbacks?cursor=garbage')).status).toBe(400);
    expect((await api('/api/consents/not-a-uuid')).status).toBe(400);
    expect((await api(`/api/consents/${crypto.randomUUID()}`)).status).toBe(404);

    const firstPage = (await (await api('/api/callbacks?limit=1')).json()) as {
      items: { id: string; due_at: string }[];
      next_cursor: string | null;
    };
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.next_cursor).not.toBeNull();
    const secondPage = (await (await api(`/api/callbacks?limit=1&cursor=${firstPage.next_cursor}`)).json()) as {
      items: { id: string; due_at: string }[];
    };
    expect(secondPage.items[0]?.id).not.toBe(firstPage.items[0]?.id);
    expect(secondPage.items[0]!.due_at >= firstPage.items[0]!.due_at).toBe(true);

    const health = (await (await api('/healthz', null)).json()) as Record<string, string>;
    expect(health).toEqual({ status: 'ok', database: 'up', ari: 'up', ami: 'off', smpp: 'up' });
    expect(((await (await api('/openapi.json', null)).json()) as { paths: Record<string, unknown> }).paths).toHaveProperty(
      '/api/callbacks',
    );
  });

  it('when everything above has happened, then the consent chain and every recording verify', async () => {
    const { RecordingStore } = await import('../../core/recordings/recording-store.js');
    const store = new RecordingStore(`${stack.dataDir}/recordings`);
    const result = await verifyConsentChain(stack.app.db.fork(), (p) => store.read(p));
    expect(result.problems).toEqual([]);
    expect(result.records).toBeGreaterThanOrEqual(4);
  });
});
