import { performance } from 'node:perf_hooks';
import type { PduOptions } from 'smpp';
import type { SmppConnectionConfig } from '../../core/config/smpp-settings.js';
import type { Logger } from '../../core/logging.js';
import type { ReceivedDeliverSm } from '../inbound/inbound-journal.js';
import type { AcceptedPart, GuardVerdict, OutboundSms, PartRef, SubmitOutcome, TransportState, WriteGuard } from '../sms-transport.js';
import { SendWindow } from './send-window.js';
import { SmppBind, type BindRole } from './smpp-bind.js';
import { parseSmppUrl } from './smpp-url.js';
import { SubmitPacer } from './submit-pacer.js';
import { submitFields } from './submit-fields.js';
import type { PduOutcome } from './submit-response.js';

/** Timings; tests shorten them. */
export interface SmppTuning {
  enquireLinkMs?: number;
  /** A written submit_sm unanswered this long is `unknown` (and the bind rebinds). */
  responseTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Nothing written for this long after ESME_RTHROTTLED / ESME_RMSGQFUL. */
  throttlePauseMs?: number;
  /** The halved rate doubles back after each such quiet period. */
  throttleRecoveryMs?: number;
  /** A later part of a long text that is throttled is tried again this many times before the text is `unknown`. */
  partRetries?: number;
}

export interface SmppConnectionOptions {
  config: SmppConnectionConfig;
  logger: Logger;
  /** Must save the PDU durably; deliver_sm_resp is sent only after it resolves. */
  onDeliver: (pdu: ReceivedDeliverSm) => Promise<void>;
  tuning?: SmppTuning;
}

/** Writes without asking anyone: for callers with nothing to re-check (tools, tests). */
const writeUnguarded: WriteGuard = async (_part, write) => {
  write();
  return { go: true };
};

type PartResult = { kind: 'held'; reason: string; until?: Date } | { kind: 'done'; outcome: PduOutcome };

/**
 * One SMSC account: a transceiver bind, or a transmitter bind to send and a
 * receiver bind to receive. Sends through a window (at most N submit_sm
 * unanswered) at a paced rate, the parts of a long text one after another, and
 * keeps every part's message id so receipts can be matched part by part.
 */
export class SmppConnection {
  readonly name: string;
  private readonly binds: SmppBind[];
  private readonly sender: SmppBind;
  private readonly sendWindow: SendWindow;
  private readonly pacer: SubmitPacer;
  private readonly partRetries: number;
  private reference = Math.floor(Math.random() * 0x10000);

  constructor(private readonly options: SmppConnectionOptions) {
    const { config, tuning } = options;
    this.name = config.name;
    const endpoint = parseSmppUrl(config.url);
    const roles: BindRole[] = config.bind === 'split' ? ['transmitter', 'receiver'] : ['transceiver'];
    this.binds = roles.map(
      (role) =>
        new SmppBind({
          endpoint,
          role,
          logger: options.logger.child({ connection: config.name }),
          systemType: config.systemType,
          onDeliver: options.onDeliver,
          enquireLinkMs: tuning?.enquireLinkMs ?? 30_000,
          responseTimeoutMs: tuning?.responseTimeoutMs ?? 10_000,
          initialBackoffMs: tuning?.initialBackoffMs ?? 500,
          maxBackoffMs: tuning?.maxBackoffMs ?? 30_000,
        }),
    );
    this.sender = this.binds[0]!;
    this.sendWindow = new SendWindow(config.window);
    this.pacer = new SubmitPacer({
      maxPerSecond: config.maxPerSecond,
      pauseMs: tuning?.throttlePauseMs ?? 1000,
      recoveryMs: tuning?.throttleRecoveryMs ?? 10_000,
    });
    this.partRetries = tuning?.partRetries ?? 5;
  }

  /** `bound` only when every bind is (both of a split pair). */
  get state(): TransportState {
    const states = this.binds.map((b) => b.state);
    if (states.every((s) => s === 'bound')) return 'bound';
    if (states.includes('closing')) return 'closing';
    if (states.some((s) => s === 'connecting' || s === 'bound')) return 'connecting';
    return 'disconnected';
  }

  /** The sending bind can take a submit_sm now. */
  get ready(): boolean {
    return this.sender.canWrite;
  }

  get window(): number {
    return this.sendWindow.size;
  }

  /** submit_sm written and unanswered, or about to be written, right now. */
  get outstanding(): number {
    return this.sendWindow.inUse;
  }

  /** submit_sm per second allowed now (0: no cap); lower than configured after throttling. */
  get currentRate(): number {
    return this.pacer.currentRate;
  }

  start(): void {
    for (const bind of this.binds) bind.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.binds.map((b) => b.stop()));
  }

  /**
   * Sends every part of a text, in order. Only the first part may come back
   * as "safe to retry" (throttled, not sent, held): once a part has been taken,
   * the text is never offered for resending, whatever happens to the rest.
   */
  async submit(sms: OutboundSms, guard: WriteGuard = writeUnguarded): Promise<SubmitOutcome> {
    if (!this.ready) return { status: 'not_sent', error: `SMPP connection ${this.name} not bound` };
    this.reference = (this.reference + 1) & 0xffff;
    let pdus: PduOptions[];
    try {
      pdus = submitFields(sms, this.options.config.concatenation, this.reference);
    } catch (err) {
      // Too long to concatenate: no SMSC will ever take it, and nothing was written.
      return { status: 'rejected', permanent: true, code: -1, error: `cannot encode: ${err instanceof Error ? err.message : String(err)}` };
    }
    const total = pdus.length;
    const parts: AcceptedPart[] = [];
    for (const [index, fields] of pdus.entries()) {
      const ref: PartRef = { seq: index + 1, total };
      for (let throttles = 0; ; throttles++) {
        const result = await this.submitPart(fields, ref, guard);
        if (result.kind === 'held') {
          if (parts.length === 0) return { status: 'held', reason: result.reason, ...(result.until ? { until: result.until } : {}) };
          return this.partial(parts, `held (${result.reason}) before part ${ref.seq} of ${total}`);
        }
        const outcome = result.outcome;
        if (outcome.status === 'accepted') {
          parts.push({ ...ref, messageId: outcome.messageId });
          break;
        }
        if (parts.length === 0) return outcome.status === 'unknown' ? { ...outcome, parts: [], connection: this.name } : outcome;
        // Earlier parts are at the SMSC: a throttled later part waits for the pacer and goes again.
        if (outcome.status === 'throttled' && throttles < this.partRetries) continue;
        return this.partial(parts, `part ${ref.seq} of ${total}: ${describe(outcome)}`);
      }
    }
    return { status: 'accepted', messageId: parts[0]!.messageId, parts, connection: this.name };
  }

  private partial(parts: AcceptedPart[], error: string): SubmitOutcome {
    return { status: 'unknown', error, parts, connection: this.name };
  }

  /** One PDU: a window slot, the pacer's turn, then the guard decides and writes. */
  private async submitPart(fields: PduOptions, ref: PartRef, guard: WriteGuard): Promise<PartResult> {
    const release = await this.sendWindow.acquire();
    const turn = await this.pacer.take();
    // The write must happen inside the guard's call; we keep what it wrote so that a
    // guard failing after the write (a commit error) cannot make a sent PDU look unsent.
    const attempt: { written?: Promise<PduOutcome>; at?: number } = {};
    // The pacer counts the write at the moment it happened, as soon as the guard is done.
    const useTurn = () => (attempt.at === undefined ? turn.cancel() : turn.wrote(attempt.at));
    try {
      const bind = this.sender;
      if (!bind.canWrite) return done({ status: 'not_sent', error: `SMPP connection ${this.name} not bound` });
      const write = () => {
        if (attempt.written !== undefined) return;
        attempt.at = performance.now();
        attempt.written = bind.writeSubmit({ ...fields });
      };
      let verdict: GuardVerdict;
      try {
        verdict = await guard(ref, write);
      } catch (err) {
        useTurn();
        if (attempt.written) return done(await this.settle(attempt.written));
        return done({ status: 'not_sent', error: `guard failed: ${err instanceof Error ? err.message : String(err)}` });
      }
      useTurn();
      if (attempt.written) return done(await this.settle(attempt.written));
      if (!verdict.go) return { kind: 'held', reason: verdict.reason, ...(verdict.until ? { until: verdict.until } : {}) };
      return done({ status: 'not_sent', error: 'the guard wrote nothing' });
    } finally {
      useTurn();
      release();
    }
  }

  private async settle(written: Promise<PduOutcome>): Promise<PduOutcome> {
    const outcome = await written;
    if (outcome.status === 'throttled') {
      this.pacer.throttled();
      this.options.logger.warn(
        { connection: this.name, code: outcome.code, rate: this.pacer.currentRate },
        'SMSC asked us to slow down; pausing and halving the rate',
      );
    }
    return outcome;
  }
}

function done(outcome: PduOutcome): PartResult {
  return { kind: 'done', outcome };
}

function describe(outcome: PduOutcome): string {
  return 'error' in outcome
    ? outcome.error
    : outcome.status === 'throttled'
      ? `throttled (0x${outcome.code.toString(16)})`
      : outcome.status;
}
