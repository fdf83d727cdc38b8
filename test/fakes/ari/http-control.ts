// /_control/*: the control API over HTTP, so another process (the demo, a
// script) can drive the fake. JSON in and out. No authentication: the fake
// listens on loopback by default and these endpoints are not part of ARI; do
// not expose a fake to a network you do not trust.
//
//   POST /_control/channels                {callerNumber, exten, callerName?, id?, context?, endpoint?, variables?} -> 201 {id}
//   GET  /_control/channels                -> [FakeChannelInfo]
//   POST /_control/channels/:id/stasis     {args?: string[], app?} -> 200 {entered: boolean}
//   POST /_control/channels/:id/dtmf       {digit, durationMs?}   -> 204
//   POST /_control/channels/:id/hangup     {cause?}               -> 204
//   GET  /_control/requests                -> [RecordedRequest]
//   GET  /_control/events                  -> [event]
//   GET  /_control/globals                 -> {name: value} of the global variables
//   POST /_control/drop-websockets         -> 204
//   POST /_control/restart                 -> 204
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddChannelInput } from './channel-service.js';
import { AriHttpError } from './errors.js';
import type { FakeAri } from './fake-ari-types.js';
import { readBody, sendJson, sendNoContent } from './http-util.js';

type JsonObject = Record<string, unknown>;

export function createControlHandler(fake: () => FakeAri) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    try {
      const body = asObject((await readBody(req)).value);
      const route = `${req.method ?? 'GET'} ${url.pathname}`;
      const channelRoute = /^POST \/_control\/channels\/([^/]+)\/(stasis|dtmf|hangup)$/.exec(route);
      if (channelRoute) {
        const id = decodeURIComponent(channelRoute[1] ?? '');
        return channelAction(fake(), res, id, channelRoute[2] ?? '', body);
      }
      switch (route) {
        case 'POST /_control/channels':
          return sendJson(res, 201, { id: fake().addChannel(addChannelInput(body)) });
        case 'GET /_control/channels':
          return sendJson(res, 200, [...fake().channels.values()]);
        case 'GET /_control/requests':
          return sendJson(res, 200, fake().requests);
        case 'GET /_control/events':
          return sendJson(res, 200, fake().events);
        case 'GET /_control/globals':
          return sendJson(res, 200, Object.fromEntries(fake().globals));
        case 'POST /_control/drop-websockets':
          fake().dropWebSockets();
          return sendNoContent(res);
        case 'POST /_control/restart':
          fake().restart();
          return sendNoContent(res);
        default:
          return sendJson(res, 404, { message: 'Unknown control endpoint' });
      }
    } catch (err) {
      if (err instanceof AriHttpError) return sendJson(res, err.status, { message: err.message });
      throw err;
    }
  };
}

function channelAction(fake: FakeAri, res: ServerResponse, id: string, action: string, body: JsonObject): void {
  if (action === 'stasis') {
    const entered = fake.startStasis(id, optionalStringArray(body, 'args') ?? [], optionalString(body, 'app'));
    return sendJson(res, 200, { entered });
  }
  if (action === 'dtmf') fake.sendDtmf(id, requiredString(body, 'digit'), optionalNumber(body, 'durationMs'));
  else fake.callerHangup(id, optionalNumber(body, 'cause'));
  sendNoContent(res);
}

function addChannelInput(body: JsonObject): AddChannelInput {
  const variables = body['variables'];
  if (variables !== undefined && !isStringRecord(variables)) throw badRequest('variables must map names to strings');
  return {
    id: optionalString(body, 'id'),
    callerNumber: requiredString(body, 'callerNumber'),
    callerName: optionalString(body, 'callerName'),
    exten: requiredString(body, 'exten'),
    context: optionalString(body, 'context'),
    endpoint: optionalString(body, 'endpoint'),
    language: optionalString(body, 'language'),
    variables,
  };
}

const badRequest = (message: string) => new AriHttpError(400, message);

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): JsonObject {
  if (value === undefined) return {};
  if (isJsonObject(value)) return value;
  throw badRequest('body must be a JSON object');
}

function requiredString(body: JsonObject, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw badRequest(`${key} (string) is required`);
  return value;
}

function optionalString(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`${key} must be a string`);
  return value;
}

function optionalNumber(body: JsonObject, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${key} must be a number`);
  return value;
}

function optionalStringArray(body: JsonObject, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw badRequest(`${key} must be an array of strings`);
  }
  return value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isJsonObject(value) && Object.values(value).every((v) => typeof v === 'string');
}
