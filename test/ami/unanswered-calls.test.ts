import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { Call, CallbackTask, ConsentRecord, Lead, OutboxMessage } from '../../core/entities/index.js';
import type { DomainEvents } from '../../core/events.js';
import { recordIvrOutcome, type IvrOutcome } from '../../core/leads/record-ivr-outcome.js';
import { recordUnansweredCall } from '../../core/leads/record-unanswered-call.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { cdr, dialEnd, hangup, missedCallUserEvent, nextUniqueid, queueCallerAbandon, type Caller } from './ami-events.js';
import { settled, startAmiRig, until, type AmiRig } from './ami-test-kit.js';

let db: Database;
let rig: AmiRig;
const created: Array<DomainEvents['callback.created']> = [];

async function callsFor(uniqueid: string): Promise<Call[]> {
  return db.fork().find(Call, { uniqueid });
}

async function tasksFor(uniqueid: string): Promise<CallbackTask[]> {
  const calls = await callsFor(uniqueid);
  return db.fork().find(CallbackTask, { callId: { $in: calls.map((c) => c.id) } });
}

/** Sends an event and waits until the part has dealt with the call it reports. */
async function send(fields: Record<string, string>, uniqueid: string): Promise<void> {
  expect(rig.ami.sendEvent(fields)).toBe(1);
  await settled(rig, uniqueid);
}

function ivrOutcome(caller: Required<Pick<Caller, 'uniqueid'>> & Caller): IvrOutcome {
  return {
    channelId: caller.uniqueid,
    uniqueid: caller.uniqueid,
    linkedid: caller.linkedid ?? caller.uniqueid,
    callerNumber: caller.number ?? '+14155550142',
    dialedNumber: '+14155559999',
    reason: 'NOANSWER',
    choice: 'callback',
    dtmf: '2',
    enteredAt: new Date(),
    answeredAt: new Date(),
    endedAt: new Date(),
    prompts: { disclosureText: 'We missed you', disclosureVersion: 'v1', disclosureSha256: 'a'.repeat(64), promptAudioSha256: null },
  };
}

/** A caller number nobody else in this file uses, so repeat-caller joining stays out of the way. */
let numberSerial = 100;
function freshNumber(): string {
  numberSerial += 1;
  return `+1415555${String(numberSerial).padStart(4, '0')}`;
}

describe(`calls that never reach the app, seen over AMI (${describeDatabase()})`, () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
    rig = await startAmiRig(db);
    rig.events.on('callback.created', (event) => created.push(event));
  });
  afterAll(async () => {
    await rig?.stop();
    await db?.close();
  });

  it('when the caller hangs up while reception rings (ABANDONED), then a lead and an "abandoned" callback task exist, and no text or consent', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber(), name: 'Jane Doe' };
    await send(missedCallUserEvent(caller, 'ABANDONED', 'CANCEL', '+14155559999'), caller.uniqueid);

    const [call] = await callsFor(caller.uniqueid);
    expect(call).toMatchObject({
      channelId: caller.uniqueid,
      linkedid: caller.uniqueid,
      reason: 'ABANDONED',
      outcome: 'abandoned',
      callerE164: caller.number,
      callerName: 'Jane Doe',
      did: '+14155559999',
      answeredAt: null,
    });
    const lead = await db.fork().findOneOrFail(Lead, { id: call!.leadId! });
    expect(lead).toMatchObject({ phoneE164: caller.number, status: 'callback' });
    const tasks = await tasksFor(caller.uniqueid);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ reason: 'abandoned', status: 'open', phoneE164: caller.number, leadId: lead.id });
    // Due 15 minutes after the miss.
    expect(tasks[0]!.dueAt.getTime() - call!.enteredAt.getTime()).toBe(15 * 60_000);
    expect(await db.fork().count(OutboxMessage, { leadId: lead.id })).toBe(0);
    expect(await db.fork().count(ConsentRecord, { leadId: lead.id })).toBe(0);
    expect(created).toContainEqual(
      expect.objectContaining({ channelId: caller.uniqueid, callbackTaskId: tasks[0]!.id, reason: 'abandoned' }),
    );
  });

  it('when Stasis failed (the app was down), then the task says "app_unavailable"', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send(missedCallUserEvent(caller, 'STASIS_FAILED', 'NOANSWER'), caller.uniqueid);
    expect((await callsFor(caller.uniqueid))[0]).toMatchObject({ reason: 'STASIS_FAILED', outcome: 'app_unavailable' });
    expect((await tasksFor(caller.uniqueid)).map((t) => t.reason)).toEqual(['app_unavailable']);
  });

  it('when Dial() could not ring anyone (DIAL_FAILED), then the caller is still put on the callback list', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send(missedCallUserEvent(caller, 'DIAL_FAILED', 'INVALIDARGS'), caller.uniqueid);
    expect((await callsFor(caller.uniqueid))[0]).toMatchObject({ reason: 'DIAL_FAILED', outcome: 'dial_failed' });
    expect((await tasksFor(caller.uniqueid)).map((t) => t.reason)).toEqual(['app_unavailable']);
  });

  it('when a caller gives up in a queue (QueueCallerAbandon), then a callback task is opened', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send(queueCallerAbandon(caller), caller.uniqueid);
    expect((await callsFor(caller.uniqueid))[0]).toMatchObject({ reason: 'QUEUE_ABANDONED', outcome: 'abandoned', did: '+14155559999' });
    expect((await tasksFor(caller.uniqueid)).map((t) => t.reason)).toEqual(['abandoned']);
  });

  it('when a CDR shows the call ended in voicemail, then the task says "voicemail"; a CDR of an answered call adds nothing', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send(cdr(caller, 'VoiceMail', 'ANSWERED'), caller.uniqueid);
    expect((await callsFor(caller.uniqueid))[0]).toMatchObject({ reason: 'VOICEMAIL', outcome: 'voicemail' });
    expect((await tasksFor(caller.uniqueid)).map((t) => t.reason)).toEqual(['voicemail']);

    const answered = { uniqueid: nextUniqueid(), number: freshNumber() };
    rig.ami.sendEvent(cdr(answered, 'Dial', 'ANSWERED'));
    const marker = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send(cdr(marker), marker.uniqueid); // events are handled in order: once this one is done, the other was seen
    expect(await callsFor(answered.uniqueid)).toHaveLength(0);
  });

  it('when the caller hangs up while ringing and only call events are readable (DialEnd CANCEL, Hangup), then it is still an abandoned call', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    rig.ami.sendEvent(dialEnd(caller, 'CANCEL'));
    await send(hangup(caller), caller.uniqueid);
    expect((await tasksFor(caller.uniqueid)).map((t) => t.reason)).toEqual(['abandoned']);
  });

  it('when the same event arrives twice, or the UserEvent and the Hangup both report it, then there is one call and one task', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    const event = missedCallUserEvent(caller, 'ABANDONED');
    rig.ami.sendEvent(dialEnd(caller, 'CANCEL'));
    rig.ami.sendEvent(event);
    rig.ami.sendEvent(event);
    rig.ami.sendEvent(hangup(caller));
    await settled(rig, caller.uniqueid);
    const before = created.length;
    // Again after it was recorded: the database check stops it this time.
    rig.ami.sendEvent(event);
    await until(
      () => rig.logs.some((l) => l.uniqueid === caller.uniqueid && l.msg === 'unanswered call already recorded'),
      5000,
      'duplicate',
    );
    expect(await callsFor(caller.uniqueid)).toHaveLength(1);
    expect(await tasksFor(caller.uniqueid)).toHaveLength(1);
    expect(created.length).toBe(before);
  });

  it('when the call went through the IVR, then a later AMI report of it (same uniqueid, or same linkedid) adds no task', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    await recordIvrOutcome(db.fork(), { defaultCountry: 'US', defaultSenderId: 'MCR' }, ivrOutcome(caller));
    await send(cdr(caller, 'VoiceMail', 'ANSWERED'), caller.uniqueid);
    const sibling = { uniqueid: nextUniqueid(), linkedid: caller.uniqueid, number: caller.number };
    await send(queueCallerAbandon(sibling), sibling.uniqueid);
    expect(await callsFor(caller.uniqueid)).toHaveLength(1);
    expect(await callsFor(sibling.uniqueid)).toHaveLength(0);
    const tasks = await tasksFor(caller.uniqueid);
    expect(tasks.map((t) => t.reason)).toEqual(['callback_requested']);
  });

  it('when AMI reports a call before the IVR has committed it, then the grace period lets the IVR win and no second task appears', async () => {
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    rig.ami.sendEvent(cdr(caller, 'VoiceMail', 'ANSWERED'));
    // The IVR's transaction commits within the 100 ms grace period.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ivr = await recordIvrOutcome(db.fork(), { defaultCountry: 'US', defaultSenderId: 'MCR' }, ivrOutcome(caller));
    expect(ivr.duplicate).toBe(false);
    await settled(rig, caller.uniqueid);
    expect(rig.logs.find((l) => l.uniqueid === caller.uniqueid && /recorded$/.test(l.msg))?.msg).toBe('unanswered call already recorded');
    expect(await callsFor(caller.uniqueid)).toHaveLength(1);
    expect(await db.fork().count(CallbackTask, { leadId: ivr.leadId })).toBe(1);
  });

  it('when several instances record the same call at once, then one wins and the others see a duplicate, not an error', async () => {
    const uniqueid = nextUniqueid();
    const call = {
      uniqueid,
      linkedid: uniqueid,
      callerNumber: freshNumber(),
      callerName: null,
      did: null,
      reason: 'ABANDONED' as const,
      at: new Date(),
    };
    const results = await Promise.all([1, 2, 3].map(() => recordUnansweredCall(db.fork(), { defaultCountry: 'US' }, call)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await callsFor(uniqueid)).toHaveLength(1);
    expect(await tasksFor(uniqueid)).toHaveLength(1);
  });

  it('when the same number abandons twice, then the second call joins the open lead and its open task', async () => {
    const number = freshNumber();
    const first = { uniqueid: nextUniqueid(), number };
    const second = { uniqueid: nextUniqueid(), number };
    await send(missedCallUserEvent(first, 'ABANDONED'), first.uniqueid);
    const before = created.length;
    await send(missedCallUserEvent(second, 'ABANDONED'), second.uniqueid);
    const [a] = await callsFor(first.uniqueid);
    const [b] = await callsFor(second.uniqueid);
    expect(b!.leadId).toBe(a!.leadId);
    expect(await db.fork().count(CallbackTask, { leadId: a!.leadId! })).toBe(1);
    expect(created.length).toBe(before);
  });

  it('when caller ids are withheld, then each gets a task with no phone; when impossible, they are screened and logged; nothing crashes', async () => {
    const withheld = ['', 'anonymous', '<unknown>'];
    const impossible = ['9'.repeat(200), '<script>alert(1)</script>', 'Robert"); DROP TABLE lead;--'];
    const callers = [...withheld, ...impossible].map((number) => ({ uniqueid: nextUniqueid(), number, name: '<img src=x onerror=alert(1)>' }));
    for (const caller of callers) rig.ami.sendEvent(missedCallUserEvent(caller, 'ABANDONED'));
    for (const caller of callers) await settled(rig, caller.uniqueid);
    for (const caller of callers) {
      const [call] = await callsFor(caller.uniqueid);
      expect(call!.callerE164).toBeNull();
      expect((call!.callerRaw ?? '').length).toBeLessThanOrEqual(64);
      expect(call!.callerName).toBe('<img src=x onerror=alert(1)>');
      const tasks = await tasksFor(caller.uniqueid);
      if (withheld.includes(caller.number)) {
        expect(tasks, JSON.stringify(caller.number)).toHaveLength(1);
        expect(tasks[0]).toMatchObject({ phoneE164: null, reason: 'abandoned' });
      } else {
        expect(tasks, JSON.stringify(caller.number)).toHaveLength(0);
        expect(call).toMatchObject({ outcome: 'screened', screeningReason: 'invalid_number', leadId: null });
      }
    }
    const [script] = await callsFor(callers[4]!.uniqueid);
    expect(script!.callerRaw).toBe('<script>alert(1)</script>');
    // Withheld callers never share a lead: each is its own.
    const leads = new Set((await Promise.all(callers.slice(0, withheld.length).map((c) => callsFor(c.uniqueid)))).map(([c]) => c!.leadId));
    expect(leads.size).toBe(withheld.length);
  });

  it('when a caller hangs up after one ring, then it is screened as a one-ring scam; after a real wait it is a callback', async () => {
    const quick = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send({ ...missedCallUserEvent(quick, 'ABANDONED'), RingSeconds: '1' }, quick.uniqueid);
    expect(await tasksFor(quick.uniqueid)).toHaveLength(0);
    expect((await callsFor(quick.uniqueid))[0]).toMatchObject({ outcome: 'screened', screeningReason: 'short_ring' });
    const patient = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send({ ...missedCallUserEvent(patient, 'ABANDONED'), RingSeconds: '12' }, patient.uniqueid);
    expect(await tasksFor(patient.uniqueid)).toHaveLength(1);
  });

  it('when an event repeats its UserEvent header (which throws inside asterisk-manager), then the process survives and the first header counts', async () => {
    const odd = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send({ ...missedCallUserEvent(odd, 'ABANDONED'), userevent: 'Other' }, odd.uniqueid);
    expect(await tasksFor(odd.uniqueid)).toHaveLength(1);
    const caller = { uniqueid: nextUniqueid(), number: freshNumber() };
    await send(missedCallUserEvent(caller, 'ABANDONED'), caller.uniqueid);
    expect(await tasksFor(caller.uniqueid)).toHaveLength(1);
    expect(rig.part.state).toBe('connected');
  });
});
