import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentRecord } from '../../core/entities/index.js';
import { interpretTranscript } from '../../core/speech/speech-recognizer.js';
import { checkSpeechTools, speakAsAsterisk } from '../support/espeak.js';
import { disclosureHeard, missCall, nextEvent, promptHeard, startStack, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const tools = await checkSpeechTools();
if (!tools.ok) console.warn(`[spoken consent] skipped: needs Debian packages (${tools.reason})`);

describe.skipIf(!tools.ok)(`spoken consent, offline engine, end to end (${describeDatabase()})`, () => {
  let stack: Stack;
  let audioDir: string;

  beforeAll(async () => {
    audioDir = await mkdtemp(path.join(tmpdir(), 'mcr-voice-'));
    stack = await startStack({ database: await createTestDatabase(), speechEngine: 'pocketsphinx', dtmfTimeoutSeconds: 8 });
  });
  afterAll(async () => stack?.stop());

  /** Waits for the app to start recording the caller's answer, then speaks into it. */
  async function say(channelId: string, text: string, answerNumber: number): Promise<void> {
    await stack.ari.waitForRequest(
      (r) =>
        r.method === 'POST' && r.path === `/ari/channels/${channelId}/record` && String(r.query.name).endsWith(`-answer-${answerNumber}`),
      10_000,
    );
    const wav = await speakAsAsterisk(audioDir, `${channelId}-${answerNumber}`, text);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stack.ari.speakInto(channelId, wav)).toBe(true);
  }

  it('when the caller says "yes" twice, then consent is recorded with the transcript and the engine, and the text goes out', async () => {
    const caller = '+14155550801';
    const call = missCall(stack, { number: caller });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId, 30_000);
    await disclosureHeard(stack, call.channelId);
    await say(call.channelId, 'yes', 1);
    await promptHeard(stack, call.channelId, 'mcr-ask-mobile', 15_000);
    await say(call.channelId, 'yes', 2);
    const record = await stack.app.db.fork().findOneOrFail(ConsentRecord, { id: (await consented).consentRecordId });
    expect(record).toMatchObject({ kind: 'grant', source: 'ivr:speech:pocketsphinx', dtmf: null, callerE164: caller });
    // Kept as heard (espeak's "yes" may come back as "yeah"): what matters is that it means yes.
    expect(interpretTranscript(record.transcript ?? '')).toBe('yes');
    await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1), 10_000);
  }, 60_000);

  it('when the caller says "no", then texts are declined', async () => {
    const call = missCall(stack, { number: '+14155550802' });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId, 30_000);
    await disclosureHeard(stack, call.channelId);
    await say(call.channelId, 'no', 1);
    expect((await created).reason).toBe('declined');
  }, 60_000);

  it('when the caller presses a key while being listened to, then the key wins and the next prompt is not held up', async () => {
    const call = missCall(stack, { number: '+14155550803' });
    const created = nextEvent(stack.events, 'callback.created', (e) => e.channelId === call.channelId, 30_000);
    await disclosureHeard(stack, call.channelId);
    await stack.ari.waitForRequest(
      (r) => r.path === `/ari/channels/${call.channelId}/record` && String(r.query.name).endsWith('-answer-1'),
      10_000,
    );
    stack.ari.sendDtmf(call.channelId, '2');
    expect((await created).reason).toBe('callback_requested');
  }, 60_000);
});
