import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandName, Commands, FailedMessage, ReadyMessage, RequestMessage, ResponseMessage } from './protocol.js';

/** The app under test, running in a child process (bench/app-process), and a typed way to ask it things. */
export interface AppHandle {
  readonly pid: number;
  readonly ready: ReadyMessage;
  request<C extends CommandName>(command: C, args: Commands[C][0], timeoutMs?: number): Promise<Commands[C][1]>;
  /** Asks the app to stop and waits for its process to exit; kills it after `graceMs`. Resolves with how it ended. */
  stop(graceMs?: number): Promise<{ stopMs: number | null; exitedByItself: boolean }>;
  /** What the child wrote to stderr (kept for error reports). */
  stderr(): string;
}

export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  /** Extra node flags for the child (e.g. --cpu-prof). */
  nodeFlags?: string[];
  startTimeoutMs?: number;
}

/**
 * Forks bench/app-process with the same loader as this process (compiled .js,
 * or .ts under tsx, whose flags are in process.execArgv).
 */
export async function launchApp(options: LaunchOptions): Promise<AppHandle> {
  const here = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(here), `app-process${path.extname(here)}`);
  const child = fork(entry, [], {
    env: options.env,
    execArgv: [...process.execArgv, ...(options.nodeFlags ?? [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app did not start within ${options.startTimeoutMs ?? 60_000} ms`)),
      options.startTimeoutMs ?? 60_000,
    );
    child.once('message', (message: ReadyMessage | FailedMessage) => {
      clearTimeout(timer);
      if (message.ready) resolve(message);
      else reject(new Error(`the app failed to start: ${message.error}`));
    });
    void exited.then((code) => reject(new Error(`the app exited (code ${code}) before it was ready: ${stderr.trim().slice(-2000)}`)));
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });

  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: ResponseMessage) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(message.error));
  });
  void exited.then((code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the app exited (code ${code}): ${stderr.trim().slice(-2000)}`));
    pending.clear();
  });

  const request = <C extends CommandName>(command: C, args: Commands[C][0], timeoutMs = 600_000): Promise<Commands[C][1]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the app did not answer ${command} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as Commands[C][1]);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const message: RequestMessage = { id, command, args };
      child.send(message);
    });

  return {
    pid: child.pid ?? 0,
    ready,
    request,
    stderr: () => stderr,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null) return { stopMs: null, exitedByItself: true };
      const stopped = await request('stop', {}, graceMs).catch(() => null);
      const exitedByItself = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
      if (!exitedByItself) {
        killChild(child);
        await exited;
      }
      return { stopMs: stopped?.ms ?? null, exitedByItself };
    },
  };
}

function killChild(child: ChildProcess): void {
  if (child.exitCode === null) child.kill('SIGKILL');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
