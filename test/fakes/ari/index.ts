// Fake Asterisk ARI server for tests and the demo: HTTP + WebSocket speaking
// ARI well enough for ari-client to connect unchanged. See README.md here.
export { createFakeAri } from './fake-ari.js';
export type { AddChannelInput, FakeAri, FakeAriEventMap, FakeAriOptions, FakeChannelInfo, RecordedRequest } from './fake-ari-types.js';
export { AriEventType, ALL_EVENT_TYPES } from './event-types.js';
export type { AriEvent, AriEventBody, ChannelJson, LiveRecordingJson, PlaybackJson, StoredRecordingJson } from './models.js';
export { apiDeclarations, resourceListing, FAKE_RESOURCE_NAMES } from './api-docs/index.js';
export type { ApiDeclaration, ResourceListing, SwaggerModel, SwaggerOperation, SwaggerParameter } from './api-docs/index.js';
export { SAMPLE_RATE, wavDurationMs } from './wav.js';
export { muteSwaggerNotice } from './quiet-swagger-notice.js';
export { ariFetch, openEventSocket, type AriTarget, type EventSocket } from './raw-client.js';
