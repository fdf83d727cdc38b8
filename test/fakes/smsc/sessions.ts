import { performance } from 'node:perf_hooks';
import smpp, { PDU, type Session } from 'smpp';
import { concatInfo, decodeText, messageBytes, splitUdh } from './decode.js';
import type { BindMode, DefaultAlphabet, StallScope, SubmittedMessage } from './types.js';
import { parseSubmitSm, tapSocket } from './wire.js';

export interface SessionState {
  readonly id: number;
  readonly session: Session;
  mode: BindMode | null;
  systemId: string | null;
  /** submit_sm read and not yet answered. */
  outstanding: number;
  closed: boolean;
}

/** What a session needs from the fake around it. */
export interface SessionHost {
  readonly systemId: string;
  readonly password: string;
  readonly alphabet: DefaultAlphabet;
  stall(): StallScope | null;
  /** Status to answer submit_sm with instead of accepting it, or null. */
  submitStatus(): number | null;
  nextMessageId(): string;
  /** How long to hold each submit_sm_resp (0: at once). */
  submitDelayMs(): number;
  onBound(state: SessionState): void;
  /** A submit_sm was accepted (the fake has it), before it is answered. */
  onSubmit(message: SubmittedMessage): void;
  /** Its submit_sm_resp went out (or the session closed first): time for the receipt. */
  onSubmitAnswered(message: SubmittedMessage): void;
  /** A submit_sm was answered with an error status. */
  onSubmitRefused(state: SessionState, status: number, receivedAtPerf: number): void;
  /** The session's count of unanswered submit_sm went up. */
  onOutstanding(state: SessionState): void;
  onEnquireLink(): void;
  onStalledSubmit(): void;
  onClosed(state: SessionState): void;
  onError(error: Error): void;
}

const BIND_MODES: Readonly<Record<string, BindMode>> = {
  bind_transceiver: 'transceiver',
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
};

/** Answers one ESME connection: binds, enquire_link, unbind, submit_sm. */
export function attachSession(session: Session, id: number, host: SessionHost): SessionState {
  const state: SessionState = { id, session, mode: null, systemId: null, outstanding: 0, closed: false };
  const tap = tapSocket(session.socket);

  // Without this an ECONNRESET (or a bad PDU) is an uncaught 'error' and kills the process.
  session.on('error', (error) => host.onError(error));
  session.on('close', () => {
    state.closed = true;
    state.outstanding = 0;
    host.onClosed(state);
  });

  const reply = (request: PDU, status: number, fields: { system_id?: string; message_id?: string } = {}): void => {
    if (`${request.command}_resp` in smpp.commands) {
      session.send(request.response(status === 0 ? fields : { command_status: status }));
    } else {
      const nackStatus = status === 0 ? smpp.ESME_RINVCMDID : status;
      session.send(new PDU('generic_nack', { command_status: nackStatus, sequence_number: request.sequence_number }));
    }
  };

  const onBind = (pdu: PDU, mode: BindMode): void => {
    if (state.mode !== null) return reply(pdu, smpp.ESME_RALYBND);
    if (pdu.system_id !== host.systemId || pdu.password !== host.password) {
      return reply(pdu, smpp.ESME_RBINDFAIL);
    }
    state.mode = mode;
    state.systemId = host.systemId;
    reply(pdu, 0, { system_id: 'FAKESMSC' });
    host.onBound(state);
  };

  /** Answers a submit_sm now or after the configured delay; never on a closed session. */
  const answer = (pdu: PDU, status: number, fields: { message_id?: string }, then?: () => void): void => {
    const send = (): void => {
      if (!state.closed) {
        state.outstanding -= 1;
        reply(pdu, status, fields);
      }
      then?.();
    };
    const delay = host.submitDelayMs();
    if (delay > 0) setTimeout(send, delay);
    else send();
  };

  const onSubmit = (pdu: PDU, raw: Buffer | undefined, receivedAt: Date, receivedAtPerf: number): void => {
    state.outstanding += 1;
    host.onOutstanding(state);
    if (host.stall() === 'submit') return host.onStalledSubmit();
    const refuse = (status: number): void => {
      host.onSubmitRefused(state, status, receivedAtPerf);
      answer(pdu, status, {});
    };
    if (state.mode === null || state.mode === 'receiver' || state.systemId === null) {
      return refuse(smpp.ESME_RINVBNDSTS);
    }
    const forced = host.submitStatus();
    if (forced !== null) return refuse(forced);
    if (!raw) return refuse(smpp.ESME_RSYSERR);

    let message: SubmittedMessage;
    try {
      const wire = parseSubmitSm(raw);
      const { udh, payload } = splitUdh(messageBytes(wire.shortMessage, wire.tlvs), wire.esmClass);
      const concat = concatInfo(udh, wire.tlvs);
      message = {
        messageId: host.nextMessageId(),
        from: wire.sourceAddr,
        to: wire.destAddr,
        sourceTon: wire.sourceTon,
        sourceNpi: wire.sourceNpi,
        destTon: wire.destTon,
        destNpi: wire.destNpi,
        text: decodeText(payload, wire.dataCoding, host.alphabet),
        payload: Buffer.from(payload),
        dataCoding: wire.dataCoding,
        esmClass: wire.esmClass,
        ...(udh ? { udh: Buffer.from(udh) } : {}),
        ...(concat ? { concat } : {}),
        registeredDelivery: wire.registeredDelivery,
        serviceType: wire.serviceType,
        tlvs: wire.tlvs,
        systemId: state.systemId,
        sessionId: id,
        sequenceNumber: wire.sequenceNumber,
        receivedAt,
        receivedAtPerf,
      };
    } catch (error) {
      host.onError(error instanceof Error ? error : new Error(String(error)));
      return refuse(smpp.ESME_RINVMSGLEN);
    }
    // The SMSC has it from here on, whether or not its answer reaches the ESME.
    host.onSubmit(message);
    answer(pdu, 0, { message_id: message.messageId }, () => host.onSubmitAnswered(message));
  };

  session.on('pdu', (pdu) => {
    const receivedAtPerf = performance.now();
    const receivedAt = new Date();
    const raw = tap.take(pdu.command_length);
    // Responses (deliver_sm_resp, ...) reach the callbacks given to session.send().
    if (pdu.isResponse()) return;
    if (pdu.command === 'enquire_link') host.onEnquireLink();
    if (host.stall() === 'all') return;

    const bindMode = BIND_MODES[pdu.command];
    if (bindMode) return onBind(pdu, bindMode);
    switch (pdu.command) {
      case 'enquire_link':
        return reply(pdu, 0);
      case 'unbind':
        state.mode = null;
        return reply(pdu, 0);
      case 'submit_sm':
        return onSubmit(pdu, raw, receivedAt, receivedAtPerf);
      default:
        return reply(pdu, smpp.ESME_RINVCMDID);
    }
  });

  return state;
}
