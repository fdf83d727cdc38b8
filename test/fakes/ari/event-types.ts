// Every event type the fake can send. ari-client crashes (TypeError in its
// WebSocket message handler) on an event whose type has no model in the served
// events description, so api-docs/events.ts is keyed by this enum.
export enum AriEventType {
  StasisStart = 'StasisStart',
  StasisEnd = 'StasisEnd',
  ChannelStateChange = 'ChannelStateChange',
  ChannelDtmfReceived = 'ChannelDtmfReceived',
  ChannelHangupRequest = 'ChannelHangupRequest',
  ChannelDestroyed = 'ChannelDestroyed',
  ChannelVarset = 'ChannelVarset',
  PlaybackStarted = 'PlaybackStarted',
  PlaybackContinuing = 'PlaybackContinuing',
  PlaybackFinished = 'PlaybackFinished',
  RecordingStarted = 'RecordingStarted',
  RecordingFinished = 'RecordingFinished',
  ApplicationReplaced = 'ApplicationReplaced',
}

export const ALL_EVENT_TYPES: readonly AriEventType[] = Object.values(AriEventType);
