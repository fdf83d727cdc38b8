import type { UnansweredCall } from '../../core/leads/record-unanswered-call.js';
import type { Logger } from '../../core/logging.js';
import { AbandonTracker } from './abandon-tracker.js';
import type { AmiMessage } from './ami-headers.js';
import { toUnansweredCall } from './unanswered-call-mapping.js';

export const DEFAULT_GRACE_MS = 30_000;
const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000] as const;

export interface UnansweredCallListenerOptions {
  /** Writes the call (idempotently); the listener only decides when. */
  record: (call: UnansweredCall) => Promise<void>;
  logger: Logger;
  /**
   * How long to wait after an event before recording: AMI can report a call
   * before the IVR's own transaction for it commits, and the database check
   * that prevents a second task can only see committed rows.
   */
  graceMs?: number;
  /** Waits before each new try when recording fails (the database was down); then the call is given up, loudly. */
  retryDelaysMs?: readonly number[];
  tracker?: AbandonTracker;
  now?: () => Date;
}

interface Pending {
  call: UnansweredCall;
  timer: NodeJS.Timeout;
}

/**
 * Turns AMI events into recorded unanswered calls: maps each event, waits the
 * grace period, records, retries a failed write a few times. The same call
 * reported twice while it waits (a repeated event, the UserEvent and the
 * Hangup-based witness) is recorded once; later repeats are stopped by the
 * database check in the use case.
 */
export class UnansweredCallListener {
  private readonly pending = new Map<string, Pending>();
  private readonly running = new Set<Promise<void>>();
  private readonly tracker: AbandonTracker;
  private readonly graceMs: number;
  private readonly retryDelaysMs: readonly number[];
  private stopped = false;

  constructor(private readonly options: UnansweredCallListenerOptions) {
    this.tracker = options.tracker ?? new AbandonTracker();
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** Calls waiting for their grace period or a retry. */
  get waiting(): number {
    return this.pending.size;
  }

  handle(event: AmiMessage): void {
    if (this.stopped) return;
    const receivedAt = this.options.now?.() ?? new Date();
    // Every event goes past the tracker (it follows DialEnd/Hangup); the mapping reads the rest.
    const witnessed = this.tracker.observe(event, receivedAt);
    const call = toUnansweredCall(event, receivedAt) ?? witnessed;
    if (!call || this.pending.has(call.uniqueid)) return;
    this.options.logger.debug({ uniqueid: call.uniqueid, reason: call.reason }, 'unanswered call seen over AMI');
    this.schedule(call, this.graceMs, 0);
  }

  /**
   * Stops listening and records what is still waiting, at once: by the time the
   * app stops, the IVR has finished its calls, so the check sees its rows.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const entry of waiting) clearTimeout(entry.timer);
    await Promise.allSettled([...this.running, ...waiting.map((entry) => this.attempt(entry.call, this.retryDelaysMs.length))]);
  }

  private schedule(call: UnansweredCall, delayMs: number, tries: number): void {
    const timer = setTimeout(() => {
      this.pending.delete(call.uniqueid);
      const run = this.attempt(call, tries).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    this.pending.set(call.uniqueid, { call, timer });
  }

  private async attempt(call: UnansweredCall, tries: number): Promise<void> {
    try {
      await this.options.record(call);
    } catch (err) {
      const retryIn = this.retryDelaysMs[tries];
      const fields = { err, uniqueid: call.uniqueid, reason: call.reason, tries: tries + 1 };
      if (retryIn === undefined || this.stopped) {
        this.options.logger.error(fields, 'recording an unanswered call failed; given up: it is not on the callback list');
        return;
      }
      this.options.logger.warn(fields, 'recording an unanswered call failed; will retry');
      if (!this.pending.has(call.uniqueid)) this.schedule(call, retryIn, tries + 1);
    }
  }
}
