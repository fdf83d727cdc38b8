export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

/** Nearest-rank percentiles over every sample (none dropped). */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p99: 0, max: 0, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: round(rank(50)), p99: round(rank(99)), max: round(sorted.at(-1)!), n: sorted.length };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
