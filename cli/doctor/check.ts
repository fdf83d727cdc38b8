/** One line of `mcr doctor`: what was checked, how it went, and what to do about it. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'fail' | 'warn' | 'skip';
  detail: string;
  /** How to fix it, when it is not ok. */
  hint?: string;
}

/** Runs a check with a time limit; a thrown error is a failure with its message, never a crash. */
export async function runCheck(name: string, check: () => Promise<CheckResult>, timeoutMs = 8000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ name, status: 'fail', detail: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
      }),
    ]);
  } catch (err) {
    return { name, status: 'fail', detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
