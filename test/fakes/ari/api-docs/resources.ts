// The resource listing (GET /ari/api-docs/resources.json). Asterisk 22 declares
// swaggerVersion 1.1 here; we do the same so ari-client takes the same code path
// (it logs a one-line "deprecated version of Swagger" notice, as with real Asterisk).
import { PLACEHOLDER_BASE_PATH, type ResourceListing } from './types.js';

export const FAKE_RESOURCE_NAMES = ['asterisk', 'channels', 'recordings', 'playbacks', 'events', 'applications'] as const;
export type FakeResourceName = (typeof FAKE_RESOURCE_NAMES)[number];

const descriptions: Record<FakeResourceName, string> = {
  asterisk: 'Asterisk resources',
  channels: 'Channel resources',
  recordings: 'Recording resources',
  playbacks: 'Playback control resources',
  events: 'WebSocket resource',
  applications: 'Stasis application resources',
};

export const resourceListing: ResourceListing = {
  apiVersion: '10.0.0',
  swaggerVersion: '1.1',
  basePath: PLACEHOLDER_BASE_PATH,
  apis: FAKE_RESOURCE_NAMES.map((name) => ({
    path: `/api-docs/${name}.{format}`,
    description: descriptions[name],
  })),
};
