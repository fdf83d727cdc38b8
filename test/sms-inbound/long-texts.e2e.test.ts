import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationMessage, InboundPdu, Lead, OptOutEvent } from '../../core/entities/index.js';
import { decodeUserData } from '../../sms-gateway/inbound/user-data.js';
import { encodeSms } from '../../sms-gateway/smpp/sms-encoding.js';
import { nextEvent, startStack, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const OUR_NUMBER = '+14155559999';
const UCS2 = 8;

/** An 8-bit reference concatenation header, with its length octet. */
const udh8 = (reference: number, total: number, seq: number): Buffer => Buffer.from([5, 0x00, 3, reference, total, seq]);
/** A 16-bit reference one. */
const udh16 = (reference: number, total: number, seq: number): Buffer =>
  Buffer.from([6, 0x08, 4, reference >> 8, reference & 0xff, total, seq]);

describe(`long texts from callers end to end over SMPP (${describeDatabase()})`, () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase() });
  });
  afterAll(async () => stack?.stop());

  /** Resolves when the app has acted on a whole text from `from` (not on a held part). */
  const wholeTextActedOn = (from: string) =>
    nextEvent(stack.events, 'sms.received', (e) => e.from === from && e.effect !== 'part_held' && e.effect !== 'ignored');

  const conversation = async (from: string): Promise<string[]> => {
    const em = stack.app.db.fork();
    const leads = await em.find(Lead, { phoneE164: from });
    const messages = await em.find(
      ConversationMessage,
      { leadId: { $in: leads.map((l) => l.id) }, direction: 'in' },
      { orderBy: { createdAt: 'asc' } },
    );
    return messages.map((m) => m.body);
  };

  it('when STOP comes split over two UDH parts, last part first, then the caller is opted out and gets one confirmation', async () => {
    const caller = '+14155550181';
    const optedOut = nextEvent(stack.events, 'optout.recorded', (e) => e.from === caller);
    expect(await stack.smsc.sendMo({ from: caller, to: OUR_NUMBER, text: 'op texting me', udh: udh8(0x21, 2, 2) })).toBe(0);
    expect(await stack.smsc.sendMo({ from: caller, to: OUR_NUMBER, text: 'Please st', udh: udh8(0x21, 2, 1) })).toBe(0);
    await optedOut;
    expect(await conversation(caller)).toEqual(['Please stop texting me']);
    expect(await stack.app.db.fork().count(OptOutEvent, { phoneE164: caller, action: 'stop' })).toBe(1);
    const confirmation = await stack.smsc.waitForSubmit((m) => m.to === caller.slice(1), 10_000);
    expect(confirmation.text).toMatch(/unsubscribed/i);
  });

  it('when a handset splits a long UCS-2 text with emoji (16-bit reference) and a part comes twice, then the whole text is acted on once', async () => {
    const caller = '+14155550182';
    const text = `Hi 👋 my boiler is broken again 😩 ${'can someone come round before Friday? '.repeat(4)}Thanks! 🙏`;
    const encoded = encodeSms(text, 0);
    expect(encoded.dataCoding).toBe(UCS2);
    const parts = encoded.segments.map((s) => decodeUserData(s.message, UCS2));
    expect(parts.length).toBeGreaterThan(2);
    const acted = wholeTextActedOn(caller);
    const send = (index: number) =>
      stack.smsc.sendMo({
        from: caller,
        to: OUR_NUMBER,
        text: parts[index]!,
        dataCoding: UCS2,
        udh: udh16(0xbeef, parts.length, index + 1),
      });
    // Out of order, the first part twice (an SMSC that missed our response delivers again).
    for (const index of [...parts.keys()].reverse()) expect(await send(index)).toBe(0);
    expect(await send(0)).toBe(0);
    expect((await acted).effect).toBe('conversation');
    expect(await conversation(caller)).toEqual([text]);
    expect(await stack.app.db.fork().count(InboundPdu, { kind: 'mo', sourceAddr: caller })).toBe(1);
  });

  it('when two callers use the same reference at the same time, then each whole text is their own', async () => {
    const alice = '+14155550183';
    const bob = '+14155550184';
    const both = Promise.all([wholeTextActedOn(alice), wholeTextActedOn(bob)]);
    await stack.smsc.sendMo({ from: alice, to: OUR_NUMBER, text: 'Alice here, the tap ', udh: udh8(7, 2, 1) });
    await stack.smsc.sendMo({ from: bob, to: OUR_NUMBER, text: 'Bob here, the roof ', udh: udh8(7, 2, 1) });
    await stack.smsc.sendMo({ from: bob, to: OUR_NUMBER, text: 'leaks', udh: udh8(7, 2, 2) });
    await stack.smsc.sendMo({ from: alice, to: OUR_NUMBER, text: 'drips', udh: udh8(7, 2, 2) });
    await both;
    expect(await conversation(alice)).toEqual(['Alice here, the tap drips']);
    expect(await conversation(bob)).toEqual(['Bob here, the roof leaks']);
  });
});
