import { performance } from 'node:perf_hooks';

export interface SubmitPacerOptions {
  /** submit_sm per second at most; 0: no cap. */
  maxPerSecond: number;
  /** After a throttling answer, nothing is written for this long. */
  pauseMs: number;
  /** After a throttling answer the rate is halved; it doubles again after each such period without one. */
  recoveryMs: number;
}

/** A turn to write one submit_sm: say when it was written, or that it was not. */
export interface PacerTicket {
  wrote(atMs: number): void;
  cancel(): void;
}

const SECOND = 1000;

/**
 * Keeps one connection under its rate: at most `maxPerSecond` submit_sm
 * written in any one second, which is how carriers count. Turns are spaced
 * evenly, but the guarantee comes from counting real writes: a turn taken and
 * not yet used (its guard is still checking the database) counts as a write
 * now, so writes that bunch up after uneven database waits cannot exceed the
 * cap either. When the SMSC says ESME_RTHROTTLED / ESME_RMSGQFUL: a pause,
 * then half the rate, doubling back while the SMSC stays quiet.
 */
export class SubmitPacer {
  private rate: number;
  private nextAt = 0;
  private pausedUntil = 0;
  private recoverAt = 0;
  private lastThrottleAt = Number.NEGATIVE_INFINITY;
  /** Times of the writes in the last second, oldest first. */
  private readonly writes: number[] = [];
  /** Turns handed out and not yet written or cancelled. */
  private reserved = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: SubmitPacerOptions) {
    this.rate = options.maxPerSecond;
  }

  /** Writes per second allowed now; 0: no cap. */
  get currentRate(): number {
    return this.rate;
  }

  /** Waits for this connection's next turn to write a submit_sm. */
  async take(): Promise<PacerTicket> {
    for (;;) {
      const now = performance.now();
      this.recover(now);
      this.prune(now);
      const waitMs = this.waitMs(now);
      if (waitMs <= 0) {
        this.reserved += 1;
        this.nextAt = now + (this.rate > 0 ? SECOND / this.rate : 0);
        return this.ticket();
      }
      await this.sleep(waitMs);
    }
  }

  /** The SMSC answered "slow down". Several answers inside one pause count once. */
  throttled(): void {
    const now = performance.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + this.options.pauseMs);
    this.recoverAt = this.pausedUntil + this.options.recoveryMs;
    if (now - this.lastThrottleAt < this.options.pauseMs) return;
    this.lastThrottleAt = now;
    this.prune(now);
    const current = this.rate > 0 ? this.rate : Math.max(1, this.writes.length);
    this.rate = Math.max(1, Math.floor(current / 2));
  }

  private ticket(): PacerTicket {
    let used = false;
    const finish = (atMs: number | null) => {
      if (used) return;
      used = true;
      this.reserved -= 1;
      if (atMs !== null) {
        let i = this.writes.length;
        while (i > 0 && this.writes[i - 1]! > atMs) i--;
        this.writes.splice(i, 0, atMs);
      }
      this.wakeAll();
    };
    return { wrote: (atMs) => finish(atMs), cancel: () => finish(null) };
  }

  /** How long until a turn may be handed out; Infinity: until a taken turn is used or given back. */
  private waitMs(now: number): number {
    let wait = Math.max(this.pausedUntil - now, this.nextAt - now);
    if (this.rate > 0) {
      const excess = this.writes.length + this.reserved - this.rate + 1;
      if (excess > 0) {
        const agesOut = excess <= this.writes.length ? this.writes[excess - 1]! + SECOND - now : Number.POSITIVE_INFINITY;
        wait = Math.max(wait, agesOut, 0.001);
      }
    }
    return wait;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(1, Math.ceil(ms))) : null;
      const waiters = this.waiters;
      function done(): void {
        if (timer) clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private prune(now: number): void {
    while (this.writes.length > 0 && this.writes[0]! <= now - SECOND) this.writes.shift();
  }

  private recover(now: number): void {
    const max = this.options.maxPerSecond;
    if (this.rate === max || now < this.recoverAt) return;
    const doubled = this.rate * 2;
    // Without a cap, "back to normal" is no cap once the doubling has gone well past what we sent before.
    this.rate = max === 0 ? (doubled >= 1000 ? 0 : doubled) : Math.min(max, doubled);
    this.recoverAt = now + this.options.recoveryMs;
  }
}
