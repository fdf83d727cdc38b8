// /applications operations: an application exists while a WebSocket has it registered.
import { AriHttpError } from '../errors.js';
import type { ApplicationJson } from '../models.js';
import type { FakeAriState } from '../state.js';
import { ok, type OperationHandlers, type RestDeps } from './handler-types.js';

function applicationJson(state: FakeAriState, name: string): ApplicationJson {
  const channelIds = [...state.channels.values()].filter((c) => c.app === name).map((c) => c.json.id);
  return {
    name,
    channel_ids: channelIds,
    bridge_ids: [],
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

export function applicationHandlers({ state, registeredApps }: RestDeps): OperationHandlers {
  return {
    'applications.list': () => ok(registeredApps().map((name) => applicationJson(state, name))),
    'applications.get': (params) => {
      const name = params.requiredString('applicationName');
      if (!registeredApps().includes(name)) throw new AriHttpError(404, "Application not found");
      return ok(applicationJson(state, name));
    },
  };
}
