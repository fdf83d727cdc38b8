// The public face of the fake: options, the control API tests call, and what
// observers receive.
import type { EventEmitter } from 'node:events';
import type { AddChannelInput } from './channel-service.js';
import type { AriEvent, ChannelJson } from './models.js';
import type { RecordedRequest } from './server.js';

export type { AddChannelInput } from './channel-service.js';
export type { RecordedRequest } from './server.js';

export interface FakeAriOptions {
  /** ARI user; default 'asterisk'. */
  username?: string;
  /** ARI password; default 'secret'. */
  password?: string;
  /** How long each media item of a playback lasts; default 30 ms. */
  playbackMs?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Stasis application startStasis() uses when none is given; default 'missed-call-recovery'. */
  app?: string;
}

/** A snapshot of a live channel, for assertions. */
export interface FakeChannelInfo {
  channel: ChannelJson;
  /** Stasis application it is in, if any. */
  app?: string;
  variables: Record<string, string>;
  /** For a snoop channel, the channel it spies on. */
  snoopOf?: string;
}

export interface FakeAriEventMap {
  /** Every /ari request (REST, api-docs, WebSocket upgrade), after it was answered. */
  request: [RecordedRequest];
  'ws-connected': [{ apps: string[] }];
  'ws-disconnected': [{ apps: string[] }];
  /** Every event the fake produced; delivered is false when no WebSocket had its app. */
  event: [AriEvent, { delivered: boolean }];
}

export interface FakeAri extends EventEmitter<FakeAriEventMap> {
  /** Base URL for ari-client's connect(url, user, pass), e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Every /ari request received, oldest first (capped at the last 10,000). */
  readonly requests: readonly RecordedRequest[];
  /** Every event produced, oldest first (capped at the last 10,000). */
  readonly events: readonly AriEvent[];
  /** Live channels, as snapshots. */
  readonly channels: ReadonlyMap<string, FakeChannelInfo>;
  /** Global variables as the dialplan would read them (a copy); restart() forgets them. */
  readonly globals: ReadonlyMap<string, string>;
  /** A call arrives (not yet in Stasis). Returns the channel id. */
  addChannel(input: AddChannelInput): string;
  /**
   * The dialplan runs Stasis(app, args...): StasisStart (state Ring). Returns false,
   * sending nothing, when no WebSocket has the app registered: Asterisk's Stasis()
   * fails then and the call goes on in the dialplan.
   */
  startStasis(channelId: string, args?: string[], app?: string): boolean;
  /** The caller presses a key: ChannelDtmfReceived (and ends a recording with a matching terminateOn). */
  sendDtmf(channelId: string, digit: string, durationMs?: number): void;
  /** The caller says something (a WAV file) into a channel being recorded; false when nothing records it. */
  speakInto(channelId: string, wav: Buffer): boolean;
  /** The caller hangs up: ChannelHangupRequest, playback/recording ends, StasisEnd, ChannelDestroyed. */
  callerHangup(channelId: string, cause?: number): void;
  /** Cut every WebSocket abruptly; ari-client reconnects on its own. */
  dropWebSockets(): void;
  /** Asterisk restarts: channels, playbacks and recordings are forgotten, WebSockets cut. */
  restart(): void;
  /** The bytes of a stored recording (a WAV file), as GET .../file would return them. */
  storedRecording(name: string): Buffer | undefined;
  /** Resolves with the first request (already received or still to come) the predicate accepts. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves with the first event (already produced or still to come) the predicate accepts. */
  waitForEvent(predicate: (event: AriEvent) => boolean, timeoutMs?: number): Promise<AriEvent>;
  close(): Promise<void>;
}
