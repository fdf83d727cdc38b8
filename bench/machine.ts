import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  cpu_mhz: number;
  memory_gb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews every figure. */
  load_avg_start: number;
  load_avg_end: number;
}

/** The machine, read at the start of the run (the end's load average is filled in later). */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpu_mhz: cpus[0]?.speed || cpuMhzFromProc(),
    memory_gb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    load_avg_start: loadAverage(),
    load_avg_end: loadAverage(),
  };
}

export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}

/** Virtual machines often report 0 MHz through os.cpus(); /proc/cpuinfo still knows. */
function cpuMhzFromProc(): number {
  try {
    const match = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match ? Math.round(Number(match[1])) : 0;
  } catch {
    return 0;
  }
}
