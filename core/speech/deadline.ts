import { SpeechTimeoutError } from './speech-errors.js';

/**
 * One signal that fires on the caller's abort (hang-up) or when the time is up,
 * whichever comes first. Written out rather than `AbortSignal.any`, which only
 * exists from Node 20.3; `dispose` clears the timer so nothing outlives the call.
 */
export function deadlineSignal(engine: string, timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new SpeechTimeoutError(engine, timeoutMs)), timeoutMs);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
