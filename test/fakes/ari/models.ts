// JSON shapes of the ARI objects the fake sends, as Asterisk 22 serialises them.
import type { AriEventType } from './event-types.js';

export type ChannelState = 'Down' | 'Ring' | 'Ringing' | 'Up' | 'Busy';

export interface CallerIdJson {
  name: string;
  number: string;
}

export interface ChannelJson {
  id: string;
  name: string;
  state: ChannelState;
  protocol_id: string;
  caller: CallerIdJson;
  connected: CallerIdJson;
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export type PlaybackState = 'queued' | 'playing' | 'continuing' | 'done' | 'failed';

export interface PlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: PlaybackState;
}

export type LiveRecordingState = 'queued' | 'recording' | 'done' | 'failed' | 'canceled';

export interface LiveRecordingJson {
  name: string;
  format: string;
  target_uri: string;
  state: LiveRecordingState;
  /** Whole seconds recorded, once finished. */
  duration?: number;
  /** Only when maxSilenceSeconds was given, as in Asterisk. */
  talking_duration?: number;
  silence_duration?: number;
}

export interface StoredRecordingJson {
  name: string;
  format: string;
}

export interface ApplicationJson {
  name: string;
  channel_ids: string[];
  bridge_ids: string[];
  endpoint_ids: string[];
  device_names: string[];
  events_allowed: object[];
  events_disallowed: object[];
}

/** What each event type carries besides the common fields. */
export type AriEventBody =
  | { type: AriEventType.StasisStart; args: string[]; channel: ChannelJson }
  | { type: AriEventType.StasisEnd; channel: ChannelJson }
  | { type: AriEventType.ChannelStateChange; channel: ChannelJson }
  | { type: AriEventType.ChannelDtmfReceived; digit: string; duration_ms: number; channel: ChannelJson }
  | { type: AriEventType.ChannelHangupRequest; cause: number; soft?: boolean; channel: ChannelJson }
  | { type: AriEventType.ChannelDestroyed; cause: number; cause_txt: string; channel: ChannelJson }
  | { type: AriEventType.ChannelVarset; variable: string; value: string; channel: ChannelJson }
  | { type: AriEventType.PlaybackStarted; playback: PlaybackJson }
  | { type: AriEventType.PlaybackContinuing; playback: PlaybackJson }
  | { type: AriEventType.PlaybackFinished; playback: PlaybackJson }
  | { type: AriEventType.RecordingStarted; recording: LiveRecordingJson }
  | { type: AriEventType.RecordingFinished; recording: LiveRecordingJson }
  | { type: AriEventType.ApplicationReplaced };

/** An event as it goes over the WebSocket. */
export type AriEvent = AriEventBody & { application: string; timestamp: string; asterisk_id: string };
