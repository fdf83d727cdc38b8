import AsteriskManager from 'asterisk-manager';
import type { AmiTarget } from '../../ari-app/ami/ami-url.js';

type Send = (action: AsteriskManager.AmiAction) => Promise<AsteriskManager.AmiMessage>;

/**
 * Logs in to AMI once, runs `work` with a way to send actions, logs off.
 * Rejects with a readable reason (never the secret).
 */
export function withAmi<T>(target: AmiTarget, work: (send: Send) => Promise<T>, timeoutMs = 5000): Promise<T> {
  // Built without a port so that it does not log in by itself: its own login cannot report a refusal.
  const manager = AsteriskManager(undefined, target.host, target.username, target.secret, false);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('AMI did not answer in time')), timeoutMs);
    let finished = false;
    const finish = (err: Error | null, value?: T) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      manager.removeAllListeners('error');
      manager.on('error', () => undefined);
      try {
        manager.disconnect();
      } catch {
        // already closed
      }
      if (err) reject(err);
      else resolve(value as T);
    };
    const send: Send = (action) =>
      new Promise((done, fail) =>
        manager.action(action, (err, response) => {
          if (err) fail(new Error(`AMI refused ${action.action}: ${String(err.message ?? 'no permission')}`));
          else done(response);
        }),
      );
    manager.on('error', (err: Error) => finish(new Error(`cannot reach AMI at ${target.host}:${target.port} (${err.message})`)));
    manager.connect(target.port, target.host, () => {
      manager.login((loginError) => {
        if (loginError) return finish(new Error('AMI refused the login (check the user and secret in AMI_URL and manager.conf)'));
        work(send).then(
          (value) => finish(null, value),
          (err: Error) => finish(err),
        );
      });
    });
  });
}

/** Runs one CLI command over AMI (needs the `command` write class); resolves with its output. */
export function amiCommand(target: AmiTarget, command: string): Promise<string> {
  return withAmi(target, async (send) => {
    const response = await send({ action: 'Command', command });
    const output = response.output ?? response.content ?? '';
    return Array.isArray(output) ? output.join('\n') : typeof output === 'string' ? output : '';
  });
}
