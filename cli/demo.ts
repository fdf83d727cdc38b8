import { createHash } from 'node:crypto';
import { ConsentRecord } from '../core/entities/index.js';
import { createLogger } from '../core/logging.js';
import { countSegments } from '../sms-gateway/smpp/sms-encoding.js';
import { disclosureHeard, missCall, nextEvent, promptHeard, startStack, type Stack } from '../test/support/stack.js';

interface Step {
  step: string;
  t_ms: number;
  [key: string]: unknown;
}

const CALLER = '+14155550142';
const SECOND_CALLER = '+14155550199';
const DID = '+14155559999';

/**
 * `mcr demo`: one missed call through the whole product, in-process, against
 * fakes that speak the real protocols (ARI over HTTP + WebSocket, SMPP over TCP)
 * on the embedded database. Every step is checked; any failure exits non-zero.
 */
export async function runDemo(options: { json: boolean }): Promise<number> {
  const steps: Step[] = [];
  let t0 = 0;
  const emit = (step: string, fields: Record<string, unknown> = {}, at = performance.now()) => {
    const entry: Step = { step, t_ms: Math.round((at - t0) * 10) / 10, ...fields };
    steps.push(entry);
    if (options.json) console.log(JSON.stringify(entry));
    else console.log(`${entry.t_ms.toFixed(1).padStart(9)} ms  ${step.padEnd(18)} ${describe(entry)}`);
  };

  if (!options.json) {
    console.log('missed-call-recovery demo: a missed call, end to end');
    console.log('fake Asterisk (ARI over HTTP + WebSocket), fake SMSC (SMPP over TCP), embedded PostgreSQL (PGlite)\n');
  }
  let stack: Stack | null = null;
  try {
    stack = await startStack({ logger: createLogger(process.env.LOG_LEVEL ?? 'silent') });
    const s = stack;
    const served = new Map<string, Buffer>();
    s.ari.on('request', (request) => {
      const name = /^\/ari\/recordings\/stored\/([^/]+)\/file$/.exec(request.path)?.[1];
      const bytes = name ? s.ari.storedRecording(name) : undefined;
      if (name && bytes) served.set(name, bytes);
    });

    // 1. The call rings out and the dialplan hands it to Stasis.
    const answered = nextEvent(s.events, 'ivr.answered');
    const consented = nextEvent(s.events, 'consent.recorded');
    const submitted = nextEvent(s.events, 'sms.submitted', (e) => e.to === CALLER);
    t0 = performance.now();
    const call = missCall(s, { number: CALLER, did: DID, reason: 'NOANSWER' });
    emit('call.missed', { reason: 'NOANSWER', from: CALLER, to: DID, channel: call.channelId }, call.enteredAt);
    emit('ivr.answered', {}, (await answered).at);

    // 2. The caller hears the disclosure and their number read back, presses 1, and
    //    (a US number cannot tell mobile from landline) confirms the phone takes texts.
    await disclosureHeard(s, call.channelId);
    s.ari.sendDtmf(call.channelId, '1');
    emit('ivr.dtmf', { digit: '1', question: 'texts?' });
    await promptHeard(s, call.channelId, 'mcr-ask-mobile');
    s.ari.sendDtmf(call.channelId, '1');
    emit('ivr.dtmf', { digit: '1', question: 'mobile?' });
    const consent = await consented;
    const record = await s.app.db.fork().findOneOrFail(ConsentRecord, { id: consent.consentRecordId });
    const servedHash = [...served.values()].map((b) => createHash('sha256').update(b).digest('hex'));
    if (!record.recordingSha256 || !servedHash.includes(record.recordingSha256))
      throw new Error('the stored recording hash does not match the bytes Asterisk served');
    emit(
      'consent.recorded',
      { recording_sha256: record.recordingSha256, consent_id: record.id, chain_seq: Number(record.seq) },
      consent.at,
    );

    // 3. The first text leaves over SMPP and the fake SMSC receives it.
    const sms = await submitted;
    const atSmsc = await s.smsc.waitForSubmit((m) => m.to === CALLER.slice(1), 10_000);
    emit('sms.submitted', { to: CALLER, smsc_message_id: atSmsc.messageId, segments: countSegments(atSmsc.text) }, sms.at);

    // 4. The caller replies "Stop." : opt-out, one confirmation, nothing more.
    const received = nextEvent(s.events, 'sms.received', (e) => e.from === CALLER);
    const optedOut = nextEvent(s.events, 'optout.recorded', (e) => e.from === CALLER);
    const moSentAt = performance.now();
    const status = await s.smsc.sendMo({ from: CALLER, to: DID, text: 'Stop.' });
    if (status !== 0) throw new Error(`the app answered deliver_sm with status ${status}`);
    emit('sms.received', { from: CALLER, text: 'Stop.', deliver_sm_resp: status }, Math.max(moSentAt, (await received).at));
    emit('optout.recorded', { from: CALLER }, (await optedOut).at);
    const confirmation = await s.smsc.waitForSubmit((m) => m.to === CALLER.slice(1) && m.messageId !== atSmsc.messageId, 10_000);
    emit('optout.confirmed', { to: CALLER, text: confirmation.text });

    // 5. A second caller asks for a call back instead: the callback list.
    const callbackCreated = nextEvent(s.events, 'callback.created');
    const second = missCall(s, { number: SECOND_CALLER, did: DID, reason: 'BUSY' });
    emit('call.missed', { reason: 'BUSY', from: SECOND_CALLER, to: DID, channel: second.channelId }, second.enteredAt);
    await disclosureHeard(s, second.channelId);
    s.ari.sendDtmf(second.channelId, '2');
    const task = await callbackCreated;
    const listed = await fetch(`${s.app.adminUrl}/api/callbacks`, { headers: { authorization: `Bearer ${s.apiKey}` } });
    const body = (await listed.json()) as { items: { id: string; phone: string | null; reason: string }[] };
    const item = body.items.find((i) => i.id === task.callbackTaskId);
    if (!item) throw new Error('the callback task is not on GET /api/callbacks');
    emit('callback.created', { phone: item.phone, reason: item.reason, task_id: item.id }, task.at);

    // Nothing more may reach the caller who said STOP.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const toFirstCaller = s.smsc.submitted.filter((m) => m.to === CALLER.slice(1)).length;
    if (toFirstCaller !== 2) throw new Error(`expected 2 texts to the first caller (first text, STOP confirmation), saw ${toFirstCaller}`);

    emit('done', { ok: true });
    if (!options.json) console.log('\nEvery step checked: consent evidence, SMPP delivery, STOP honoured, callback listed.');
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (options.json) console.log(JSON.stringify({ step: 'done', ok: false, t_ms: Math.round(performance.now() - t0), error: message }));
    else console.error(`\nDEMO FAILED: ${message}`);
    return 1;
  } finally {
    await stack?.stop();
  }
}

function describe(entry: Step): string {
  const { step: _step, t_ms: _t, ...rest } = entry;
  return Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 60 ? `${v.slice(0, 57)}...` : String(v)}`)
    .join('  ');
}
