import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../core/backoff.js';

describe('reconnect backoff', () => {
  it('when attempts go on, then the delay doubles up to the cap and keeps half of it fixed', () => {
    expect(reconnectDelayMs(0, 500, 30_000, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, 500, 30_000, () => 1)).toBe(500);
    expect(reconnectDelayMs(3, 500, 30_000, () => 0)).toBe(2000);
    expect(reconnectDelayMs(50, 500, 30_000, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(50, 500, 30_000, () => 0)).toBe(15_000);
  });
});
