import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp, { type PduOptions, type Server } from 'smpp';
import { encodeText, fitsDefaultAlphabet } from './decode.js';
import { createDeliveryQueue, type DeliveryQueue } from './deliveries.js';
import { buildReceipt, wantsSuccessReceipt } from './receipts.js';
import { attachSession, type SessionHost, type SessionState } from './sessions.js';
import type {
  BoundSession,
  DeliverOptions,
  DeliverResponse,
  FakeSmsc,
  FakeSmscEvents,
  FakeSmscOptions,
  MobileOriginated,
  ReceiptPlan,
  ReceiptStat,
  RefusedSubmit,
  StallScope,
  SubmittedMessage,
} from './types.js';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_TIMEOUT_MS = 5000;
const MAX_SHORT_MESSAGE = 254;

/** A fake SMSC (on 127.0.0.1 unless told otherwise) speaking SMPP through `smpp.createServer`. */
export async function createFakeSmsc(options: FakeSmscOptions = {}): Promise<FakeSmsc> {
  const fake = new FakeSmscServer(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

class FakeSmscServer implements FakeSmsc {
  readonly host: string;
  readonly systemId: string;
  readonly password: string;
  readonly submitted: SubmittedMessage[] = [];
  readonly deliverResponses: DeliverResponse[] = [];
  readonly sessionErrors: Error[] = [];
  enquireLinks = 0;
  stalledSubmits = 0;
  maxOutstandingSubmits = 0;
  readonly refusedSubmits: RefusedSubmit[] = [];

  private readonly receiptDelayMs: number | null;
  /** Untyped inside; `on`/`off`/`emit` below give the types. */
  private readonly events = new EventEmitter();
  private readonly closeSignal = new EventEmitter<{ close: [] }>();
  private readonly server: Server;
  private readonly states = new Map<number, SessionState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deliveries: DeliveryQueue;
  private readonly host_: SessionHost;
  private readonly idPrefix = randomBytes(4).toString('hex');
  private nextSessionId = 0;
  private nextMessageSerial = 0;
  private stallScope: StallScope | null = null;
  private submitStatus: number | null = null;
  private submitDelay = 0;
  private receiptPlan: ReceiptPlan | null = null;
  private closing = false;
  private boundPort = 0;

  constructor(options: FakeSmscOptions) {
    this.host = options.host ?? DEFAULT_HOST;
    this.systemId = options.systemId ?? 'mcr';
    this.password = options.password ?? 'secret';
    this.receiptDelayMs = options.receiptDelayMs === undefined ? 20 : options.receiptDelayMs;
    const alphabet = options.defaultAlphabet ?? 'latin1';

    this.deliveries = createDeliveryQueue({
      receivers: () => [...this.states.values()].filter((s) => s.mode === 'receiver' || s.mode === 'transceiver'),
      recordResponse: (response) => {
        this.deliverResponses.push(response);
        this.emit('deliver_resp', response);
      },
    });

    this.host_ = {
      systemId: this.systemId,
      password: this.password,
      alphabet,
      stall: () => this.stallScope,
      submitStatus: () => this.submitStatus,
      nextMessageId: () => this.idPrefix + (++this.nextMessageSerial).toString(16).padStart(6, '0'),
      submitDelayMs: () => this.submitDelay,
      onSubmitAnswered: (message) => this.scheduleReceipt(message),
      onSubmitRefused: (state, status, receivedAtPerf) => {
        this.refusedSubmits.push({ sessionId: state.id, status, receivedAtPerf });
      },
      onOutstanding: (state) => {
        this.maxOutstandingSubmits = Math.max(this.maxOutstandingSubmits, state.outstanding);
      },
      onBound: (state) => {
        this.emit('bind', toBound(state));
        if (state.mode !== 'transmitter') this.deliveries.onReceiverBound(state);
      },
      onSubmit: (message) => this.onSubmit(message),
      onEnquireLink: () => {
        this.enquireLinks++;
      },
      onStalledSubmit: () => {
        this.stalledSubmits++;
      },
      onClosed: (state) => {
        this.states.delete(state.id);
        this.deliveries.onSessionClosed(state.id);
        this.emit('session_close', state.id);
      },
      onError: (error) => {
        this.sessionErrors.push(error);
      },
    };

    this.server = smpp.createServer((session) => {
      const id = ++this.nextSessionId;
      this.states.set(id, attachSession(session, id, this.host_));
    });
    // Errors after listen (none expected) must not be uncaught.
    this.server.on('error', (error) => {
      this.sessionErrors.push(error);
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `smpp://${encodeURIComponent(this.systemId)}:${encodeURIComponent(this.password)}@${this.host}:${this.boundPort}`;
  }

  get sessions(): number {
    return this.states.size;
  }

  get bound(): BoundSession[] {
    return [...this.states.values()].filter((s) => s.mode !== null).map(toBound);
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  get outstandingSubmits(): number {
    return [...this.states.values()].reduce((sum, s) => sum + s.outstanding, 0);
  }

  private onSubmit(message: SubmittedMessage): void {
    this.submitted.push(message);
    this.emit('submit', message);
  }

  /** The automatic receipt, once the submit_sm_resp is out: the plan's, or DELIVRD after receiptDelayMs. */
  private scheduleReceipt(message: SubmittedMessage): void {
    if (this.closing) return;
    const plan = this.receiptPlan
      ? this.receiptPlan(message)
      : this.receiptDelayMs === null
        ? null
        : { stat: 'DELIVRD' as const, delayMs: this.receiptDelayMs };
    if (!plan || (message.registeredDelivery & 0x03) === 0) return;
    if (plan.stat === 'DELIVRD' && !wantsSuccessReceipt(message.registeredDelivery)) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.deliverReceipt(message, plan.stat, plan.err ?? '000', null).catch(() => {
        // Only rejected when the fake closes first.
      });
    }, plan.delayMs);
    this.timers.add(timer);
  }

  private deliverReceipt(message: SubmittedMessage, stat: ReceiptStat, err: string, timeoutMs: number | null): Promise<number> {
    return this.deliveries.deliver({
      kind: 'receipt',
      messageId: message.messageId,
      fanOut: false,
      preferredSessionId: message.sessionId,
      timeoutMs,
      build: (): PduOptions => {
        const receipt = buildReceipt(message, stat, err);
        return {
          source_addr_ton: message.destTon,
          source_addr_npi: message.destNpi,
          source_addr: message.to,
          dest_addr_ton: message.sourceTon,
          dest_addr_npi: message.sourceNpi,
          destination_addr: message.from,
          esm_class: smpp.ESM_CLASS.MC_DELIVERY_RECEIPT,
          data_coding: 0,
          short_message: Buffer.from(receipt.text, 'latin1'),
          receipted_message_id: message.messageId,
          message_state: receipt.messageState,
        };
      },
    });
  }

  sendReceipt(messageId: string, stat: ReceiptStat = 'DELIVRD', options: DeliverOptions & { err?: string } = {}): Promise<number> {
    const message = this.submitted.find((m) => m.messageId === messageId);
    if (!message) return Promise.reject(new Error(`fake SMSC: no submitted message ${messageId}`));
    return this.deliverReceipt(message, stat, options.err ?? '000', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  sendMo(mo: MobileOriginated, options: DeliverOptions = {}): Promise<number> {
    const alphabet = this.host_.alphabet;
    const dataCoding = mo.dataCoding ?? (fitsDefaultAlphabet(mo.text, alphabet) ? 0 : 8);
    const body = encodeText(mo.text, dataCoding, alphabet);
    const bytes = mo.udh ? Buffer.concat([mo.udh, body]) : body;
    return this.deliveries.deliver({
      kind: 'mo',
      fanOut: true,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      build: (): PduOptions => ({
        ...addressOf('source', mo.from),
        ...addressOf('dest', mo.to),
        esm_class: mo.udh ? smpp.ESM_CLASS.UDH_INDICATOR : 0,
        data_coding: dataCoding,
        ...(mo.sar
          ? { sar_msg_ref_num: mo.sar.reference, sar_total_segments: mo.sar.total, sar_segment_seqnum: mo.sar.seq }
          : {}),
        ...(bytes.length <= MAX_SHORT_MESSAGE
          ? { short_message: bytes }
          : { short_message: Buffer.alloc(0), message_payload: bytes }),
      }),
    });
  }

  waitForSubmit(predicate: (message: SubmittedMessage) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SubmittedMessage> {
    const found = this.submitted.find(predicate);
    if (found) return Promise.resolve(found);
    return this.waitFor('submit', predicate, timeoutMs, 'a matching submit_sm');
  }

  waitForBind(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<BoundSession> {
    const first = this.bound[0];
    if (first) return Promise.resolve(first);
    return this.waitFor('bind', () => true, timeoutMs, 'a bind');
  }

  private waitFor<K extends 'submit' | 'bind'>(
    event: K,
    predicate: (...args: FakeSmscEvents[K]) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<FakeSmscEvents[K][0]> {
    return new Promise((resolve, reject) => {
      const listener = (...args: FakeSmscEvents[K]): void => {
        if (!predicate(...args)) return;
        cleanup();
        resolve(args[0]);
      };
      const onClose = (): void => {
        cleanup();
        reject(new Error(`fake SMSC closed while waiting for ${what}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake SMSC: no ${what} within ${timeoutMs} ms (${this.submitted.length} submitted so far)`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off(event, listener);
        this.closeSignal.off('close', onClose);
      };
      this.events.on(event, listener);
      this.closeSignal.once('close', onClose);
    });
  }

  private emit<K extends keyof FakeSmscEvents>(event: K, ...args: FakeSmscEvents[K]): void {
    this.events.emit(event, ...args);
  }

  on<K extends keyof FakeSmscEvents>(event: K, listener: (...args: FakeSmscEvents[K]) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off<K extends keyof FakeSmscEvents>(event: K, listener: (...args: FakeSmscEvents[K]) => void): this {
    this.events.off(event, listener);
    return this;
  }

  async dropConnections(): Promise<void> {
    await Promise.all(
      [...this.states.values()].map((state) => new Promise<void>((resolve) => state.session.destroy(resolve))),
    );
  }

  setThrottle(on: boolean): void {
    this.submitStatus = on ? smpp.ESME_RTHROTTLED : null;
  }

  setSubmitError(status: number | null): void {
    this.submitStatus = status;
  }

  setStall(on: boolean, scope: StallScope = 'submit'): void {
    this.stallScope = on ? scope : null;
  }

  setSubmitDelay(ms: number): void {
    this.submitDelay = ms;
  }

  resetMaxOutstanding(): void {
    this.maxOutstandingSubmits = Math.max(0, ...[...this.states.values()].map((s) => s.outstanding));
  }

  setReceiptPlan(plan: ReceiptPlan | null): void {
    this.receiptPlan = plan;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.deliveries.closeAll(new Error('fake SMSC closed'));
    this.closeSignal.emit('close');
    await this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function toBound(state: SessionState): BoundSession {
  return { sessionId: state.id, systemId: state.systemId ?? '', mode: state.mode ?? 'transceiver' };
}

/** Numeric addresses as international/ISDN (without '+'), anything else alphanumeric. */
function addressOf(side: 'source' | 'dest', address: string): PduOptions {
  const numeric = /^\+?\d+$/.test(address);
  const ton = numeric ? smpp.TON.INTERNATIONAL : smpp.TON.ALPHANUMERIC;
  const npi = numeric ? smpp.NPI.ISDN : smpp.NPI.UNKNOWN;
  const addr = numeric ? address.replace(/^\+/, '') : address;
  return side === 'source'
    ? { source_addr_ton: ton, source_addr_npi: npi, source_addr: addr }
    : { dest_addr_ton: ton, dest_addr_npi: npi, destination_addr: addr };
}
