// Minimal ARI client without ari-client, for tests that need exact status codes,
// raw bytes or a second WebSocket: fetch with basic auth and an event socket.
import { WebSocket } from 'ws';
import type { FakeAri } from './fake-ari-types.js';
import type { AriEvent } from './models.js';

/** Where and as whom to connect: a FakeAri, or the same fields with other credentials. */
export type AriTarget = Pick<FakeAri, 'url' | 'username' | 'password'>;

/** fetch(fake.url + path) with the fake's credentials as HTTP Basic auth. */
export function ariFetch(fake: AriTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('Authorization')) {
    headers.set('Authorization', `Basic ${Buffer.from(`${fake.username}:${fake.password}`).toString('base64')}`);
  }
  return fetch(`${fake.url}${path}`, { ...init, headers });
}

export interface EventSocket {
  readonly events: AriEvent[];
  /** First event (received or to come) the predicate accepts. */
  next(predicate: (event: AriEvent) => boolean, timeoutMs?: number): Promise<AriEvent>;
  close(): Promise<void>;
}

/** Opens /ari/events?app=... (api_key auth, as ari-client does) and collects events. */
export async function openEventSocket(fake: AriTarget, app: string): Promise<EventSocket> {
  const wsUrl = `${fake.url.replace(/^http/, 'ws')}/ari/events?app=${encodeURIComponent(app)}&api_key=${encodeURIComponent(fake.username)}:${encodeURIComponent(fake.password)}`;
  const ws = new WebSocket(wsUrl);
  const events: AriEvent[] = [];
  const waiters = new Set<(event: AriEvent) => void>();
  ws.on('message', (data) => {
    const event = JSON.parse(String(data)) as AriEvent;
    events.push(event);
    for (const waiter of [...waiters]) waiter(event);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    events,
    next(predicate, timeoutMs = 5_000) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (event: AriEvent) => {
          if (!predicate(event)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(event);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${timeoutMs} ms on app ${app}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
