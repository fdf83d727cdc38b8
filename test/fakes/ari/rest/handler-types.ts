// What a REST operation handler gets and returns; server.ts turns the result
// into the HTTP response.
import type { ChannelService } from '../channel-service.js';
import type { PlaybackService } from '../playback-service.js';
import type { RecordingService, StoredFile } from '../recording-service.js';
import type { OperationParams } from '../router.js';
import type { FakeAriState } from '../state.js';

export interface HandlerResult {
  status: number;
  json?: unknown;
  file?: StoredFile;
  /** Asterisk sets Location on 201 Created (play, record). */
  location?: string;
}

export type OperationHandler = (params: OperationParams) => HandlerResult;

/** Handlers keyed "<resource>.<nickname>", matching the fake's Swagger description. */
export type OperationHandlers = Record<string, OperationHandler>;

export interface RestDeps {
  state: FakeAriState;
  channels: ChannelService;
  playbacks: PlaybackService;
  recordings: RecordingService;
  registeredApps(): string[];
  asteriskId: string;
  /** When the (fake) Asterisk last started; restart() moves it. */
  startedAt(): string;
}

export const noContent = (): HandlerResult => ({ status: 204 });
export const ok = (json: unknown): HandlerResult => ({ status: 200, json });
