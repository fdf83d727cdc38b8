// ARI authentication as Asterisk does it: HTTP Basic if an Authorization header
// is sent, otherwise ?api_key=user:pass (what ari-client puts in the WebSocket URL).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Credentials {
  username: string;
  password: string;
}

export function isAuthorized(req: IncomingMessage, url: URL, expected: Credentials): boolean {
  const header = req.headers.authorization;
  let given: string | undefined;
  if (header !== undefined) {
    const match = /^Basic\s+(.+)$/i.exec(header);
    given = match?.[1] === undefined ? undefined : Buffer.from(match[1], 'base64').toString('utf8');
  } else {
    given = url.searchParams.get('api_key') ?? undefined;
  }
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(`${expected.username}:${expected.password}`);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A query without api_key, for request logs (never record or log credentials). */
export function queryWithoutSecrets(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    if (key === 'api_key') continue;
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}
