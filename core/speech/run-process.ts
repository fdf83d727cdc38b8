import { spawn } from 'node:child_process';

export interface ProcessResult {
  stdout: string;
  stderr: string;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Runs a program with an argument list (never through a shell, so no path or
 * text is ever parsed as a command). Aborting the signal kills the process at
 * once and rejects with the signal's reason; a non-zero exit rejects with the
 * end of stderr, which is where sox and pocketsphinx say what went wrong.
 */
export function runProcess(command: string, args: string[], signal: AbortSignal): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Bounded: a looping process must not fill memory.
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-OUTPUT_LIMIT)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-OUTPUT_LIMIT)));

    const onAbort = () => {
      child.kill('SIGKILL');
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      reject(error.code === 'ENOENT' ? new Error(`${command} is not installed (not found on PATH)`) : error);
    });
    child.on('close', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return; // already rejected with the abort reason
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} exited with ${code ?? killedBy}: ${stderr.trim().slice(-500) || '(no output)'}`));
    });
  });
}
