// The /ari/events WebSocket. Like Asterisk, one WebSocket owns each application:
// a newer connection for the same app takes over and the older one is sent
// ApplicationReplaced. Events for an app with no WebSocket are dropped (Asterisk
// does not queue them while the app is away).
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { AriEvent } from './models.js';

export interface WebSocketHubOptions {
  authorize(req: IncomingMessage, url: URL): boolean;
  /** Called for every upgrade attempt with the status it got (101 when accepted). */
  onUpgrade(url: URL, status: number): void;
  onConnected(apps: string[]): void;
  onDisconnected(apps: string[]): void;
  replacedEvent(app: string): AriEvent;
  onEvent(event: AriEvent, delivered: boolean): void;
}

export interface WebSocketHub {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  send(app: string, event: AriEvent): boolean;
  registeredApps(): string[];
  isRegistered(app: string): boolean;
  /** Cut every connection without a close handshake, like a crash or a network drop. */
  dropAll(): void;
  close(): Promise<void>;
}

export function createWebSocketHub(options: WebSocketHubOptions): WebSocketHub {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('ari') ? 'ari' : false),
  });
  const owners = new Map<string, WebSocket>();
  const clients = new Set<WebSocket>();

  function reject(socket: Duplex, url: URL, status: number, message: string, extraHeaders = ''): void {
    options.onUpgrade(url, status);
    const body = JSON.stringify({ message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extraHeaders}\r\n${body}`,
    );
  }

  function register(ws: WebSocket, apps: string[]): void {
    clients.add(ws);
    for (const app of apps) {
      const previous = owners.get(app);
      owners.set(app, ws);
      if (previous && previous !== ws && previous.readyState === WebSocket.OPEN) {
        const event = options.replacedEvent(app);
        previous.send(JSON.stringify(event));
        options.onEvent(event, true);
      }
    }
    // A client that vanishes makes ws emit 'error'; without a listener that would crash the process.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clients.delete(ws);
      const released = apps.filter((app) => owners.get(app) === ws);
      for (const app of released) owners.delete(app);
      options.onDisconnected(apps);
    });
    options.onConnected(apps);
  }

  function dropAll(): void {
    owners.clear();
    for (const ws of clients) ws.terminate();
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://fake-ari.invalid');
      socket.on('error', () => undefined);
      if (url.pathname !== '/ari/events') return reject(socket, url, 404, 'Resource not found');
      if (!options.authorize(req, url)) {
        return reject(socket, url, 401, 'Authentication required', 'WWW-Authenticate: Basic realm="Asterisk REST Interface"\r\n');
      }
      const apps = url.searchParams.getAll('app').flatMap((value) => value.split(',')).filter((app) => app !== '');
      if (apps.length === 0) return reject(socket, url, 400, "Missing param 'app'");
      wss.handleUpgrade(req, socket, head, (ws) => {
        options.onUpgrade(url, 101);
        register(ws, apps);
      });
    },

    send(app, event) {
      const ws = owners.get(app);
      const delivered = ws !== undefined && ws.readyState === WebSocket.OPEN;
      if (delivered) ws.send(JSON.stringify(event));
      options.onEvent(event, delivered);
      return delivered;
    },

    registeredApps: () => [...owners.keys()],
    isRegistered: (app) => owners.get(app)?.readyState === WebSocket.OPEN,

    dropAll,

    close() {
      dropAll();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
