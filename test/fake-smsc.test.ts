import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import smpp, { type PDU, type PduOptions, type Session } from 'smpp';
import { createFakeSmsc, type FakeSmsc } from './fakes/smsc/index.js';

// A plain `smpp` client, as the gateway will use it, against the fake SMSC.

type Request = 'bind_transceiver' | 'bind_receiver' | 'submit_sm' | 'enquire_link' | 'unbind';

const clients: Session[] = [];
let smsc: FakeSmsc;

beforeEach(async () => {
  smsc = await createFakeSmsc({ receiptDelayMs: 10 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await smsc.close();
});

function connect(url: string): Promise<Session> {
  return new Promise((resolve, reject) => {
    const session = smpp.connect({ url });
    clients.push(session);
    session.on('error', reject);
    session.on('connect', () => {
      session.off('error', reject);
      // Every session needs an 'error' listener, or an ECONNRESET kills the process.
      session.on('error', () => undefined);
      resolve(session);
    });
  });
}

function request(session: Session, command: Request, options: PduOptions = {}, timeoutMs = 2000): Promise<PDU> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${command}_resp within ${timeoutMs} ms`)), timeoutMs);
    const sent = session[command](options, (resp) => {
      clearTimeout(timer);
      resolve(resp);
    });
    if (!sent) {
      clearTimeout(timer);
      reject(new Error('socket not writable'));
    }
  });
}

function nextPdu(session: Session, command: 'deliver_sm', timeoutMs = 2000): Promise<PDU> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${command} within ${timeoutMs} ms`)), timeoutMs);
    session.once(command, (pdu) => {
      clearTimeout(timer);
      resolve(pdu);
    });
  });
}

async function boundClient(command: 'bind_transceiver' | 'bind_receiver' = 'bind_transceiver'): Promise<Session> {
  const session = await connect(smsc.url);
  const resp = await request(session, command, { system_id: 'mcr', password: 'secret' });
  expect(resp.command_status).toBe(smpp.ESME_ROK);
  return session;
}

/** What the library decoded into short_message (always an object on received PDUs). */
function textOf(pdu: PDU): string {
  const sm = pdu.short_message;
  if (sm === undefined || typeof sm === 'string' || Buffer.isBuffer(sm)) throw new Error('short_message not decoded');
  if (typeof sm.message !== 'string') throw new Error('short_message is binary');
  return sm.message;
}

describe('fake SMSC', () => {
  it('when the ESME binds with the right credentials, then the bind succeeds and is listed', async () => {
    const session = await connect(smsc.url);
    const resp = await request(session, 'bind_transceiver', { system_id: 'mcr', password: 'secret' });

    expect(resp.command).toBe('bind_transceiver_resp');
    expect(resp.command_status).toBe(smpp.ESME_ROK);
    expect(resp.system_id).toBe('FAKESMSC');
    expect(smsc.url).toBe(`smpp://mcr:secret@127.0.0.1:${smsc.port}`);
    expect(smsc.sessions).toBe(1);
    expect(smsc.bound).toEqual([{ sessionId: expect.any(Number), systemId: 'mcr', mode: 'transceiver' }]);
  });

  it('when the password is wrong, then the bind is rejected with ESME_RBINDFAIL', async () => {
    const session = await connect(smsc.url);
    const resp = await request(session, 'bind_transceiver', { system_id: 'mcr', password: 'wrong' });

    expect(resp.command_status).toBe(smpp.ESME_RBINDFAIL);
    expect(smsc.bound).toEqual([]);
    const submit = await request(session, 'submit_sm', { destination_addr: '15550002222', short_message: 'x' });
    expect(submit.command_status).toBe(smpp.ESME_RINVBNDSTS);
  });

  it('when an ASCII text is submitted, then it gets a message id and is recorded with its text', async () => {
    const session = await boundClient();
    const resp = await request(session, 'submit_sm', {
      source_addr: '15550001111',
      destination_addr: '15550002222',
      data_coding: 0,
      short_message: Buffer.from('Sorry we missed your call!', 'latin1'),
    });

    expect(resp.command_status).toBe(smpp.ESME_ROK);
    expect(resp.message_id).toMatch(/^[0-9a-f]{14}$/);
    const [record] = smsc.submitted;
    expect(record).toMatchObject({
      messageId: resp.message_id,
      from: '15550001111',
      to: '15550002222',
      text: 'Sorry we missed your call!',
      dataCoding: 0,
      esmClass: 0,
      registeredDelivery: 0,
      systemId: 'mcr',
    });
    expect(record?.receivedAt).toBeInstanceOf(Date);
    expect(typeof record?.receivedAtPerf).toBe('number');
  });

  it('when a UCS-2 text with an emoji is submitted, then the recorded text is decoded from UTF-16BE', async () => {
    const session = await boundClient();
    const text = 'Merci 😀 café – à bientôt';
    const waiting = smsc.waitForSubmit((m) => m.to === '15550003333');
    // The library encodes a string with data_coding 8 as UTF-16BE (surrogate pairs kept).
    const resp = await request(session, 'submit_sm', { destination_addr: '15550003333', data_coding: 8, short_message: text });

    const record = await waiting;
    expect(record.messageId).toBe(resp.message_id);
    expect(record.dataCoding).toBe(8);
    expect(record.text).toBe(text);
    expect(record.payload.length).toBe(Buffer.byteLength(text, 'utf16le'));
  });

  it('when a concatenated part is submitted with a UDH, then the UDH and the part info are recorded', async () => {
    const session = await boundClient();
    const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]);
    await request(session, 'submit_sm', {
      destination_addr: '15550004444',
      data_coding: 8,
      short_message: { udh, message: 'Première partie' },
    });

    const record = await smsc.waitForSubmit();
    expect(record.esmClass & smpp.ESM_CLASS.UDH_INDICATOR).toBe(0x40);
    expect(record.udh).toEqual(udh);
    expect(record.concat).toEqual({ ref: 0x2a, total: 2, seq: 1, source: 'udh8' });
    expect(record.text).toBe('Première partie');
  });

  it('when registered_delivery is 1, then a receipt arrives with its text and TLVs and its response is recorded', async () => {
    const session = await boundClient();
    const receipt = nextPdu(session, 'deliver_sm');
    const resp = await request(session, 'submit_sm', {
      source_addr: '15550001111',
      destination_addr: '15550002222',
      registered_delivery: 1,
      data_coding: 0,
      short_message: Buffer.from('Hello from the clinic', 'latin1'),
    });
    const messageId = resp.message_id ?? '';

    const pdu = await receipt;
    session.send(pdu.response());
    expect(pdu.esm_class).toBe(smpp.ESM_CLASS.MC_DELIVERY_RECEIPT);
    expect(pdu.source_addr).toBe('15550002222');
    expect(pdu.destination_addr).toBe('15550001111');
    expect(pdu.receipted_message_id).toBe(messageId);
    expect(pdu.message_state).toBe(smpp.MESSAGE_STATE.DELIVERED);
    expect(textOf(pdu)).toMatch(
      new RegExp(
        `^id:${messageId} sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000 text:Hello from the clini$`,
      ),
    );
    await expect.poll(() => smsc.deliverResponses).toEqual([
      { kind: 'receipt', messageId, status: smpp.ESME_ROK, sessionId: expect.any(Number), at: expect.any(Date) },
    ]);
  });

  it('when a receipt is sent while no receiver is bound, then it is delivered after the next bind', async () => {
    await smsc.close();
    smsc = await createFakeSmsc({ receiptDelayMs: null });
    const first = await boundClient();
    const resp = await request(first, 'submit_sm', { destination_addr: '15550002222', registered_delivery: 1, short_message: 'hi' });
    first.destroy();
    await expect.poll(() => smsc.sessions).toBe(0);

    const status = smsc.sendReceipt(resp.message_id ?? '', 'UNDELIV', { err: '1' });
    const second = await connect(smsc.url);
    const receipt = nextPdu(second, 'deliver_sm');
    await request(second, 'bind_receiver', { system_id: 'mcr', password: 'secret' });
    const pdu = await receipt;
    second.send(pdu.response());

    expect(await status).toBe(smpp.ESME_ROK);
    expect(pdu.message_state).toBe(smpp.MESSAGE_STATE.UNDELIVERABLE);
    expect(textOf(pdu)).toContain('dlvrd:000');
    expect(textOf(pdu)).toContain('stat:UNDELIV err:001');
  });

  it('when the fake sends an MO, then the client gets it and the deliver_sm_resp status is returned', async () => {
    const session = await boundClient();
    const statuses = [smpp.ESME_ROK, smpp.ESME_RX_T_APPN];
    const texts: string[] = [];
    session.on('deliver_sm', (pdu) => {
      texts.push(textOf(pdu));
      session.send(pdu.response({ command_status: statuses[texts.length - 1] ?? 0 }));
    });

    expect(await smsc.sendMo({ from: '+15550002222', to: '15550001111', text: 'STOP' })).toBe(smpp.ESME_ROK);
    expect(await smsc.sendMo({ from: '15550002222', to: '15550001111', text: 'Oui 👍' })).toBe(smpp.ESME_RX_T_APPN);
    expect(texts).toEqual(['STOP', 'Oui 👍']);
    expect(smsc.deliverResponses.map((r) => [r.kind, r.status])).toEqual([
      ['mo', smpp.ESME_ROK],
      ['mo', smpp.ESME_RX_T_APPN],
    ]);
  });

  it('when an MO carries a UDH, then the library exposes it as a list of information elements', async () => {
    const session = await boundClient();
    const received = nextPdu(session, 'deliver_sm');
    const sent = smsc.sendMo({ from: '15550002222', to: '15550001111', text: 'part 2', udh: Buffer.from([5, 0, 3, 9, 2, 2]) });
    const pdu = await received;
    session.send(pdu.response());
    await sent;

    expect(pdu.short_message).toEqual({ udh: [Buffer.from([0, 3, 9, 2, 2])], message: 'part 2' });
  });

  it('when throttling is on, then submit_sm is answered ESME_RTHROTTLED and not recorded', async () => {
    const session = await boundClient();
    smsc.setThrottle(true);
    const throttled = await request(session, 'submit_sm', { destination_addr: '15550002222', short_message: 'a' });
    smsc.setThrottle(false);
    const accepted = await request(session, 'submit_sm', { destination_addr: '15550002222', short_message: 'b' });

    expect(throttled.command_status).toBe(smpp.ESME_RTHROTTLED);
    expect(accepted.command_status).toBe(smpp.ESME_ROK);
    expect(smsc.submitted.map((m) => m.text)).toEqual(['b']);
  });

  it('when stalled, then submit_sm gets no answer while enquire_link still does, unless everything stalls', async () => {
    const session = await boundClient();
    smsc.setStall(true);
    await expect(request(session, 'submit_sm', { destination_addr: '1', short_message: 'a' }, 200)).rejects.toThrow(/no submit_sm_resp/);
    expect((await request(session, 'enquire_link')).command_status).toBe(smpp.ESME_ROK);

    smsc.setStall(true, 'all');
    await expect(request(session, 'enquire_link', {}, 200)).rejects.toThrow(/no enquire_link_resp/);
    expect(smsc.stalledSubmits).toBe(1);
    expect(smsc.enquireLinks).toBe(2);
    expect(smsc.submitted).toEqual([]);
  });

  it('when dropConnections is called, then the client socket closes', async () => {
    const session = await boundClient();
    const closed = new Promise<void>((resolve) => session.once('close', resolve));
    await smsc.dropConnections();
    await closed;

    expect(session.socket.destroyed).toBe(true);
    expect(smsc.sessions).toBe(0);
    expect(session.enquire_link()).toBe(false);
  });

  it('when the client unbinds, then unbind_resp comes back and the session is no longer bound', async () => {
    const session = await boundClient();
    const resp = await request(session, 'unbind');

    expect(resp.command).toBe('unbind_resp');
    expect(smsc.bound).toEqual([]);
  });
});
