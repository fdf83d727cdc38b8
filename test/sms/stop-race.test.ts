import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockRecipient } from '../../core/compliance/send-caps.js';
import type { Database } from '../../core/db/database.js';
import { OptOutEvent, OutboxMessage } from '../../core/entities/index.js';
import type { SmppGateway } from '../../sms-gateway/smpp/smpp-gateway.js';
import type { OutboundSms, SmsTransport, SubmitOutcome, WriteGuard } from '../../sms-gateway/sms-transport.js';
import { createFakeSmsc, type FakeSmsc } from '../fakes/smsc/index.js';
import { appendTestConsent } from '../support/consent-fixtures.js';
import { allSettled, createLead, defaultBusiness, queueTexts, sleep, startSmsRig, until, type SmsRig } from '../support/sms-rig.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

// README, "Delivery guarantees": a STOP that races a follow-up being sent wins.
// No submit_sm for a number is written after its opt-out is committed.

let db: Database;
let smsc: FakeSmsc | null = null;
let rig: SmsRig | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());
afterEach(async () => {
  await rig?.stop();
  await smsc?.close();
  rig = null;
  smsc = null;
});

/** A caller who consented in the IVR and has an open lead: follow-ups to them pass the gate. */
async function consentedCaller(phone: string): Promise<string> {
  await appendTestConsent(db, { callerE164: phone });
  return (await createLead(db, phone)).id;
}

/**
 * The gateway, with a hook that runs once the outbox has claimed a text to
 * `phone` and before the text is handed to the SMPP connection: the moment a
 * STOP can slip in between the compliance check and the write.
 */
function steppingIn(phone: string, hook: (send: () => Promise<SubmitOutcome>) => Promise<SubmitOutcome>) {
  return (gateway: SmppGateway): SmsTransport => ({
    get state() {
      return gateway.state;
    },
    get ready() {
      return gateway.ready;
    },
    get capacity() {
      return gateway.capacity;
    },
    submit: (sms: OutboundSms, guard?: WriteGuard) =>
      sms.to === phone ? hook(() => gateway.submit(sms, guard)) : gateway.submit(sms, guard),
  });
}

async function optedOut(phone: string): Promise<boolean> {
  return (await db.fork().count(OptOutEvent, { phoneE164: phone, action: 'stop' })) > 0;
}

describe(`a STOP racing a follow-up (${describeDatabase()})`, () => {
  it('when the STOP is saved after the follow-up passed the gate but before it is written, then the follow-up never leaves', async () => {
    const phone = '+14155550401';
    const leadId = await consentedCaller(phone);
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    const fake = smsc;
    rig = await startSmsRig({
      db,
      connections: [{ smsc }],
      wrapTransport: steppingIn(phone, async (send) => {
        // Claimed and gated already: now the caller's STOP arrives and is saved.
        if (!(await optedOut(phone))) {
          expect(await fake.sendMo({ from: phone, to: '+14155559999', text: 'STOP' })).toBe(0);
          await until(() => optedOut(phone), 5000, 'the opt-out saved');
        }
        return send();
      }),
    });
    const [followUp] = await queueTexts(db, [{ to: phone, body: 'Still need that leak fixed?', kind: 'follow_up', leadId }]);

    await allSettled(db, [followUp!.id]);
    const row = await db.fork().findOneOrFail(OutboxMessage, { id: followUp!.id });
    expect(row).toMatchObject({ status: 'refused', refusalReason: 'opted_out', attempts: 1, writeStartedAt: null });
    // The STOP's own confirmation goes, once; the follow-up never does.
    const confirmation = await fake.waitForSubmit((m) => m.to === phone.slice(1), 5000);
    expect(confirmation.text).toMatch(/unsubscribed/i);
    await sleep(300);
    expect(fake.submitted.filter((m) => m.to === phone.slice(1))).toHaveLength(1);
    expect(fake.submitted.some((m) => m.text.includes('leak fixed'))).toBe(false);
  });

  it('when a STOP transaction holds the number as the sender reaches its write, then the sender waits for it and writes nothing after it commits', async () => {
    const phone = '+14155550402';
    const leadId = await consentedCaller(phone);
    const business = await defaultBusiness(db);
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    let committedAt = 0;
    rig = await startSmsRig({
      db,
      connections: [{ smsc }],
      wrapTransport: steppingIn(phone, async (send) => {
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        // The STOP processing's transaction: the recipient's lock, then the opt-out row, then (later) commit.
        const stop = db.fork().transactional(async (tx) => {
          await lockRecipient(tx, business.id, phone);
          tx.persist(
            Object.assign(new OptOutEvent(), {
              id: randomUUID(),
              businessId: business.id,
              phoneE164: phone,
              action: 'stop' as const,
              keyword: 'STOP',
              createdAt: new Date(),
            }),
          );
          await tx.flush();
          locked();
          // Long enough for the sender to reach its write and be kept waiting there.
          await sleep(400);
        });
        await isLocked;
        const sending = send();
        await stop;
        committedAt = performance.now();
        return sending;
      }),
    });
    const [followUp] = await queueTexts(db, [{ to: phone, body: 'Can we book you in?', kind: 'follow_up', leadId }]);

    await allSettled(db, [followUp!.id]);
    expect(committedAt).toBeGreaterThan(0);
    expect(await db.fork().findOneOrFail(OutboxMessage, { id: followUp!.id })).toMatchObject({
      status: 'refused',
      refusalReason: 'opted_out',
    });
    expect(smsc.submitted.filter((m) => m.to === phone.slice(1))).toHaveLength(0);
    expect(smsc.stalledSubmits).toBe(0);
  });

  it('when a STOP arrives while the follow-up waits for a window slot, then the follow-up is not written and only the confirmation goes', async () => {
    const phone = '+14155550403';
    const leadId = await consentedCaller(phone);
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    // One slot, held by another text for a while: the follow-up, claimed and gated, waits its turn.
    // (Held long enough that a loaded CI machine still claims the follow-up inside it.)
    smsc.setSubmitDelay(5000);
    rig = await startSmsRig({ db, connections: [{ smsc, window: 1 }] });
    const [filler, followUp] = await queueTexts(db, [
      { to: '+14155550499', body: 'filler for the window' },
      { to: phone, body: 'Your quote is ready', kind: 'follow_up', leadId },
    ]);
    await smsc.waitForSubmit((m) => m.text === 'filler for the window', 5000);
    await until(async () => (await db.fork().findOneOrFail(OutboxMessage, { id: followUp!.id })).status === 'sending', 4500, 'claimed');

    expect(await smsc.sendMo({ from: phone, to: '+14155559999', text: 'stop texting me please' })).toBe(0);
    await until(() => optedOut(phone), 5000, 'the opt-out saved');
    // The race as meant: the opt-out is committed while the follow-up is claimed and not yet written.
    expect(await db.fork().findOneOrFail(OutboxMessage, { id: followUp!.id })).toMatchObject({ status: 'sending', writeStartedAt: null });

    const settled = await allSettled(db, [filler!.id, followUp!.id]);
    expect(settled.get(followUp!.id)).toBe('refused');
    await smsc.waitForSubmit((m) => m.to === phone.slice(1), 10_000);
    await sleep(300);
    const toCaller = smsc.submitted.filter((m) => m.to === phone.slice(1));
    expect(toCaller).toHaveLength(1);
    expect(toCaller[0]!.text).toMatch(/unsubscribed/i);
  });
});
