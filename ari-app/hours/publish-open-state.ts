/**
 * Keeps Asterisk told whether each business is open, so the dialplan can
 * decide before ringing without the app being on every call's path.
 *
 * It tells everything again (setting a global is idempotent) now, at every
 * scheduled change, after every ARI (re)connect (an Asterisk restart or a
 * `dialplan reload` with clearglobalvars forgets runtime globals), whenever
 * the admin API changes hours, and at least every `refreshMs` (another
 * instance's admin may have changed them, and a timer may not run for weeks).
 */
import type { Database } from '../../core/db/database.js';
import { BusinessDid } from '../../core/entities/index.js';
import { loadAllOpeningRules } from '../../core/hours/hours-store.js';
import type { Logger } from '../../core/logging.js';
import type { GlobalVariables } from './global-variables.js';
import { planOpenState, type OpenStatePlan } from './open-state-plan.js';

/** Starts a timer and returns how to cancel it; injected so tests can run the clock their way. */
export type StartTimer = (fire: () => void, ms: number) => () => void;

export interface OpenStatePublisherOptions {
  db: Database;
  globals: GlobalVariables;
  logger: Logger;
  now?: () => Date;
  startTimer?: StartTimer;
  /** Longest wait between two publishes, whatever the schedule (default 5 minutes). */
  refreshMs?: number;
  /** Wait before trying again after Asterisk or the database failed (default 10 s). */
  retryMs?: number;
}

const realTimer: StartTimer = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export class OpenStatePublisher {
  private readonly now: () => Date;
  private readonly startTimer: StartTimer;
  private readonly refreshMs: number;
  private readonly retryMs: number;
  /** What Asterisk was last told, so numbers that leave can be removed. */
  private readonly told = new Map<string, string>();
  private pending = false;
  private running: Promise<void> | null = null;
  private cancelTimer: (() => void) | null = null;
  /** The change instant a firing timer was set for: never judge a change before it (timers may fire a hair early). */
  private dueAt: number | null = null;
  private nextChange: Date | null = null;
  private stopped = false;

  constructor(private readonly options: OpenStatePublisherOptions) {
    this.now = options.now ?? (() => new Date());
    this.startTimer = options.startTimer ?? realTimer;
    this.refreshMs = options.refreshMs ?? 5 * 60_000;
    this.retryMs = options.retryMs ?? 10_000;
  }

  /** What Asterisk was last told, by variable name. */
  get published(): ReadonlyMap<string, string> {
    return this.told;
  }

  /** When the next value flips (null when none ever does, or nothing was computed yet). */
  get nextChangeAt(): Date | null {
    return this.nextChange;
  }

  start(): void {
    void this.publishNow('start');
  }

  /**
   * Publishes soon, from fresh data. Calls during a publish coalesce into one
   * more round; the promise settles once a round that started after this call
   * has finished (it never rejects: failures are logged and retried).
   */
  publishNow(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.options.logger.debug({ reason }, 'publishing open/closed to Asterisk');
    this.pending = true;
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.stopped) {
      this.pending = false;
      await this.publishOnce();
    }
  }

  private async publishOnce(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    const at = new Date(Math.max(this.now().getTime(), this.dueAt ?? -Infinity));
    this.dueAt = null;
    let plan: OpenStatePlan;
    try {
      const em = this.options.db.fork();
      plan = planOpenState(await loadAllOpeningRules(em, at), await em.find(BusinessDid, {}), at);
    } catch (err) {
      this.options.logger.error({ err }, 'could not read opening hours; will try again');
      this.schedule(null, true);
      return;
    }
    for (const problem of plan.problems) this.options.logger.error({ problem }, 'opening hours left out of what Asterisk is told');
    const failed = await this.tell(plan.values);
    this.nextChange = plan.nextChangeAt;
    this.schedule(plan.nextChangeAt, failed);
  }

  /** Sets every value and removes the ones no longer wanted; true when any request failed. */
  private async tell(values: Map<string, string>): Promise<boolean> {
    const { globals, logger } = this.options;
    let failures = 0;
    let lastError: unknown;
    const wanted: [string, string | null][] = [...values];
    for (const name of this.told.keys()) if (!values.has(name)) wanted.push([name, null]);
    for (const [name, value] of wanted) {
      if (this.stopped) return false;
      try {
        await globals.set(name, value);
        if (this.told.get(name) !== (value ?? undefined)) logger.info({ variable: name, value }, 'told Asterisk the open state');
        if (value === null) this.told.delete(name);
        else this.told.set(name, value);
      } catch (err) {
        failures += 1;
        lastError = err;
      }
    }
    if (failures > 0) {
      // One line, not one per number: while Asterisk is down they would all fail alike.
      logger.warn({ failures, err: lastError }, 'could not tell Asterisk the open state; will retry (and again after ARI reconnects)');
    }
    return failures > 0;
  }

  private schedule(change: Date | null, retrySoon: boolean): void {
    if (this.stopped) return;
    const nowMs = this.now().getTime();
    const untilChange = change ? Math.max(0, change.getTime() - nowMs) : Infinity;
    const wait = Math.min(untilChange, this.refreshMs, retrySoon ? this.retryMs : Infinity);
    const forChange = wait === untilChange && change ? change.getTime() : null;
    this.cancelTimer = this.startTimer(() => {
      this.cancelTimer = null;
      this.dueAt = forChange;
      void this.publishNow(forChange === null ? 'refresh' : 'scheduled change');
    }, wait);
  }
}
