import smpp, { type PDU, type Session } from 'smpp';
import type { Logger } from '../../core/logging.js';
import type { ReceivedDeliverSm } from '../inbound/inbound-journal.js';
import type { OutboundSms, SmsTransport, SubmitOutcome, TransportState } from '../sms-transport.js';
import { isDeliveryReceipt, readDeliveryReceipt } from './delivery-receipt.js';
import { decodeShortMessage, encodeSms } from './sms-encoding.js';

export interface SmppTransceiverOptions {
  /** `smpp://system_id:password@host:port` (or `ssmpp://` for TLS). */
  url: string;
  logger: Logger;
  /** Must save the PDU durably; deliver_sm_resp is sent only after it resolves. */
  onDeliver: (pdu: ReceivedDeliverSm) => Promise<void>;
  systemType?: string;
  enquireLinkMs?: number;
  responseTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
}

/** Permanent errors for the destination: retrying cannot help, the lead needs a phone call. */
const PERMANENT_DESTINATION_ERRORS = new Set<number>([smpp.ESME_RINVDSTADR, smpp.ESME_RINVDSTTON, smpp.ESME_RINVDSTNPI]);
const RETRY_LATER = new Set<number>([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL]);

/**
 * One SMPP transceiver bind that stays up: binds, keeps the link alive with its
 * own timed enquire_link (the library's does not check answers), rebinds forever
 * with capped jittered backoff, times out submits itself (the library has no
 * timeouts) and acknowledges a deliver_sm only once it is saved.
 */
export class SmppTransceiver implements SmsTransport {
  private stateValue: TransportState = 'disconnected';
  private session: Session | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private reference = Math.floor(Math.random() * 256);
  /** Submits written to the wire and waiting for their response, failed on close. */
  private readonly inFlight = new Set<(outcome: SubmitOutcome) => void>();
  private readonly endpoint: Endpoint;

  constructor(private readonly options: SmppTransceiverOptions) {
    this.endpoint = parseSmppUrl(options.url);
  }

  get state(): TransportState {
    return this.stateValue;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Unbinds politely (bounded), then closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.clearEnquire();
    const session = this.session;
    if (!session) {
      this.stateValue = 'disconnected';
      return;
    }
    this.stateValue = 'closing';
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => session.destroy(() => resolve()), 2000);
      const sent = session.unbind(() => {
        clearTimeout(timer);
        session.close(() => resolve());
      });
      if (!sent) {
        clearTimeout(timer);
        session.destroy(() => resolve());
      }
    });
    this.stateValue = 'disconnected';
  }

  async submit(sms: OutboundSms): Promise<SubmitOutcome> {
    const session = this.session;
    if (!session || this.stateValue !== 'bound') return { status: 'not_sent', error: 'SMPP not bound' };
    this.reference = (this.reference + 1) & 0xff;
    const encoded = encodeSms(sms.text, this.reference);
    let firstMessageId: string | null = null;
    for (const [index, segment] of encoded.segments.entries()) {
      const outcome = await this.submitOne(session, {
        source_addr: sms.from,
        source_addr_ton: /^\+?\d+$/.test(sms.from) ? 1 : 5,
        source_addr_npi: /^\+?\d+$/.test(sms.from) ? 1 : 0,
        destination_addr: sms.to.replace(/^\+/, ''),
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        registered_delivery: 1,
        data_coding: encoded.dataCoding,
        short_message: segment.udh ? { udh: segment.udh, message: segment.message } : segment.message,
      });
      if (outcome.status !== 'accepted') {
        // A later part failing after earlier ones went out cannot be taken back: say so.
        if (index > 0 && outcome.status !== 'unknown')
          return { status: 'unknown', error: `part ${index + 1} of ${encoded.segments.length}: ${describe(outcome)}` };
        return outcome;
      }
      firstMessageId ??= outcome.messageId;
    }
    return { status: 'accepted', messageId: firstMessageId as string };
  }

  private submitOne(session: Session, fields: Record<string, unknown>): Promise<SubmitOutcome> {
    return new Promise<SubmitOutcome>((resolve) => {
      let written = false;
      const finish = (outcome: SubmitOutcome) => {
        clearTimeout(timer);
        this.inFlight.delete(finish);
        resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          finish(
            written ? { status: 'unknown', error: 'no submit_sm_resp in time' } : { status: 'not_sent', error: 'not written in time' },
          ),
        this.options.responseTimeoutMs ?? 10_000,
      );
      this.inFlight.add(finish);
      let accepted: boolean;
      try {
        accepted = session.submit_sm(
          fields,
          (response: PDU) => finish(readSubmitResponse(response)),
          () => {
            written = true;
          },
        );
      } catch (err) {
        finish({ status: 'rejected', permanent: true, code: -1, error: `cannot encode: ${(err as Error).message}` });
        return;
      }
      if (!accepted) finish({ status: 'not_sent', error: 'SMPP socket not writable' });
    });
  }

  private connect(): void {
    if (this.stopped) return;
    this.stateValue = 'connecting';
    const { host, port, tls } = this.endpoint;
    const session = smpp.connect({ host, port, tls });
    this.session = session;
    session.on('error', (err: Error) => {
      this.options.logger.warn({ err: err.message }, 'SMPP connection error');
      // After a parse error the library stops reading for good: start afresh.
      session.destroy();
    });
    session.on('close', () => this.onClosed(session));
    session.on(tls ? 'secureConnect' : 'connect', () => this.bind(session));
    session.on('deliver_sm', (pdu: PDU) => void this.onDeliverSm(session, pdu));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
  }

  private bind(session: Session): void {
    const { systemId, password } = this.endpoint;
    session.bind_transceiver({ system_id: systemId, password, system_type: this.options.systemType ?? '' }, (response: PDU) => {
      if (response.command_status !== smpp.ESME_ROK) {
        this.options.logger.error({ status: response.command_status }, 'SMPP bind refused (check SMPP_URL credentials)');
        session.close();
        return;
      }
      this.stateValue = 'bound';
      this.attempt = 0;
      this.options.logger.info('SMPP bound as transceiver');
      this.scheduleEnquire(session);
    });
  }

  /** Our own keepalive: an unanswered enquire_link means a dead peer, whatever TCP thinks. */
  private scheduleEnquire(session: Session): void {
    this.clearEnquire();
    const interval = this.options.enquireLinkMs ?? 30_000;
    this.enquireTimer = setTimeout(() => {
      const deadline = setTimeout(
        () => {
          this.options.logger.warn('SMPP peer did not answer enquire_link; reconnecting');
          session.destroy();
        },
        Math.min(interval, 10_000),
      );
      const sent = session.enquire_link(() => {
        clearTimeout(deadline);
        if (this.session === session && this.stateValue === 'bound') this.scheduleEnquire(session);
      });
      if (!sent) clearTimeout(deadline);
    }, interval);
  }

  private clearEnquire(): void {
    if (this.enquireTimer) clearTimeout(this.enquireTimer);
    this.enquireTimer = null;
  }

  private async onDeliverSm(session: Session, pdu: PDU): Promise<void> {
    const text = decodeShortMessage(pdu.short_message ?? pdu.message_payload, pdu.data_coding ?? 0);
    const receipt = isDeliveryReceipt(pdu.esm_class) ? readDeliveryReceipt(pdu, text) : null;
    try {
      await this.options.onDeliver({
        sourceAddr: normaliseAddress(pdu.source_addr ?? '', pdu.source_addr_ton),
        destinationAddr: pdu.destination_addr ?? '',
        text,
        receipt: receipt ?? undefined,
      });
      session.send(pdu.response());
    } catch (err) {
      // Not saved: a temporary error makes the SMSC deliver it again later.
      this.options.logger.error({ err }, 'could not save a deliver_sm; asking the SMSC to retry');
      session.send(pdu.response({ command_status: smpp.ESME_RX_T_APPN }));
    }
  }

  private onClosed(session: Session): void {
    if (this.session !== session) return;
    this.session = null;
    this.clearEnquire();
    for (const fail of [...this.inFlight]) fail({ status: 'unknown', error: 'SMPP connection closed before the response' });
    if (this.stopped) {
      this.stateValue = 'disconnected';
      return;
    }
    this.stateValue = 'disconnected';
    const initial = this.options.initialBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(this.attempt, 16));
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }
}

function readSubmitResponse(response: PDU): SubmitOutcome {
  const code = response.command_status;
  if (response.command === 'generic_nack') return { status: 'rejected', permanent: false, code, error: 'generic_nack' };
  if (code === smpp.ESME_ROK && response.message_id) return { status: 'accepted', messageId: String(response.message_id) };
  if (RETRY_LATER.has(code)) return { status: 'throttled', code };
  return {
    status: 'rejected',
    permanent: PERMANENT_DESTINATION_ERRORS.has(code),
    code,
    error: `submit_sm refused with status 0x${code.toString(16)}`,
  };
}

function describe(outcome: SubmitOutcome): string {
  return 'error' in outcome ? outcome.error : outcome.status;
}

/** International numbers arrive without their '+'; put it back so they match E.164. */
function normaliseAddress(address: string, ton: number | undefined): string {
  return ton === 1 && /^\d+$/.test(address) ? `+${address}` : address;
}

export function parseSmppUrl(url: string): Endpoint {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'ssmpp:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : tls ? 3550 : 2775,
    tls,
    systemId: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}
