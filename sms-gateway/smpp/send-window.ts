/**
 * At most `size` submit_sm written and not yet answered on one connection (the
 * SMPP "window"). Waiters are served in arrival order.
 */
export class SendWindow {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Resolves with the function that gives the slot back (calling it twice is harmless). */
  async acquire(): Promise<() => void> {
    if (this.used < this.size) this.used += 1;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
      if (next) next();
      else this.used -= 1;
    };
  }
}
