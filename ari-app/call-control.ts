/**
 * The port between the IVR and the PBX: the few channel operations the consent
 * IVR needs. The ARI adapter implements it; the IVR never sees ari-client.
 */
export interface CallControl {
  answer(channelId: string): Promise<void>;
  /** Leaves the app: the channel goes on in the dialplan at a label of its extension (e.g. `voicemail`). */
  continueInDialplan(channelId: string, label: string): Promise<void>;
  getVariable(channelId: string, name: string): Promise<string | null>;
  /** Plays media in order; `language` picks Asterisk's sounds/<language>/ folder. */
  play(channelId: string, media: string[], playbackId: string, language?: string): Promise<void>;
  stopPlayback(playbackId: string): Promise<void>;
  /** Records both directions of the call (through a snoop channel) under `recordingName`. */
  startRecording(channelId: string, recordingName: string): Promise<{ snoopChannelId: string }>;
  stopRecording(recordingName: string): Promise<void>;
  /**
   * Records the caller's spoken answer on the channel itself: it ends after a
   * short silence, at the time limit, or on any key (so a key press still wins).
   */
  recordAnswer(channelId: string, recordingName: string, limits: { maxDurationSeconds: number; maxSilenceSeconds: number }): Promise<void>;
  /** Records a message the caller leaves, after a beep; ends on silence, at the limit, or on `#`. */
  recordMessage(channelId: string, recordingName: string, limits: { maxDurationSeconds: number; maxSilenceSeconds: number }): Promise<void>;
  hangup(channelId: string): Promise<void>;
  channelExists(channelId: string): Promise<boolean>;
  playbackExists(playbackId: string): Promise<boolean>;
  fetchRecording(recordingName: string): Promise<Buffer>;
  deleteRecording(recordingName: string): Promise<void>;
}

/** The channel (or playback, or recording) is gone: after a hang-up this is expected, not an error. */
export class ResourceGoneError extends Error {
  constructor(what: string) {
    super(`${what} no longer exists`);
    this.name = 'ResourceGoneError';
  }
}
