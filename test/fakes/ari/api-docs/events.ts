// The events resource: the WebSocket operation and the model of every event the
// fake sends (ari-client looks each incoming event's type up in these models).
import { AriEventType } from '../event-types.js';
import { queryParam } from './params.js';
import { PLACEHOLDER_BASE_PATH, type ApiDeclaration, type SwaggerModel, type SwaggerModelProperty } from './types.js';

const channel: SwaggerModelProperty = { required: true, type: 'Channel', description: 'The channel' };

function eventModel(id: AriEventType, description: string, properties: Record<string, SwaggerModelProperty>): SwaggerModel {
  return { id, description, properties };
}

const eventModels: Record<AriEventType, SwaggerModel> = {
  [AriEventType.StasisStart]: eventModel(AriEventType.StasisStart, 'A channel entered a Stasis application.', {
    args: { required: true, type: 'List[string]', description: 'Arguments given to Stasis()' },
    channel,
    replace_channel: { required: false, type: 'Channel' },
  }),
  [AriEventType.StasisEnd]: eventModel(AriEventType.StasisEnd, 'A channel left a Stasis application.', { channel }),
  [AriEventType.ChannelStateChange]: eventModel(AriEventType.ChannelStateChange, 'A channel changed state.', { channel }),
  [AriEventType.ChannelDtmfReceived]: eventModel(AriEventType.ChannelDtmfReceived, 'A DTMF digit ended on a channel.', {
    digit: { required: true, type: 'string', description: 'The digit' },
    duration_ms: { required: true, type: 'int', description: 'How long it was held, in ms' },
    channel,
  }),
  [AriEventType.ChannelHangupRequest]: eventModel(AriEventType.ChannelHangupRequest, 'Someone asked for a channel to hang up.', {
    cause: { type: 'int', description: 'Q.850 cause' },
    tech_cause: { type: 'int', description: 'Technology-specific cause (e.g. SIP status)' },
    soft: { type: 'boolean', description: 'True for a soft hangup request (e.g. from ARI)' },
    channel,
  }),
  [AriEventType.ChannelDestroyed]: eventModel(AriEventType.ChannelDestroyed, 'A channel was destroyed.', {
    cause: { required: true, type: 'int', description: 'Q.850 cause' },
    cause_txt: { required: true, type: 'string', description: 'Text of the cause' },
    tech_cause: { type: 'int' },
    channel,
  }),
  [AriEventType.ChannelVarset]: eventModel(AriEventType.ChannelVarset, 'A channel variable changed.', {
    variable: { required: true, type: 'string' },
    value: { required: true, type: 'string' },
    channel: { required: false, type: 'Channel' },
  }),
  [AriEventType.PlaybackStarted]: eventModel(AriEventType.PlaybackStarted, 'A playback started.', {
    playback: { required: true, type: 'Playback' },
  }),
  [AriEventType.PlaybackContinuing]: eventModel(AriEventType.PlaybackContinuing, 'A playback moved to its next media.', {
    playback: { required: true, type: 'Playback' },
  }),
  [AriEventType.PlaybackFinished]: eventModel(AriEventType.PlaybackFinished, 'A playback ended (done or failed).', {
    playback: { required: true, type: 'Playback' },
  }),
  [AriEventType.RecordingStarted]: eventModel(AriEventType.RecordingStarted, 'A recording started.', {
    recording: { required: true, type: 'LiveRecording' },
  }),
  [AriEventType.RecordingFinished]: eventModel(AriEventType.RecordingFinished, 'A recording ended and was stored.', {
    recording: { required: true, type: 'LiveRecording' },
  }),
  [AriEventType.ApplicationReplaced]: eventModel(
    AriEventType.ApplicationReplaced,
    'Another WebSocket registered this application; this one gets no more events for it.',
    {},
  ),
};

export const eventsApi: ApiDeclaration = {
  apiVersion: '2.0.0',
  swaggerVersion: '1.2',
  basePath: PLACEHOLDER_BASE_PATH,
  resourcePath: '/api-docs/events.{format}',
  apis: [
    {
      path: '/events',
      description: 'Events from Asterisk to applications',
      operations: [
        {
          httpMethod: 'GET',
          upgrade: 'websocket',
          websocketProtocol: 'ari',
          summary: 'WebSocket connection for events.',
          nickname: 'eventWebsocket',
          responseClass: 'Message',
          parameters: [
            queryParam('app', 'string', 'Applications to subscribe to.', { required: true, allowMultiple: true }),
            queryParam('subscribeAll', 'boolean', 'Subscribe to all events (ignored by the fake).'),
          ],
        },
      ],
    },
  ],
  models: {
    Message: {
      id: 'Message',
      description: 'Base type for errors and events',
      discriminator: 'type',
      properties: {
        type: { type: 'string', required: true, description: 'The type of this message.' },
        asterisk_id: { type: 'string', required: false, description: 'Id of the Asterisk instance that sent it.' },
      },
      subTypes: ['Event'],
    },
    Event: {
      id: 'Event',
      description: 'Base type for asynchronous events from Asterisk.',
      properties: {
        application: { type: 'string', required: true, description: 'Application receiving the event.' },
        timestamp: { type: 'Date', required: true, description: 'When the event was created.' },
      },
      subTypes: Object.values(AriEventType),
    },
    ...eventModels,
  },
};
