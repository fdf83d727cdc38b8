// Everything the fake "Asterisk" knows. One instance per fake (no module-level
// state), so tests can run several fakes in parallel. restart() empties it.
import type { MediaOperation } from './media-queue.js';
import type { ChannelJson, LiveRecordingJson, PlaybackJson } from './models.js';

export interface ChannelRecord {
  /** Source of the snapshots put in events and responses (copied, never shared). */
  json: ChannelJson;
  /** The Stasis application the channel is in, if any. */
  app?: string;
  variables: Map<string, string>;
  /** Variables set with report_events=true, shown as channelvars in snapshots. */
  reportedVariables: Set<string>;
  /** Play and record run one at a time per channel, in order, as on Asterisk's control queue. */
  media: MediaOperation[];
  /** For a snoop channel: the channel it spies on. */
  snoopOf?: string;
  /** Snoop channels spying on this one. */
  snoops: Set<string>;
}

export interface PlaybackRecord {
  json: PlaybackJson;
  channelId: string;
  media: string[];
  operation: MediaOperation;
  /** Ends the item now playing. */
  timer?: NodeJS.Timeout;
}

export type TerminateOn = 'none' | 'any' | '*' | '#';
export type IfExists = 'fail' | 'overwrite' | 'append';

export interface LiveRecordingRecord {
  json: LiveRecordingJson;
  channelId: string;
  ifExists: IfExists;
  terminateOn: TerminateOn;
  maxDurationMs: number;
  maxSilenceSeconds: number;
  /** Set when the recording actually starts (it may wait behind a playback). */
  startedAt?: number;
  operation: MediaOperation;
  maxDurationTimer?: NodeJS.Timeout;
  /** What the caller said into it (speakInto); the recorded audio is then exactly this. */
  spokenPcm?: Buffer;
}

export interface StoredRecordingRecord {
  name: string;
  format: string;
  data: Buffer;
}

export interface FakeAriState {
  readonly channels: Map<string, ChannelRecord>;
  readonly playbacks: Map<string, PlaybackRecord>;
  readonly liveRecordings: Map<string, LiveRecordingRecord>;
  readonly storedRecordings: Map<string, StoredRecordingRecord>;
  /** Global variables set over ARI; a restart forgets them, as Asterisk forgets runtime globals. */
  readonly globals: Map<string, string>;
  /** Asterisk numbers channel names with a process-wide counter (PJSIP/trunk-0000002a). */
  nextChannelSequence(): number;
  nextUniqueId(): string;
  /** setTimeout that restart()/close() can cancel. */
  schedule(fn: () => void, ms: number): NodeJS.Timeout;
  cancel(timer: NodeJS.Timeout | undefined): void;
  reset(): void;
}

export function createFakeAriState(): FakeAriState {
  const channels = new Map<string, ChannelRecord>();
  const playbacks = new Map<string, PlaybackRecord>();
  const liveRecordings = new Map<string, LiveRecordingRecord>();
  const storedRecordings = new Map<string, StoredRecordingRecord>();
  const globals = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  // Uniqueids look like Asterisk's: <epoch seconds at start>.<counter>.
  const epoch = Math.floor(Date.now() / 1000);
  let channelSequence = 0;
  let uniqueSequence = 0;

  return {
    channels,
    playbacks,
    liveRecordings,
    storedRecordings,
    globals,
    nextChannelSequence: () => ++channelSequence,
    nextUniqueId: () => `${epoch}.${uniqueSequence++}`,
    schedule(fn, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
      return timer;
    },
    cancel(timer) {
      if (timer === undefined) return;
      clearTimeout(timer);
      timers.delete(timer);
    },
    reset() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      channels.clear();
      playbacks.clear();
      liveRecordings.clear();
      storedRecordings.clear();
      globals.clear();
    },
  };
}
