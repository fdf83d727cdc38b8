import { loadConfig } from '../../core/config/load-config.js';
import type { CheckResult } from './check.js';
import { runDoctorChecks } from './doctor-checks.js';

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

/** `mcr doctor`: every check on one line, a fix hint under each problem; exit 1 when any failed. */
export async function runDoctor(): Promise<number> {
  const config = loadConfig();
  const results = await runDoctorChecks(config);
  for (const result of results) {
    console.log(`[${MARK[result.status]}] ${result.name.padEnd(11)} ${result.detail}`);
    if (result.hint && result.status !== 'ok') console.log(`       ${''.padEnd(11)} fix: ${result.hint}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  console.log(failed === 0 ? '\nAll checks passed.' : `\n${failed} check(s) failed.`);
  return failed === 0 ? 0 : 1;
}
