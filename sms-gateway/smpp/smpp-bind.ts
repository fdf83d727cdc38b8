import smpp, { type PDU, type PduOptions, type Session } from 'smpp';
import type { Logger } from '../../core/logging.js';
import type { ReceivedDeliverSm } from '../inbound/inbound-journal.js';
import type { TransportState } from '../sms-transport.js';
import { readDeliverSm } from './read-deliver-sm.js';
import { readSubmitResponse, type PduOutcome } from './submit-response.js';
import type { SmppEndpoint } from './smpp-url.js';

export type BindRole = 'transceiver' | 'transmitter' | 'receiver';

export interface SmppBindOptions {
  endpoint: SmppEndpoint;
  role: BindRole;
  logger: Logger;
  systemType: string;
  /** Must save the PDU durably; deliver_sm_resp is sent only after it resolves. */
  onDeliver: (pdu: ReceivedDeliverSm) => Promise<void>;
  enquireLinkMs: number;
  /** How long a written request (submit_sm, bind, enquire_link) may go unanswered. */
  responseTimeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

const BIND_COMMAND = { transceiver: 'bind_transceiver', transmitter: 'bind_transmitter', receiver: 'bind_receiver' } as const;
/** Requests we answer ourselves; anything else the SMSC sends gets an "invalid command" answer. */
const HANDLED_REQUESTS = new Set<string>(['deliver_sm', 'enquire_link', 'unbind']);

/**
 * One SMPP bind that stays up: binds (with a time limit), keeps the link alive
 * with its own timed enquire_link (the library's does not check answers),
 * rebinds forever with capped jittered backoff, times out submits itself (the
 * library has no timeouts) and acknowledges a deliver_sm only once it is saved.
 *
 * A submit_sm left unanswered past the time limit on a link that still answers
 * enquire_link means the SMSC is wedged: the bind stops taking new submits,
 * lets the others finish, then rebinds.
 */
export class SmppBind {
  private stateValue: TransportState = 'disconnected';
  private session: Session | null = null;
  private stopped = true;
  private draining = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private enquireDeadline: NodeJS.Timeout | null = null;
  /** Submits written and waiting for their response; each is settled on close. */
  private readonly inFlight = new Set<(outcome: PduOutcome) => void>();
  private readonly stateListeners = new Set<() => void>();

  constructor(private readonly options: SmppBindOptions) {}

  get state(): TransportState {
    return this.stateValue;
  }

  get role(): BindRole {
    return this.options.role;
  }

  /** Bound, able to send, and not draining after a lost response. */
  get canWrite(): boolean {
    return this.stateValue === 'bound' && !this.draining && this.options.role !== 'receiver';
  }

  /** Told whenever the state changes. */
  onStateChange(listener: () => void): void {
    this.stateListeners.add(listener);
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
      this.setState('disconnected');
      return;
    }
    this.setState('closing');
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
    this.setState('disconnected');
  }

  /**
   * Hands one submit_sm to the socket now, synchronously (callers rely on
   * that: the write happens inside their guard), and resolves with what came
   * of it. Once handed over, "no answer" is `unknown`, never `not_sent`: the
   * bytes may be on their way.
   */
  writeSubmit(fields: PduOptions): Promise<PduOutcome> {
    const session = this.session;
    if (!session || !this.canWrite) return Promise.resolve({ status: 'not_sent', error: 'SMPP not bound' });
    return new Promise<PduOutcome>((resolve) => {
      const finish = (outcome: PduOutcome) => {
        clearTimeout(timer);
        if (!this.inFlight.delete(finish)) return;
        resolve(outcome);
        if (this.draining && this.inFlight.size === 0 && this.session === session) session.destroy();
      };
      const timer = setTimeout(() => {
        this.startDraining(session, 'a submit_sm went unanswered');
        finish({ status: 'unknown', error: `no submit_sm_resp within ${this.options.responseTimeoutMs} ms` });
      }, this.options.responseTimeoutMs);
      this.inFlight.add(finish);
      let handed: boolean;
      try {
        handed = session.submit_sm(fields, (response: PDU) => finish(readSubmitResponse(response)));
      } catch (err) {
        finish({ status: 'rejected', permanent: true, code: -1, error: `cannot encode: ${(err as Error).message}` });
        return;
      }
      if (!handed) finish({ status: 'not_sent', error: 'SMPP socket not writable' });
    });
  }

  private setState(state: TransportState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener();
  }

  private startDraining(session: Session, why: string): void {
    if (this.draining || this.session !== session) return;
    this.draining = true;
    this.options.logger.warn({ role: this.options.role }, `${why}: no new submits on this bind, rebinding once the others are answered`);
    this.setState('connecting');
  }

  private connect(): void {
    if (this.stopped) return;
    this.draining = false;
    this.setState('connecting');
    const { host, port, tls } = this.options.endpoint;
    const session = smpp.connect({ host, port, tls });
    this.session = session;
    session.on('error', (err: Error) => {
      this.options.logger.warn({ err: err.message, role: this.options.role }, 'SMPP connection error');
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
    session.on('pdu', (pdu: PDU) => {
      if (pdu.isResponse() || HANDLED_REQUESTS.has(pdu.command) || !(`${pdu.command}_resp` in smpp.commands)) return;
      session.send(pdu.response({ command_status: smpp.ESME_RINVCMDID }));
    });
  }

  private bind(session: Session): void {
    const { systemId, password } = this.options.endpoint;
    const command = BIND_COMMAND[this.options.role];
    // A bind_resp that never comes would leave us "connecting" for ever.
    const deadline = setTimeout(() => {
      this.options.logger.warn({ role: this.options.role }, 'SMPP bind not answered in time; reconnecting');
      session.destroy();
    }, this.options.responseTimeoutMs);
    session.once('close', () => clearTimeout(deadline));
    session[command]({ system_id: systemId, password, system_type: this.options.systemType }, (response: PDU) => {
      clearTimeout(deadline);
      if (response.command_status !== smpp.ESME_ROK) {
        this.options.logger.error({ status: response.command_status }, 'SMPP bind refused (check the SMPP URL credentials)');
        session.close();
        return;
      }
      if (this.session !== session || this.stopped) return;
      this.attempt = 0;
      this.setState('bound');
      this.options.logger.info({ role: this.options.role }, `SMPP bound as ${this.options.role}`);
      this.scheduleEnquire(session);
    });
  }

  /** Our own keepalive: an unanswered enquire_link means a dead peer, whatever TCP thinks. */
  private scheduleEnquire(session: Session): void {
    this.clearEnquire();
    const interval = this.options.enquireLinkMs;
    this.enquireTimer = setTimeout(() => {
      this.enquireDeadline = setTimeout(
        () => {
          this.options.logger.warn({ role: this.options.role }, 'SMPP peer did not answer enquire_link; reconnecting');
          session.destroy();
        },
        Math.min(interval, this.options.responseTimeoutMs),
      );
      const sent = session.enquire_link(() => {
        if (this.enquireDeadline) clearTimeout(this.enquireDeadline);
        if (this.session === session && !this.stopped) this.scheduleEnquire(session);
      });
      if (!sent && this.enquireDeadline) clearTimeout(this.enquireDeadline);
    }, interval);
  }

  private clearEnquire(): void {
    if (this.enquireTimer) clearTimeout(this.enquireTimer);
    if (this.enquireDeadline) clearTimeout(this.enquireDeadline);
    this.enquireTimer = null;
    this.enquireDeadline = null;
  }

  private async onDeliverSm(session: Session, pdu: PDU): Promise<void> {
    try {
      await this.options.onDeliver(readDeliverSm(pdu));
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
    this.draining = false;
    this.setState('disconnected');
    if (this.stopped) return;
    const initial = this.options.initialBackoffMs;
    const base = Math.min(this.options.maxBackoffMs, initial * 2 ** Math.min(this.attempt, 16));
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }
}
