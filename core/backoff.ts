/**
 * How long to wait before reconnection attempt number `attempt` (0 first):
 * exponential from `initialMs`, capped at `maxMs`, with "equal jitter" (half
 * fixed, half random) so a fleet of instances does not reconnect in lockstep
 * after a PBX or SMSC restart.
 */
export function reconnectDelayMs(attempt: number, initialMs = 500, maxMs = 30_000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 16));
  return base / 2 + random() * (base / 2);
}
