import type { Logger } from '../logging.js';

export interface PeriodicJob {
  name: string;
  run(now: Date): Promise<unknown>;
}

/**
 * Runs the time-driven alert work (overdue sweep, digests, weekly reports)
 * every `intervalMs`, one round at a time. Each job is safe to run on several
 * instances at once (their rows are claimed or keyed once), so every instance
 * with the admin role runs them.
 */
export class PeriodicJobs {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly jobs: PeriodicJob[],
    private readonly options: { intervalMs?: number; logger: Logger; now?: () => Date },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 30_000);
    this.timer.unref?.();
    void this.tick();
  }

  /** One round now (tests step it); a round already running is waited for instead. */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      const now = this.options.now?.() ?? new Date();
      for (const job of this.jobs) {
        try {
          await job.run(now);
        } catch (err) {
          this.options.logger.error({ err, job: job.name }, 'alert job failed; it runs again at the next round');
        }
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
