import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { CallbackTask, Lead, OutboxMessage, OutboxPart } from '../../core/entities/index.js';
import { createLogger } from '../../core/logging.js';
import { saveInboundPdu } from '../../sms-gateway/inbound/inbound-journal.js';
import { InboundProcessor } from '../../sms-gateway/inbound/inbound-processor.js';
import { recordSubmitOutcome } from '../../sms-gateway/outbox/record-submit-outcome.js';
import { countSegments } from '../../sms-gateway/smpp/sms-encoding.js';
import { createFakeSmsc, type FakeSmsc, type SubmittedMessage } from '../fakes/smsc/index.js';
import { createLead, queueTexts, startSmsRig, until, type SmsRig } from '../support/sms-rig.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

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

/** About 400 GSM characters: three parts. */
function longText(tag: string): string {
  return `${tag}: ` + 'Thanks for calling Acme Plumbing, we will call you back shortly about the leak. '.repeat(5);
}

async function partsOf(outboxId: string): Promise<OutboxPart[]> {
  return db.fork().find(OutboxPart, { outboxId }, { orderBy: { seq: 'asc' } });
}

async function statusOf(outboxId: string): Promise<OutboxMessage> {
  return db.fork().findOneOrFail(OutboxMessage, { id: outboxId });
}

/** The fake's record of each part of one text, by part number. */
async function partsAtSmsc(fake: FakeSmsc, to: string, total: number): Promise<SubmittedMessage[]> {
  await until(() => fake.submitted.filter((m) => m.to === to.slice(1)).length === total, 5000, `${total} parts at the SMSC`);
  return fake.submitted.filter((m) => m.to === to.slice(1)).sort((a, b) => (a.concat?.seq ?? 0) - (b.concat?.seq ?? 0));
}

describe(`long texts, part by part (${describeDatabase()})`, () => {
  it('when a three-part text is sent, then each part keeps its own SMSC id and the text is delivered only when every receipt is in, in any order', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    rig = await startSmsRig({ db, connections: [{ smsc }] });
    const body = longText('ordered');
    expect(countSegments(body)).toBe(3);
    const [row] = await queueTexts(db, [{ to: '+14155558001', body }]);

    const atSmsc = await partsAtSmsc(smsc, '+14155558001', 3);
    await until(async () => (await partsOf(row!.id)).length === 3, 5000, 'three parts recorded');
    const parts = await partsOf(row!.id);
    expect(parts.map((p) => [p.seq, p.total, p.smscMessageId])).toEqual(atSmsc.map((m) => [m.concat!.seq, 3, m.messageId]));
    expect(new Set(atSmsc.map((m) => m.concat!.ref)).size).toBe(1);
    expect(atSmsc.every((m) => m.concat!.source === 'udh8')).toBe(true);
    expect(await statusOf(row!.id)).toMatchObject({ status: 'submitted', segments: 3, smscMessageId: atSmsc[0]!.messageId });

    // Part 3 first, then part 1: two of three is not delivered.
    expect(await smsc.sendReceipt(atSmsc[2]!.messageId, 'DELIVRD')).toBe(0);
    expect(await smsc.sendReceipt(atSmsc[0]!.messageId, 'DELIVRD')).toBe(0);
    await until(async () => (await partsOf(row!.id)).filter((p) => p.status === 'delivered').length === 2, 5000, 'two parts delivered');
    expect((await statusOf(row!.id)).status).toBe('submitted');

    expect(await smsc.sendReceipt(atSmsc[1]!.messageId, 'DELIVRD')).toBe(0);
    await until(async () => (await statusOf(row!.id)).status === 'delivered', 5000, 'delivered');
    expect((await partsOf(row!.id)).every((p) => p.status === 'delivered' && p.receiptAt instanceof Date)).toBe(true);
  });

  it('when one part of a long text fails, late and out of order, then the text is failed and the lead goes to the callback list', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    // Part 2 fails first; parts 3 and 1 are delivered later.
    smsc.setReceiptPlan((m) => (m.concat?.seq === 2 ? { stat: 'UNDELIV', delayMs: 50, err: '001' } : { stat: 'DELIVRD', delayMs: 300 }));
    rig = await startSmsRig({ db, connections: [{ smsc }] });
    const phone = '+14155558002';
    const lead = await createLead(db, phone);
    const [row] = await queueTexts(db, [{ to: phone, body: longText('failing'), kind: 'help', leadId: lead.id }]);

    await until(async () => (await statusOf(row!.id)).status === 'failed', 5000, 'failed');
    await until(async () => (await partsOf(row!.id)).every((p) => p.status !== 'submitted'), 5000, 'every receipt applied');

    const failed = await statusOf(row!.id);
    expect(failed.error).toMatch(/UNDELIV for part 2 of 3/);
    expect((await partsOf(row!.id)).map((p) => p.status)).toEqual(['delivered', 'failed', 'delivered']);
    // Still failed after the later DELIVRDs, and on the callback list once.
    expect((await statusOf(row!.id)).status).toBe('failed');
    const em = db.fork();
    expect(await em.count(CallbackTask, { leadId: lead.id, reason: 'failed_delivery' })).toBe(1);
    expect((await em.findOneOrFail(Lead, { id: lead.id })).status).toBe('callback');
  });

  it('when a part expires, then the text is expired and the lead goes to the callback list', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    smsc.setReceiptPlan((m) => ({ stat: m.concat?.seq === 1 ? 'EXPIRED' : 'DELIVRD', delayMs: 20 }));
    rig = await startSmsRig({ db, connections: [{ smsc }] });
    const phone = '+14155558003';
    const lead = await createLead(db, phone);
    const [row] = await queueTexts(db, [{ to: phone, body: longText('expiring'), kind: 'help', leadId: lead.id }]);

    await until(async () => (await statusOf(row!.id)).status === 'expired', 5000, 'expired');
    expect((await statusOf(row!.id)).error).toMatch(/EXPIRED for part 1 of 3/);
    expect(await db.fork().count(CallbackTask, { leadId: lead.id, reason: 'failed_delivery' })).toBe(1);
  });

  it('when the connection uses SAR, then the parts carry sar_* TLVs instead of a header and receipts still match each part', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: 20 });
    rig = await startSmsRig({ db, connections: [{ smsc, concatenation: 'sar' }] });
    const body = longText('sar');
    const [row] = await queueTexts(db, [{ to: '+14155558004', body }]);

    const atSmsc = await partsAtSmsc(smsc, '+14155558004', 3);
    expect(atSmsc.every((m) => m.concat?.source === 'sar' && m.concat.total === 3 && m.udh === undefined)).toBe(true);
    expect(new Set(atSmsc.map((m) => m.concat!.ref)).size).toBe(1);
    expect(atSmsc.map((m) => m.text).join('')).toBe(body);
    await until(async () => (await statusOf(row!.id)).status === 'delivered', 5000, 'delivered');
    expect((await partsOf(row!.id)).map((p) => p.smscMessageId)).toEqual(atSmsc.map((m) => m.messageId));
  });

  it('when a text needs more parts than concatenation can count, then it fails at once and nothing is written', async () => {
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    rig = await startSmsRig({ db, connections: [{ smsc }] });
    const [row] = await queueTexts(db, [{ to: '+14155558006', body: 'x'.repeat(153 * 256) }]);

    await until(async () => (await statusOf(row!.id)).status === 'failed', 5000, 'failed');
    expect((await statusOf(row!.id)).error).toMatch(/cannot encode/);
    expect(smsc.submitted.filter((m) => m.to === '14155558006')).toHaveLength(0);
    expect(smsc.refusedSubmits).toHaveLength(0);
  });

  it('when a receipt overtakes the recording of its submit_sm_resp, then it is applied as soon as the parts are recorded', async () => {
    const [row] = await queueTexts(db, [{ to: '+14155558005', body: 'short' }]);
    const em = db.fork();
    const claimed = await em.findOneOrFail(OutboxMessage, { id: row!.id });
    Object.assign(claimed, { status: 'sending', attempts: 1, leaseUntil: new Date(Date.now() + 60_000), writeStartedAt: new Date() });
    await em.flush();
    const inbound = new InboundProcessor({ db, logger: createLogger('silent'), defaultCountry: 'US', defaultSenderId: 'MCR' });

    const saved = await saveInboundPdu(db, {
      sourceAddr: '14155558005',
      destinationAddr: '14155559999',
      text: 'id:early-0001 sub:001 dlvrd:001 stat:DELIVRD err:000',
      receipt: { messageId: 'early-0001', state: 'DELIVRD' },
    });
    expect(await inbound.process(saved.id)).toBe('ignored');

    const recorded = await recordSubmitOutcome(
      { db, retryDelayMs: 100 },
      {
        id: row!.id,
        attempts: 1,
        businessId: row!.businessId,
        toE164: row!.toE164,
        fromAddr: row!.fromAddr,
        kind: row!.kind,
        body: row!.body,
      },
      { status: 'accepted', messageId: 'early-0001', parts: [{ seq: 1, total: 1, messageId: 'early-0001' }], connection: 'default' },
    );
    expect(recorded).toBe('submitted');
    expect(await statusOf(row!.id)).toMatchObject({ status: 'delivered', smscMessageId: 'early-0001' });
    expect((await partsOf(row!.id))[0]).toMatchObject({ status: 'delivered', receiptState: 'DELIVRD' });
  });
});
