// POST /channels/{id}/play and /playbacks/{id}: each media item "plays" for
// playbackMs. Events follow Asterisk's res_stasis_playback: PlaybackStarted per
// item, PlaybackContinuing between items, PlaybackFinished at the end with state
// 'done' (finished or stopped) or 'failed' (bad media URI, or the channel hung up).
import { randomUUID } from 'node:crypto';
import { AriHttpError } from './errors.js';
import { AriEventType } from './event-types.js';
import type { EventSink } from './events.js';
import type { MediaOperation, MediaQueue } from './media-queue.js';
import type { PlaybackJson } from './models.js';
import type { ChannelRecord, FakeAriState, PlaybackRecord } from './state.js';

const MEDIA_SCHEMES = ['sound:', 'recording:', 'number:', 'digits:', 'characters:', 'tone:'];

export interface PlayRequest {
  media: string[];
  lang?: string;
  playbackId?: string;
}

export interface PlaybackService {
  play(channel: ChannelRecord, request: PlayRequest): PlaybackJson;
  get(playbackId: string): PlaybackJson;
  stop(playbackId: string): void;
}

interface PlaybackDeps {
  state: FakeAriState;
  queue: MediaQueue;
  emit: EventSink;
  playbackMs: number;
}

export function createPlaybackService({ state, queue, emit, playbackMs }: PlaybackDeps): PlaybackService {
  const snapshot = (playback: PlaybackRecord): PlaybackJson => structuredClone(playback.json);
  const appOf = (playback: PlaybackRecord) => state.channels.get(playback.channelId)?.app;

  const publish = (playback: PlaybackRecord, type: AriEventType.PlaybackStarted | AriEventType.PlaybackContinuing | AriEventType.PlaybackFinished) =>
    emit(appOf(playback), { type, playback: snapshot(playback) });

  const isPlayable = (uri: string): boolean => {
    const scheme = MEDIA_SCHEMES.find((prefix) => uri.startsWith(prefix));
    if (!scheme || uri.length === scheme.length) return false;
    if (scheme === 'recording:') return state.storedRecordings.has(uri.slice(scheme.length));
    return true;
  };

  function setCurrent(playback: PlaybackRecord, index: number): void {
    playback.json.media_uri = playback.media[index] ?? '';
    const next = playback.media[index + 1];
    if (next === undefined) delete playback.json.next_media_uri;
    else playback.json.next_media_uri = next;
  }

  function finish(playback: PlaybackRecord, finalState: 'done' | 'failed'): void {
    playback.json.state = finalState;
    state.playbacks.delete(playback.json.id);
    publish(playback, AriEventType.PlaybackFinished);
    const channel = state.channels.get(playback.channelId);
    if (channel) queue.finished(channel, playback.operation);
  }

  function playItem(playback: PlaybackRecord, index: number): void {
    setCurrent(playback, index);
    playback.json.state = 'playing';
    publish(playback, AriEventType.PlaybackStarted);
    if (!isPlayable(playback.media[index] ?? '')) {
      finish(playback, 'failed');
      return;
    }
    playback.timer = state.schedule(() => {
      playback.timer = undefined;
      if (index + 1 < playback.media.length) {
        playback.json.state = 'continuing';
        publish(playback, AriEventType.PlaybackContinuing);
        playItem(playback, index + 1);
      } else {
        finish(playback, 'done');
      }
    }, playbackMs);
  }

  return {
    play(channel, request) {
      if (request.media.length === 0 || request.media.some((uri) => uri === '')) {
        throw new AriHttpError(400, 'Missing parameter media');
      }
      const id = request.playbackId ?? randomUUID();
      if (state.playbacks.has(id)) throw new AriHttpError(409, `Playback ${id} already exists`);
      const operation: MediaOperation = {
        start: () => playItem(playback, 0),
        abortForHangup: () => {
          state.cancel(playback.timer);
          // Asterisk drops queued commands on hangup without events; a running one fails.
          if (playback.json.state === 'queued') state.playbacks.delete(id);
          else finish(playback, 'failed');
        },
      };
      const playback: PlaybackRecord = {
        json: {
          id,
          media_uri: request.media[0] ?? '',
          target_uri: `channel:${channel.json.id}`,
          language: request.lang ?? channel.json.language,
          state: 'queued',
        },
        channelId: channel.json.id,
        media: request.media,
        operation,
      };
      setCurrent(playback, 0);
      state.playbacks.set(id, playback);
      queue.enqueue(channel, operation);
      return snapshot(playback);
    },

    get(playbackId) {
      const playback = state.playbacks.get(playbackId);
      if (!playback) throw new AriHttpError(404, 'Playback not found');
      return snapshot(playback);
    },

    stop(playbackId) {
      const playback = state.playbacks.get(playbackId);
      if (!playback) throw new AriHttpError(404, 'Playback not found');
      const channel = state.channels.get(playback.channelId);
      if (channel && playback.json.state === 'queued' && !queue.isRunning(channel, playback.operation)) {
        queue.removeQueued(channel, playback.operation);
      }
      state.cancel(playback.timer);
      finish(playback, 'done');
    },
  };
}
