// The HTTP side: /ari/api-docs (the fake's own description, basePath set from
// the Host header as Asterisk does), /ari/* REST routed by that description,
// /ari/events upgraded to a WebSocket, /_control/* for tests and the demo.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiDeclarations, isFakeResourceName, resourceListing, withBasePath } from './api-docs/index.js';
import { isAuthorized, queryWithoutSecrets, type Credentials } from './auth.js';
import { AriHttpError } from './errors.js';
import { readBody, sendBytes, sendJson, sendNoContent } from './http-util.js';
import type { OperationHandlers } from './rest/index.js';
import { matchRoute, parseParams, type Route } from './router.js';
import type { WebSocketHub } from './websocket-hub.js';

export interface RecordedRequest {
  method: string;
  /** Full path, e.g. /ari/channels/1700000000.0/answer (percent-decoded). */
  path: string;
  /** Query parameters, api_key removed. */
  query: Record<string, string | string[]>;
  /** Parsed JSON body, raw text if not JSON, undefined if empty. */
  body: unknown;
  /** Status the fake answered with (101 for an accepted WebSocket). */
  status: number;
  /** ISO time the request was answered. */
  at: string;
}

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface FakeAriServerDeps {
  host: string;
  port: number;
  credentials: Credentials;
  routes: Route[];
  handlers: OperationHandlers;
  hub: WebSocketHub;
  control: ControlHandler;
  onRequest(request: RecordedRequest): void;
}

interface AriResponse {
  status: number;
  json?: unknown;
  file?: { contentType: string; data: Buffer };
  headers?: Record<string, string>;
}

export async function startFakeAriServer(deps: FakeAriServerDeps): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      // A bug in the fake: make it loud in the test output, keep details off the wire.
      console.error('fake ARI: internal error', err);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => deps.hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(deps: FakeAriServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake-ari.invalid');
  if (url.pathname.startsWith('/_control/')) return deps.control(req, res, url);
  const body = await readBody(req);
  const response = url.pathname.startsWith('/ari/')
    ? respondToAri(deps, req, url, body.value)
    : { status: 404, json: { message: 'Not found' } };
  write(res, response);
  if (url.pathname.startsWith('/ari/')) {
    deps.onRequest({
      method: req.method ?? 'GET',
      path: safeDecode(url.pathname),
      query: queryWithoutSecrets(url),
      body: body.value,
      status: response.status,
      at: new Date().toISOString(),
    });
  }
}

function respondToAri(deps: FakeAriServerDeps, req: IncomingMessage, url: URL, body: unknown): AriResponse {
  if (!isAuthorized(req, url, deps.credentials)) {
    return {
      status: 401,
      json: { message: 'Authentication required' },
      headers: { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' },
    };
  }
  const ariPath = url.pathname.slice('/ari'.length);
  if (ariPath.startsWith('/api-docs/')) return apiDocs(req, ariPath);
  const match = matchRoute(deps.routes, req.method ?? 'GET', ariPath);
  if ('error' in match) return errorResponse(match.error);
  const handler = deps.handlers[match.route.key];
  if (!handler) return { status: 501, json: { message: 'Not implemented' } };
  try {
    const params = parseParams(match.route.operation, match.pathParams, url.searchParams, body);
    const result = handler(params);
    return {
      status: result.status,
      json: result.json,
      file: result.file,
      headers: result.location ? { Location: `/ari${result.location}` } : undefined,
    };
  } catch (err) {
    if (err instanceof AriHttpError) return errorResponse(err);
    throw err;
  }
}

function apiDocs(req: IncomingMessage, ariPath: string): AriResponse {
  if (req.method !== 'GET') return errorResponse(new AriHttpError(405, 'Invalid method'));
  const basePath = `http://${req.headers.host ?? 'localhost'}/ari`;
  const name = /^\/api-docs\/([A-Za-z]+)\.json$/.exec(ariPath)?.[1];
  if (name === 'resources') return { status: 200, json: withBasePath(resourceListing, basePath) };
  if (name !== undefined && isFakeResourceName(name)) return { status: 200, json: withBasePath(apiDeclarations[name], basePath) };
  return errorResponse(new AriHttpError(404, 'Resource not found'));
}

function errorResponse(err: AriHttpError): AriResponse {
  return { status: err.status, json: { message: err.message } };
}

function write(res: ServerResponse, response: AriResponse): void {
  if (response.file) return sendBytes(res, response.file.contentType, response.file.data);
  if (response.json === undefined) return sendNoContent(res, response.status);
  sendJson(res, response.status, response.json, response.headers);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
