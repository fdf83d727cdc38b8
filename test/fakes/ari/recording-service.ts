// POST /channels/{id}/record, /recordings/live/{name}/stop and /recordings/stored.
// Follows Asterisk's res_stasis_recording: the response shows state 'queued';
// RecordingStarted when it starts (after anything queued before it on the
// channel); RecordingFinished ('done', with whole-second duration) on stop, on
// hangup, on maxDurationSeconds or on a terminateOn digit. The stored file is in
// place before RecordingFinished is sent, so the app can fetch it straight away.
import { setChannelUp } from './channel-state.js';
import { AriHttpError } from './errors.js';
import { AriEventType } from './event-types.js';
import type { EventSink } from './events.js';
import type { MediaOperation, MediaQueue } from './media-queue.js';
import type { LiveRecordingJson, StoredRecordingJson } from './models.js';
import type { ChannelRecord, FakeAriState, IfExists, LiveRecordingRecord, TerminateOn } from './state.js';
import { pcmForDuration, pcmOfWav, wavFromPcm } from './wav.js';

/** The only format the fake can produce; others get Asterisk's 422. */
export const SUPPORTED_FORMATS: Readonly<Record<string, string>> = { wav: 'audio/wav' };

export interface RecordRequest {
  name: string;
  format: string;
  maxDurationSeconds: number;
  maxSilenceSeconds: number;
  ifExists: IfExists;
  terminateOn: TerminateOn;
}

export interface StoredFile {
  contentType: string;
  data: Buffer;
}

export interface RecordingService {
  record(channel: ChannelRecord, request: RecordRequest): LiveRecordingJson;
  stop(name: string): void;
  /** A digit arrived on the channel: it may end a recording (terminateOn). */
  onDtmf(channel: ChannelRecord, digit: string): void;
  /**
   * The caller says something (a WAV file): the live recording on that channel
   * gets exactly this audio and, when it stops on silence, ends as the speech does.
   * Returns false when nothing is recording the channel.
   */
  speak(channel: ChannelRecord, wav: Buffer): boolean;
  listStored(): StoredRecordingJson[];
  getStored(name: string): StoredRecordingJson;
  deleteStored(name: string): void;
  storedFile(name: string): StoredFile;
}

interface RecordingDeps {
  state: FakeAriState;
  queue: MediaQueue;
  emit: EventSink;
}

export function createRecordingService({ state, queue, emit }: RecordingDeps): RecordingService {
  const appOf = (recording: LiveRecordingRecord) => state.channels.get(recording.channelId)?.app;
  const publish = (recording: LiveRecordingRecord, type: AriEventType.RecordingStarted | AriEventType.RecordingFinished) =>
    emit(appOf(recording), { type, recording: structuredClone(recording.json) });

  function start(recording: LiveRecordingRecord): void {
    const channel = state.channels.get(recording.channelId);
    if (channel) setChannelUp(channel, emit);
    recording.startedAt = Date.now();
    recording.json.state = 'recording';
    publish(recording, AriEventType.RecordingStarted);
    if (recording.maxDurationMs > 0) {
      recording.maxDurationTimer = state.schedule(() => complete(recording), recording.maxDurationMs);
    }
  }

  function complete(recording: LiveRecordingRecord): void {
    state.cancel(recording.maxDurationTimer);
    const startedAt = recording.startedAt ?? Date.now();
    let elapsedMs = Date.now() - startedAt;
    if (recording.maxDurationMs > 0) elapsedMs = Math.min(elapsedMs, recording.maxDurationMs);

    const { name, format } = recording.json;
    let pcm = recording.spokenPcm ?? pcmForDuration(elapsedMs);
    const existing = state.storedRecordings.get(name);
    if (existing && recording.ifExists === 'append') pcm = Buffer.concat([pcmOfWav(existing.data), pcm]);
    state.storedRecordings.set(name, { name, format, data: wavFromPcm(pcm) });

    const duration = Math.floor(elapsedMs / 1000);
    recording.json.state = 'done';
    recording.json.duration = duration;
    if (recording.maxSilenceSeconds > 0) {
      // No silence detection in the fake: the caller talked throughout.
      recording.json.talking_duration = duration;
      recording.json.silence_duration = 0;
    }
    finish(recording);
  }

  function finish(recording: LiveRecordingRecord): void {
    state.liveRecordings.delete(recording.json.name);
    publish(recording, AriEventType.RecordingFinished);
    const channel = state.channels.get(recording.channelId);
    if (channel) queue.finished(channel, recording.operation);
  }

  const requireStored = (name: string) => {
    const stored = state.storedRecordings.get(name);
    if (!stored) throw new AriHttpError(404, 'Recording not found');
    return stored;
  };

  return {
    record(channel, request) {
      const { name, format } = request;
      if (name === '' || format === '') throw new AriHttpError(400, 'Invalid parameters');
      if (SUPPORTED_FORMATS[format] === undefined) throw new AriHttpError(422, `Unknown format: ${format}`);
      const exists = state.liveRecordings.has(name) || (request.ifExists === 'fail' && state.storedRecordings.has(name));
      if (exists) throw new AriHttpError(409, `Recording '${name}' already exists and can not be overwritten`);

      const operation: MediaOperation = {
        start: () => start(recording),
        abortForHangup: () => {
          // A recording in progress ends normally on hangup and keeps its audio;
          // a queued one is dropped with the rest of the channel's queue.
          if (recording.startedAt !== undefined) complete(recording);
          else state.liveRecordings.delete(name);
        },
      };
      const recording: LiveRecordingRecord = {
        json: { name, format, state: 'queued', target_uri: `channel:${channel.json.id}` },
        channelId: channel.json.id,
        ifExists: request.ifExists,
        terminateOn: request.terminateOn,
        maxDurationMs: request.maxDurationSeconds * 1000,
        maxSilenceSeconds: request.maxSilenceSeconds,
        operation,
      };
      state.liveRecordings.set(name, recording);
      queue.enqueue(channel, operation);
      return structuredClone(recording.json);
    },

    stop(name) {
      const recording = state.liveRecordings.get(name);
      if (!recording) throw new AriHttpError(404, 'Recording not found');
      if (recording.startedAt !== undefined) {
        complete(recording);
        return;
      }
      // Stopped before it started: Asterisk marks it canceled and records nothing.
      const channel = state.channels.get(recording.channelId);
      if (channel && !queue.isRunning(channel, recording.operation)) queue.removeQueued(channel, recording.operation);
      recording.json.state = 'canceled';
      finish(recording);
    },

    onDtmf(channel, digit) {
      for (const recording of state.liveRecordings.values()) {
        if (recording.channelId !== channel.json.id || recording.startedAt === undefined) continue;
        const ends = recording.terminateOn === 'any' || recording.terminateOn === digit;
        if (ends) complete(recording);
      }
    },

    speak(channel, wav) {
      for (const recording of state.liveRecordings.values()) {
        if (recording.channelId !== channel.json.id || recording.startedAt === undefined) continue;
        recording.spokenPcm = pcmOfWav(wav);
        // The caller stops talking: a recording that ends on silence ends now.
        if (recording.maxSilenceSeconds > 0) complete(recording);
        return true;
      }
      return false;
    },

    listStored: () => [...state.storedRecordings.values()].map(({ name, format }) => ({ name, format })),
    getStored(name) {
      const { format } = requireStored(name);
      return { name, format };
    },
    deleteStored(name) {
      requireStored(name);
      state.storedRecordings.delete(name);
    },
    storedFile(name) {
      const stored = requireStored(name);
      return { contentType: SUPPORTED_FORMATS[stored.format] ?? 'application/octet-stream', data: stored.data };
    },
  };
}
