import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import type { ReceivedDeliverSm } from '../../sms-gateway/inbound/inbound-journal.js';
import { SmppTransceiver } from '../../sms-gateway/smpp/smpp-transceiver.js';
import { createFakeSmsc, type FakeSmsc, type MobileOriginated } from '../fakes/smsc/index.js';
import { until } from '../support/sms-rig.js';

// What the SMPP layer hands the inbound journal for each deliver_sm: the text
// without its user data header, and which part of a long text it is.

let smsc: FakeSmsc;
let transceiver: SmppTransceiver;
const received: ReceivedDeliverSm[] = [];

beforeEach(async () => {
  received.length = 0;
  smsc = await createFakeSmsc({ receiptDelayMs: null, defaultAlphabet: 'gsm7' });
  transceiver = new SmppTransceiver({
    url: smsc.url,
    logger: createLogger('silent'),
    onDeliver: async (pdu) => {
      received.push(pdu);
    },
  });
  transceiver.start();
  await until(() => transceiver.state === 'bound', 5000, 'bind');
});

afterEach(async () => {
  await transceiver.stop();
  await smsc.close();
});

async function deliver(mo: Omit<MobileOriginated, 'from' | 'to'>): Promise<ReceivedDeliverSm> {
  const before = received.length;
  expect(await smsc.sendMo({ from: '+14155550190', to: '+14155559999', ...mo })).toBe(0);
  await until(() => received.length > before, 2000, 'the deliver_sm');
  return received.at(-1)!;
}

describe('parts of long inbound texts', () => {
  it('when a part comes with an 8-bit concatenation header, then its reference, count and number are read and the header is not in the text', async () => {
    const pdu = await deliver({ text: 'Hello there, I need a plumber ', udh: Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]) });
    expect(pdu).toMatchObject({
      sourceAddr: '+14155550190',
      text: 'Hello there, I need a plumber ',
      part: { reference: 0x2a, total: 2, seq: 1 },
    });
  });

  it('when a part comes with a 16-bit concatenation header among other elements, then the 16-bit reference is read', async () => {
    // A text-formatting element (IEI 0x0A) comes first and must be stepped over.
    const udh = Buffer.from([0x0b, 0x0a, 0x03, 0x00, 0x05, 0x00, 0x08, 0x04, 0x12, 0x34, 0x03, 0x02]);
    const pdu = await deliver({ text: 'second part', udh });
    expect(pdu).toMatchObject({ text: 'second part', part: { reference: 0x1234, total: 3, seq: 2 } });
  });

  it('when a UCS-2 part comes with a header, then the text is decoded without it', async () => {
    const pdu = await deliver({ text: 'Привет, нужен сантехник', dataCoding: 8, udh: Buffer.from([0x05, 0x00, 0x03, 0x07, 0x02, 0x02]) });
    expect(pdu).toMatchObject({ text: 'Привет, нужен сантехник', part: { reference: 7, total: 2, seq: 2 } });
  });

  it('when a part is tied by sar_* TLVs, then they are read the same way', async () => {
    const pdu = await deliver({ text: 'tail of a long one', sar: { reference: 0xbeef, total: 2, seq: 2 } });
    expect(pdu).toMatchObject({ text: 'tail of a long one', part: { reference: 0xbeef, total: 2, seq: 2 } });
  });

  it('when a text is whole, or says it is part 1 of 1, then it carries no part', async () => {
    expect((await deliver({ text: 'STOP' })).part).toBeUndefined();
    expect((await deliver({ text: 'one of one', udh: Buffer.from([0x05, 0x00, 0x03, 0x09, 0x01, 0x01]) })).part).toBeUndefined();
  });

  it('when a long text comes whole in message_payload, then none of it is lost', async () => {
    const text = 'I have a leak under the kitchen sink and water everywhere. '.repeat(6);
    expect(text.length).toBeGreaterThan(254);
    const pdu = await deliver({ text });
    expect(pdu.text).toBe(text);
    expect(pdu.part).toBeUndefined();
  });
});
