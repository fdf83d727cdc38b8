// All the fake's API declarations, and the per-request copy with basePath set to
// the address the client used (Asterisk does the same with the Host header).
import { applicationsApi } from './applications.js';
import { asteriskApi } from './asterisk.js';
import { channelsApi } from './channels.js';
import { eventsApi } from './events.js';
import { playbacksApi } from './playbacks.js';
import { recordingsApi } from './recordings.js';
import type { FakeResourceName } from './resources.js';
import type { ApiDeclaration, ResourceListing } from './types.js';

export { FAKE_RESOURCE_NAMES, resourceListing, type FakeResourceName } from './resources.js';
export type * from './types.js';

export const apiDeclarations: Record<FakeResourceName, ApiDeclaration> = {
  asterisk: asteriskApi,
  channels: channelsApi,
  recordings: recordingsApi,
  playbacks: playbacksApi,
  events: eventsApi,
  applications: applicationsApi,
};

export function isFakeResourceName(name: string): name is FakeResourceName {
  return Object.hasOwn(apiDeclarations, name);
}

/** A deep copy with basePath replaced, so callers can never mutate the shared description. */
export function withBasePath<T extends ApiDeclaration | ResourceListing>(doc: T, basePath: string): T {
  const copy = structuredClone(doc);
  copy.basePath = basePath;
  return copy;
}
