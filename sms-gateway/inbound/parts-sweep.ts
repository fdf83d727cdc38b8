import type { Logger } from '../../core/logging.js';
import type { ExpiredText, InboundProcessor } from './inbound-processor.js';

export interface PartsSweepOptions {
  /** How often to look for long texts past their time limit (default 15 s). */
  intervalMs?: number;
  logger: Logger;
  /** Told about each text closed incomplete, after it was acted on. */
  onExpired?: (text: ExpiredText) => void;
}

export interface PartsSweep {
  /** Stops the timer and waits for a sweep under way (call before the database closes). */
  stop(): Promise<void>;
}

/**
 * Runs `expireParts` on a timer. The first run waits one interval: after a
 * restart the SMSC first hands over the parts it kept while we were away,
 * and they should still find their text open. Runs never overlap.
 */
export function startPartsSweep(processor: InboundProcessor, options: PartsSweepOptions): PartsSweep {
  const intervalMs = options.intervalMs ?? 15_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = async () => {
    try {
      const expired = await processor.expireParts();
      for (const text of expired) {
        options.logger.info({ inboundId: text.inboundId, effect: text.effect }, 'long text closed at its time limit with parts missing');
        options.onExpired?.(text);
      }
    } catch (err) {
      options.logger.error({ err }, 'closing long texts past their time limit failed; next sweep retries');
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = sweep().finally(() => {
      running = null;
    });
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
