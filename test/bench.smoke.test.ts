import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Figure {
  p50: number;
  p99: number;
}

/**
 * Proves `npm run bench` runs: the harness in --quick --json mode, from the
 * TypeScript sources (tsx), on the embedded database, or on TEST_DATABASE_URL's
 * server (the bench then works in a scratch database of its own and drops it).
 */
describe('bench (npm run bench -- --quick --json)', () => {
  it('when run quick, then its last line is one JSON object with every figure, positive, p50 <= p99', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    const { code, stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--json'], env, 110_000);

    const last = stdout.trim().split('\n').at(-1) ?? '';
    let result: Record<string, unknown>;
    try {
      result = JSON.parse(last) as Record<string, unknown>;
    } catch {
      throw new Error(`the last line is not JSON: ${last.slice(0, 300)}\nstderr: ${stderr.slice(-2000)}`);
    }
    expect(result.failures, stderr.slice(-2000)).toEqual([]);
    expect(code).toBe(0);
    expect(result.ok).toBe(true);

    for (const key of ['textback_ms', 'smpp_rtt_ms']) {
      const figure = result[key] as Figure;
      expect(figure.p50, key).toBeGreaterThan(0);
      expect(figure.p99, key).toBeGreaterThanOrEqual(figure.p50);
    }
    for (const key of [
      'calls_per_s',
      'rss_mb',
      'rss_mb_1000',
      'smpp_submit_per_s',
      'smpp_baseline_per_s',
      'admin_callbacks_p99_ms',
      'admin_callbacks_p99_ms_small',
      'concurrent_calls',
    ]) {
      expect(result[key], key).toBeTypeOf('number');
      expect(result[key] as number, key).toBeGreaterThan(0);
    }
    expect(result.admin_callbacks_p99_ms as number).toBeGreaterThanOrEqual(result.admin_callbacks_p50_ms as number);
    const rows = result.rows as Record<string, number>;
    expect(rows.call).toBeGreaterThanOrEqual(result.history_calls as number);
    expect(rows.open_tasks).toBeGreaterThan(0);
    expect(result.database).toBe(process.env.TEST_DATABASE_URL ? 'server' : 'embedded');
    const machine = result.machine as Record<string, unknown>;
    expect(machine.cores as number).toBeGreaterThan(0);
    expect(machine.cpu).toBeTypeOf('string');
    expect(machine.node).toBe(process.version);
  }, 120_000);
});

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bench did not exit by itself within ${timeoutMs} ms\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
