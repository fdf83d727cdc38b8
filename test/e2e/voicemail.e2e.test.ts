import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Business, IntegrationEvent, Voicemail } from '../../core/entities/index.js';
import { createFakeSmtp, type FakeSmtp } from '../fakes/smtp/index.js';
import { addStaff } from '../notifications/alert-fixtures.js';
import { checkSpeechTools, speakAsAsterisk } from '../support/espeak.js';
import { disclosureHeard, missCall, nextEvent, promptHeard, startStack, until, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const tools = await checkSpeechTools();
if (!tools.ok) console.warn(`[voicemail] skipped: needs Debian packages (${tools.reason})`);

const MESSAGE = 'Hi, I am calling about a leaking pipe in my basement. Please call me back this afternoon. Thank you.';
/** Words the offline engine hears in espeak's rendering of MESSAGE at 8 kHz (the audio is byte-for-byte repeatable). */
const HEARD_WORDS = ['leaking', 'pipe', 'call', 'back', 'afternoon'];

describe.skipIf(!tools.ok)(`a caller's message, transcribed offline, end to end (${describeDatabase()})`, () => {
  let stack: Stack;
  let smtp: FakeSmtp;
  let audioDir: string;

  beforeAll(async () => {
    audioDir = await mkdtemp(path.join(tmpdir(), 'mcr-vm-'));
    smtp = await createFakeSmtp();
    stack = await startStack({ database: await createTestDatabase(), speechEngine: 'pocketsphinx', offerMessage: true, smtpUrl: smtp.url, dtmfTimeoutSeconds: 8 });
    const business = await stack.app.db.fork().findOneOrFail(Business, { isDefault: true });
    await addStaff(stack.app.db, { businessId: business.id, name: 'Olga On-Call', email: 'olga@acme.test', onCall: true });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('when a caller asks for a call back and leaves a message, then it is kept with the lead, transcribed, shown on the callback task, in the event and in the alert', async () => {
    const caller = '+14155550901';
    const call = missCall(stack, { number: caller });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId, 60_000);
    await disclosureHeard(stack, call.channelId);
    stack.ari.sendDtmf(call.channelId, '2');
    await promptHeard(stack, call.channelId, 'mcr-leave-message', 15_000);
    const record = await stack.ari.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/ari/channels/${call.channelId}/record` && String(r.query.name).endsWith('-message'),
      10_000,
    );
    expect(record.query).toMatchObject({ beep: 'true', terminateOn: '#' });
    const wav = await speakAsAsterisk(audioDir, 'message', MESSAGE, { voice: 'en-us+f2', speed: 150 });
    expect(stack.ari.speakInto(call.channelId, wav)).toBe(true);
    expect((await created).reason).toBe('callback_requested');

    const db = stack.app.db;
    await until(async () => (await db.fork().count(Voicemail, { transcription: 'done' })) === 1, 60_000, 'the transcript');
    const voicemail = await db.fork().findOneOrFail(Voicemail, { transcription: 'done' });
    expect(voicemail).toMatchObject({ source: 'ivr', transcriptEngine: 'pocketsphinx' });
    const heard = HEARD_WORDS.filter((word) => voicemail.transcript!.includes(word));
    expect(heard.length, `transcript: ${voicemail.transcript}`).toBeGreaterThanOrEqual(3);
    // The recording is the caller's words exactly as the PBX recorded them.
    const audio = await stack.app.admin!.inject({ url: `/api/voicemails/${voicemail.id}/recording`, headers: { authorization: `Bearer ${stack.apiKey}` } });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['x-content-sha256']).toBe(voicemail.recordingSha256);

    const list = await stack.app.admin!.inject({ url: '/api/callbacks', headers: { authorization: `Bearer ${stack.apiKey}` } });
    const task = list.json().items.find((item: { phone: string }) => item.phone === caller);
    expect(task.voicemail).toMatchObject({ id: voicemail.id, transcription: 'done', transcript: voicemail.transcript });

    const event = await db.fork().findOneOrFail(IntegrationEvent, { type: 'voicemail.transcribed' });
    expect(event.data).toMatchObject({ voicemail_id: voicemail.id, transcript: voicemail.transcript, callback_task_id: task.id, transcription: 'done' });

    const mail = await smtp.waitFor((m) => m.to.includes('olga@acme.test'), 30_000);
    expect(mail.subject).toBe(`New voicemail: ${caller} (Acme Plumbing)`);
    expect(mail.text).toContain('Voicemail transcript:');
    expect(mail.text).toContain(voicemail.transcript!);
  }, 120_000);

  it('when the caller presses # over the offer, then no message is recorded and the call ends', async () => {
    const call = missCall(stack, { number: '+14155550902' });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId, 30_000);
    await disclosureHeard(stack, call.channelId);
    stack.ari.sendDtmf(call.channelId, '2');
    await stack.ari.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/ari/channels/${call.channelId}/play`) && JSON.stringify(r.query).includes('mcr-leave-message'), 10_000);
    stack.ari.sendDtmf(call.channelId, '#');
    await created;
    expect(stack.ari.requests.some((r) => r.path === `/ari/channels/${call.channelId}/record` && String(r.query.name).endsWith('-message'))).toBe(false);
  }, 60_000);
});
