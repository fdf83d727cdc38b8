import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { InboundPdu } from '../../core/entities/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { InboundRig, LIMIT_MS, at, cut } from './inbound-rig.js';

let db: Database;
let rig: InboundRig;
let serial = 0;
/** A fresh caller for each test: tests share one database. */
const caller = (): string => `+1415555${String(100 + ++serial).padStart(4, '0')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  rig = await InboundRig.create(db);
});
afterAll(async () => {
  await db?.close();
});

describe(`long incoming texts (${describeDatabase()})`, () => {
  it('when the parts arrive in order, then the whole text is acted on once, after the last part', async () => {
    const from = caller();
    const parts = ['Hello, I need a plumber for a leaking ', 'pipe under the kitchen sink, ', 'can someone come today?'];
    const effects = [];
    for (const [i, text] of parts.entries())
      effects.push(await rig.receive({ from, reference: 7, total: 3, seq: i + 1, text, receivedAt: at(i * 1000) }));
    expect(effects).toEqual(['part_held', 'part_held', 'conversation']);
    expect(await rig.conversation(from)).toEqual([parts.join('')]);
    const [whole] = await rig.wholeTexts(from);
    expect(whole?.receivedAt).toEqual(at(2000));
    expect((await rig.concatenations(from)).map((c) => c.state)).toEqual(['complete']);
  });

  it('when the parts arrive out of order, then the text is put together in part order', async () => {
    const from = caller();
    const parts = ['one, ', 'two, ', 'three, ', 'four.'];
    for (const seq of [3, 1, 4, 2]) await rig.receive({ from, reference: 200, total: 4, seq, text: parts[seq - 1]!, receivedAt: at(seq) });
    expect(await rig.conversation(from)).toEqual(['one, two, three, four.']);
  });

  it('when a part is delivered again, then it counts once, before and after the text is whole', async () => {
    const from = caller();
    const minute = 60_000;
    const first = { from, reference: 9, total: 2, seq: 1, text: 'Can you come ', receivedAt: at(9 * minute + 58_000) };
    expect(await rig.receive(first)).toBe('part_held');
    // In the journal's dedupe window: the same row, not processed again.
    expect(await rig.receive({ ...first, receivedAt: at(9 * minute + 59_000) })).toBeNull();
    // In the next window (a few seconds later): the processor sees the redelivery and ignores it.
    expect(await rig.receive({ ...first, receivedAt: at(10 * minute + 1000) })).toBe('ignored');
    expect(await rig.receive({ from, reference: 9, total: 2, seq: 2, text: 'on Monday?', receivedAt: at(10 * minute + 2000) })).toBe(
      'conversation',
    );
    // After the text is whole, a late copy of either part starts nothing new (the journal or the processor drops it).
    expect([null, 'ignored']).toContain(await rig.receive({ ...first, receivedAt: at(15 * minute) }));
    expect(await rig.receive({ from, reference: 9, total: 2, seq: 2, text: 'on Monday?', receivedAt: at(20 * minute + 1000) })).toBe(
      'ignored',
    );
    expect(await rig.processor.expireParts(at(60 * 60_000))).toEqual([]);
    expect(await rig.conversation(from)).toEqual(['Can you come on Monday?']);
    expect(await rig.wholeTexts(from)).toHaveLength(1);
  });

  it('when two parts of one text have the same words, then both are kept (the dedupe key includes the part)', async () => {
    const from = caller();
    await rig.receive({ from, reference: 3, total: 2, seq: 1, text: 'ha', receivedAt: at(0) });
    await rig.receive({ from, reference: 3, total: 2, seq: 2, text: 'ha', receivedAt: at(0) });
    expect(await rig.conversation(from)).toEqual(['haha']);
  });

  it('when two senders use the same reference at once, then their texts never mix', async () => {
    const alice = caller();
    const bob = caller();
    await rig.receive({ from: alice, reference: 42, total: 2, seq: 1, text: 'Alice: my boiler ', receivedAt: at(0) });
    await rig.receive({ from: bob, reference: 42, total: 2, seq: 1, text: 'Bob: my roof ', receivedAt: at(10) });
    await rig.receive({ from: bob, reference: 42, total: 2, seq: 2, text: 'leaks.', receivedAt: at(20) });
    await rig.receive({ from: alice, reference: 42, total: 2, seq: 2, text: 'is broken.', receivedAt: at(30) });
    expect(await rig.conversation(alice)).toEqual(['Alice: my boiler is broken.']);
    expect(await rig.conversation(bob)).toEqual(['Bob: my roof leaks.']);
  });

  it('when one sender uses one reference for texts to two numbers, then they are two texts', async () => {
    const from = caller();
    const office = '+14155559999';
    const shop = '+14155558888';
    await rig.receive({ from, to: office, reference: 5, total: 2, seq: 1, text: 'To the office: ', receivedAt: at(0) });
    await rig.receive({ from, to: shop, reference: 5, total: 2, seq: 1, text: 'To the shop: ', receivedAt: at(1) });
    await rig.receive({ from, to: shop, reference: 5, total: 2, seq: 2, text: 'two taps.', receivedAt: at(2) });
    await rig.receive({ from, to: office, reference: 5, total: 2, seq: 2, text: 'call me.', receivedAt: at(3) });
    const wholes = await rig.wholeTexts(from);
    expect(wholes.map((w) => [w.destinationAddr, w.body])).toEqual([
      [shop, 'To the shop: two taps.'],
      [office, 'To the office: call me.'],
    ]);
  });

  it('when the time limit passes with a part missing, then what came is acted on once, with a marker, and a late part on its own', async () => {
    const from = caller();
    await rig.receive({ from, reference: 11, total: 3, seq: 1, text: 'The leak is ', receivedAt: at(0) });
    await rig.receive({ from, reference: 11, total: 3, seq: 3, text: ' please hurry', receivedAt: at(2000) });
    expect(await rig.processor.expireParts(at(LIMIT_MS - 1))).toEqual([]);
    const expired = await rig.processor.expireParts(at(LIMIT_MS));
    expect(expired.map((e) => e.effect)).toEqual(['conversation']);
    expect(await rig.processor.expireParts(at(LIMIT_MS + 1))).toEqual([]);
    expect(await rig.conversation(from)).toEqual(['The leak is [part 2 of 3 missing] please hurry']);
    // The missing part turns up after the limit: its words are kept too, as a text of their own.
    expect(await rig.receive({ from, reference: 11, total: 3, seq: 2, text: 'in the attic,', receivedAt: at(LIMIT_MS + 5000) })).toBe(
      'part_held',
    );
    await rig.processor.expireParts(at(2 * LIMIT_MS + 5000));
    expect((await rig.conversation(from))[1]).toBe('[part 1 of 3 missing]in the attic,[part 3 of 3 missing]');
    expect((await rig.concatenations(from)).map((c) => c.state)).toEqual(['expired', 'expired']);
  });

  it('when a part comes after the time limit but before the sweep, then the old text is closed first and the part does not join it', async () => {
    const from = caller();
    await rig.receive({ from, reference: 12, total: 2, seq: 1, text: 'first text ', receivedAt: at(0) });
    // The effect reported is the closed old text's; the late part waits in a text of its own.
    expect(await rig.receive({ from, reference: 12, total: 2, seq: 2, text: 'second text', receivedAt: at(LIMIT_MS + 1) })).toBe(
      'conversation',
    );
    expect(await rig.conversation(from)).toEqual(['first text [part 2 of 2 missing]']);
  });

  it('when STOP is split across parts, then the sender is opted out and gets one confirmation', async () => {
    const from = caller();
    await rig.receive({ from, reference: 77, total: 2, seq: 1, text: 'please st', receivedAt: at(0) });
    expect(await rig.optOuts(from)).toHaveLength(0);
    expect(await rig.receive({ from, reference: 77, total: 2, seq: 2, text: 'op texting me', receivedAt: at(100) })).toBe('opt_out');
    expect((await rig.optOuts(from)).map((o) => o.action)).toEqual(['stop']);
    expect((await rig.outbox(from)).map((m) => m.kind)).toEqual(['optout_confirmation']);
    expect(await rig.conversation(from)).toEqual(['please stop texting me']);
  });

  it('when STOP is in the parts that came and the rest never does, then the opt-out happens at the time limit', async () => {
    const from = caller();
    await rig.receive({ from, reference: 78, total: 2, seq: 1, text: 'STOP', receivedAt: at(0) });
    const [expired] = await rig.processor.expireParts(at(LIMIT_MS));
    expect(expired?.effect).toBe('opt_out');
    expect((await rig.optOuts(from)).map((o) => o.action)).toEqual(['stop']);
  });

  it('when a sender reuses a reference for a new text before the first is whole, then the first is closed with a marker', async () => {
    const from = caller();
    await rig.receive({ from, reference: 13, total: 2, seq: 1, text: 'Old text, ', receivedAt: at(0) });
    // Part 1 again with other words: the old text is closed (and acted on) now.
    expect(await rig.receive({ from, reference: 13, total: 2, seq: 1, text: 'New text, ', receivedAt: at(1000) })).toBe('conversation');
    expect(await rig.receive({ from, reference: 13, total: 2, seq: 2, text: 'whole.', receivedAt: at(2000) })).toBe('conversation');
    expect(await rig.conversation(from)).toEqual(['Old text, [part 2 of 2 missing]', 'New text, whole.']);
  });

  it('when a hostile text comes in parts (NUL bytes, markup, 1,000+ characters), then it is kept whole as plain text without control characters', async () => {
    const from = caller();
    const hostile = `<script>alert(1)</script>\u0000\u0007'; drop table lead; --${'x'.repeat(1200)}<img src=x onerror=alert(2)>`;
    const pieces = cut(hostile, 153);
    for (const [i, text] of pieces.entries())
      await rig.receive({ from, reference: 250, total: pieces.length, seq: i + 1, text, receivedAt: at(i) });
    const [body] = await rig.conversation(from);
    expect(body).toBe(hostile.replace(/[\u0000\u0007]/g, ''));
    expect(body!.length).toBeGreaterThan(1000);
  });

  it('when a surrogate pair or a GSM escape is split across parts, then the character is whole again', async () => {
    const from = caller();
    const emoji = '😀';
    await rig.receive({ from, reference: 14, total: 2, seq: 1, text: `Thanks ${emoji[0]}`, receivedAt: at(0) });
    await rig.receive({ from, reference: 14, total: 2, seq: 2, text: `${emoji[1]} 20\u001b`, receivedAt: at(1) });
    expect(await rig.conversation(from)).toEqual([`Thanks ${emoji} 20`]);
    const other = caller();
    // The library decodes each part alone and leaves a trailing escape as U+001B; "e" after it is the euro sign.
    await rig.receive({ from: other, reference: 15, total: 2, seq: 1, text: 'Price 20\u001b', receivedAt: at(0) });
    await rig.receive({ from: other, reference: 15, total: 2, seq: 2, text: 'e ok?', receivedAt: at(1) });
    expect(await rig.conversation(other)).toEqual(['Price 20€ ok?']);
  });

  it('when a part says it is part 1 of 1, then it is an ordinary text', async () => {
    const from = caller();
    expect(await rig.receive({ from, reference: 1, total: 1, seq: 1, text: 'HELP', receivedAt: at(0) })).toBe('help');
    expect(await rig.concatenations(from)).toEqual([]);
  });

  it('when the last two parts are processed at the same time, then the text is acted on once', async () => {
    for (let round = 0; round < 5; round++) {
      const from = caller();
      await rig.receive({ from, reference: 99, total: 3, seq: 1, text: 'stop ', receivedAt: at(0) });
      const two = await rig.save({ from, reference: 99, total: 3, seq: 2, text: 'texting ', receivedAt: at(1) });
      const three = await rig.save({ from, reference: 99, total: 3, seq: 3, text: 'me', receivedAt: at(2) });
      const effects = await Promise.all([rig.processor.process(two.id), rig.processor.process(three.id)]);
      expect(effects.sort()).toEqual(['opt_out', 'part_held']);
      expect(await rig.conversation(from)).toEqual(['stop texting me']);
      expect(await rig.outbox(from)).toHaveLength(1);
    }
  });

  it('when the app restarts between parts, then the saved parts are put together from the backlog', async () => {
    const from = caller();
    // Saved (and so acknowledged) but never processed: the crash came first.
    await rig.save({ from, reference: 31, total: 2, seq: 1, text: 'before the ', receivedAt: at(0) });
    await rig.save({ from, reference: 31, total: 2, seq: 2, text: 'crash', receivedAt: at(1) });
    const restarted = new InboundRig(db);
    await restarted.processor.processBacklog();
    expect(await rig.conversation(from)).toEqual(['before the crash']);
    const parts = await db.fork().find(InboundPdu, { kind: 'mo_part', sourceAddr: from });
    expect(parts.every((p) => p.processedAt)).toBe(true);
  });
});
