/**
 * The speech port: the consent IVR asks "press 1 or say yes" and hands the
 * caller's recorded answer to whichever engine is configured. Adapters turn a
 * WAV recording into a yes / no / unclear answer; the IVR never sees an engine.
 */
export type YesNoAnswer = 'yes' | 'no' | 'unclear';

export interface SpeechResult {
  answer: YesNoAnswer;
  /** What the engine heard, kept as consent evidence next to the recording. */
  transcript: string;
  /** Which engine produced the result (`pocketsphinx`, `google`), also for the evidence. */
  engine: string;
  /** 0..1 when the engine reports one; absent otherwise (never invented). */
  confidence?: number;
}

export interface RecognizeOptions {
  /** Abort when the caller hangs up: the engine process or request is cancelled. */
  signal?: AbortSignal;
  /** Upper bound for one recognition; each adapter has its own default. */
  timeoutMs?: number;
}

export interface SpeechRecognizer {
  readonly engine: string;
  /**
   * `audio` is a whole WAV file as Asterisk records it (8 kHz mono 16-bit; other
   * rates are accepted). Resolves `unclear` when nothing usable was said;
   * rejects when the engine itself fails, so the IVR can fall back to the keypad.
   */
  recognizeYesNo(audio: Buffer, options?: RecognizeOptions): Promise<SpeechResult>;
  /** Releases what the engine holds open (a network client); called at shutdown. */
  close?(): Promise<void>;
}

/** What the engine heard in a free-form message (a voicemail). */
export interface Transcription {
  transcript: string;
  engine: string;
  confidence?: number;
}

/**
 * Free-form transcription through the same engines: a voicemail is anything
 * the caller said, so the offline engine uses its full language model here,
 * not the yes / no grammar.
 */
export interface SpeechTranscriber {
  readonly engine: string;
  transcribe(audio: Buffer, options?: RecognizeOptions): Promise<Transcription>;
}

export { interpretTranscript } from './interpret-transcript.js';
