import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Usage } from './protocol.js';

const MB = 1024 * 1024;

/**
 * Samples this process's resident memory every `everyMs` (the peak between two
 * reads is what a phase reports) and keeps CPU time and event-loop delay since
 * the last reset. Its timer is unref'd: it never keeps the process alive.
 */
export class UsageSampler {
  private peakRss = 0;
  private cpuMark = process.cpuUsage();
  private timeMark = performance.now();
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 50) {
    this.loop.enable();
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs).unref();
  }

  read(reset: boolean): Usage {
    this.sample();
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage(this.cpuMark);
    const intervalMs = performance.now() - this.timeMark;
    const usage: Usage = {
      rssMb: round(memory.rss / MB),
      rssPeakMb: round(this.peakRss / MB),
      heapUsedMb: round(memory.heapUsed / MB),
      cpuCores: intervalMs > 0 ? round((cpu.user + cpu.system) / 1000 / intervalMs, 2) : 0,
      loopDelayP99Ms: round(this.loop.percentile(99) / 1e6, 2),
      loopDelayMaxMs: round(this.loop.max / 1e6, 2),
      intervalMs: Math.round(intervalMs),
    };
    if (reset) {
      this.peakRss = memory.rss;
      this.cpuMark = process.cpuUsage();
      this.timeMark = performance.now();
      this.loop.reset();
    }
    return usage;
  }

  stop(): void {
    clearInterval(this.timer);
    this.loop.disable();
  }

  private sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
