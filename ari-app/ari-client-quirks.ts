/**
 * Work-arounds for ari-client 2.x, kept in one place so they can go when the
 * library mends them (see test/fakes/ari/README.md for how each was found).
 */

const SWAGGER_NOTICE = 'deprecated version of Swagger';

/**
 * ari-client's swagger-client prints "This API is using a deprecated version of
 * Swagger!" with console.log on every connect (Asterisk serves Swagger 1.1). Our
 * stdout carries logs and `mcr demo --json` lines, so that one line is dropped
 * while `work` runs.
 */
export async function withoutSwaggerNotice<T>(work: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = (...args: unknown[]) => {
    const [first] = args;
    if (Array.isArray(first) && typeof first[0] === 'string' && first[0].includes(SWAGGER_NOTICE)) return;
    original(...args);
  };
  try {
    return await work();
  } finally {
    console.log = original;
  }
}

export type CredentialCheck = 'ok' | 'unauthorized' | 'unreachable';

/**
 * Asks Asterisk whether the credentials work before ari-client does: on a wrong
 * password ari-client rejects with a string AND throws an uncaught exception
 * that would take the whole process down.
 */
export async function checkAriCredentials(url: string, username: string, password: string, timeoutMs = 5000): Promise<CredentialCheck> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/ari/asterisk/info`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401 || response.status === 403) return 'unauthorized';
    return response.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
