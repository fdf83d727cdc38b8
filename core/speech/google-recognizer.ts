import type { protos } from '@google-cloud/speech';
import { deadlineSignal } from './deadline.js';
import { interpretTranscript } from './interpret-transcript.js';
import { SpeechRecognitionError } from './speech-errors.js';
import type { RecognizeOptions, SpeechRecognizer, SpeechResult, SpeechTranscriber, Transcription } from './speech-recognizer.js';
import { readWav, type WavFormat } from './wav-format.js';

export type RecognizeRequest = protos.google.cloud.speech.v1.IRecognizeRequest;
export type RecognizeResponse = protos.google.cloud.speech.v1.IRecognizeResponse;

/**
 * The one call this adapter makes, shaped like `v1.SpeechClient#recognize`, so
 * tests hand in a fake with scripted responses and never touch the network.
 */
export interface GoogleSpeechClient {
  recognize(request: RecognizeRequest, options?: { timeout?: number }): Promise<[RecognizeResponse, ...unknown[]]>;
  close?(): Promise<void>;
}

export interface GoogleRecognizerOptions {
  client: GoogleSpeechClient;
  /** BCP-47 code of what callers speak. */
  languageCode?: string;
  /** Google's model name, e.g. `phone_call` for 8 kHz telephony; unset lets Google choose. */
  model?: string;
  /** Default upper bound per recognition; a call's own `timeoutMs` wins. */
  timeoutMs?: number;
  /** Close the client with the recognizer: true when the factory created it. */
  ownsClient?: boolean;
}

// Hints, not a grammar: they make Google prefer these words over sound-alikes
// ("no" over "know", "yeah" over "yay") while it can still hear anything else.
export const GOOGLE_PHRASE_HINTS = [
  'yes',
  'yeah',
  'yep',
  'yes please',
  'sure',
  'okay',
  'text me',
  'no',
  'nope',
  'no thanks',
  'no thank you',
  'call me',
  "don't text me",
];

const DEFAULT_TIMEOUT_MS = 15_000;
// Google's synchronous recognize accepts at most one minute of audio.
const MAX_SECONDS = 60;
/** Pieces a long message is cut into for synchronous recognition (under the minute). */
const CHUNK_SECONDS = 55;

/**
 * Cloud adapter: sends the recording to Google Speech-to-Text (v1 recognize)
 * and reads the answer from the transcript. Audio leaves the machine, so it is
 * only ever built when credentials are configured on purpose.
 */
export class GoogleSpeechRecognizer implements SpeechRecognizer, SpeechTranscriber {
  readonly engine = 'google';
  private readonly client: GoogleSpeechClient;
  private readonly languageCode: string;
  private readonly model: string | undefined;
  private readonly timeoutMs: number;
  private readonly ownsClient: boolean;

  constructor(options: GoogleRecognizerOptions) {
    this.client = options.client;
    this.languageCode = options.languageCode ?? 'en-US';
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.ownsClient = options.ownsClient ?? false;
  }

  async recognizeYesNo(audio: Buffer, options: RecognizeOptions = {}): Promise<SpeechResult> {
    const request = this.buildRequest(audio);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = deadlineSignal(this.engine, timeoutMs, options.signal);
    try {
      const [response] = await untilAborted(this.client.recognize(request, { timeout: timeoutMs }), deadline.signal);
      return this.readResponse(response);
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      throw new SpeechRecognitionError(this.engine, `Google speech request failed: ${describe(error)}`, { cause: error });
    } finally {
      deadline.dispose();
    }
  }

  /**
   * A whole message, free-form (no phrase hints). Synchronous recognition takes
   * at most a minute of inline audio (longer needs a Cloud Storage upload), so a
   * longer message is sent in consecutive 55-second pieces and the texts joined.
   */
  async transcribe(audio: Buffer, options: RecognizeOptions = {}): Promise<Transcription> {
    let wav: WavFormat;
    try {
      wav = readWav(audio);
    } catch (error) {
      throw new SpeechRecognitionError(this.engine, describe(error), { cause: error });
    }
    const encoding = encodingOf(wav);
    const bytesPerSecond = wav.sampleRate * wav.channels * (wav.bitsPerSample / 8);
    const blockAlign = wav.channels * (wav.bitsPerSample / 8);
    const pieceBytes = Math.max(blockAlign, Math.floor((bytesPerSecond * CHUNK_SECONDS) / blockAlign) * blockAlign);
    const texts: string[] = [];
    const confidences: number[] = [];
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    for (let at = 0; at < wav.data.length; at += pieceBytes) {
      const request: RecognizeRequest = {
        config: {
          encoding,
          sampleRateHertz: wav.sampleRate,
          audioChannelCount: wav.channels,
          languageCode: this.languageCode,
          maxAlternatives: 1,
          enableAutomaticPunctuation: true,
          ...(this.model ? { model: this.model } : {}),
        },
        audio: { content: wav.data.subarray(at, at + pieceBytes) },
      };
      const deadline = deadlineSignal(this.engine, timeoutMs, options.signal);
      try {
        const [response] = await untilAborted(this.client.recognize(request, { timeout: timeoutMs }), deadline.signal);
        for (const result of response.results ?? []) {
          const top = result.alternatives?.[0];
          if (top?.transcript?.trim()) texts.push(top.transcript.trim());
          if (top?.confidence) confidences.push(top.confidence);
        }
      } catch (error) {
        if (deadline.signal.aborted) throw deadline.signal.reason;
        throw new SpeechRecognitionError(this.engine, `Google speech request failed: ${describe(error)}`, { cause: error });
      } finally {
        deadline.dispose();
      }
    }
    const result: Transcription = { transcript: texts.join(' '), engine: this.engine };
    if (confidences.length > 0) result.confidence = Math.min(...confidences);
    return result;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close?.();
  }

  private buildRequest(audio: Buffer): RecognizeRequest {
    let wav: WavFormat;
    try {
      wav = readWav(audio);
    } catch (error) {
      throw new SpeechRecognitionError(this.engine, describe(error), { cause: error });
    }
    const encoding = encodingOf(wav);
    const bytesPerSecond = wav.sampleRate * wav.channels * (wav.bitsPerSample / 8);
    if (bytesPerSecond > 0 && wav.data.length / bytesPerSecond > MAX_SECONDS) {
      throw new SpeechRecognitionError(this.engine, `recording is longer than ${MAX_SECONDS} s, the limit of synchronous recognition`);
    }
    return {
      config: {
        encoding,
        // From the file itself: Asterisk records 8 kHz, but wav16 or a
        // resampled file must not be read at the wrong speed.
        sampleRateHertz: wav.sampleRate,
        audioChannelCount: wav.channels,
        languageCode: this.languageCode,
        maxAlternatives: 1,
        speechContexts: [{ phrases: GOOGLE_PHRASE_HINTS }],
        ...(this.model ? { model: this.model } : {}),
      },
      // Samples only: the header was read above and is described by the config.
      audio: { content: wav.data },
    };
  }

  private readResponse(response: RecognizeResponse): SpeechResult {
    const best = (response.results ?? []).flatMap((result) => {
      const top = result.alternatives?.[0];
      const text = top?.transcript?.trim();
      return text ? [{ text, confidence: top?.confidence ?? 0 }] : [];
    });
    const transcript = best.map((segment) => segment.text).join(' ');
    // Google reports 0 when it has no estimate; the weakest segment speaks for the whole answer.
    const confidences = best.map((segment) => segment.confidence).filter((c) => c > 0);
    const result: SpeechResult = { answer: interpretTranscript(transcript), transcript, engine: this.engine };
    if (confidences.length > 0) result.confidence = Math.min(...confidences);
    return result;
  }
}

function encodingOf(wav: WavFormat): 'LINEAR16' | 'MULAW' {
  if (wav.audioFormat === 1 && wav.bitsPerSample === 16) return 'LINEAR16';
  if (wav.audioFormat === 7 && wav.bitsPerSample === 8) return 'MULAW';
  throw new SpeechRecognitionError(
    'google',
    `unsupported WAV encoding (format ${wav.audioFormat}, ${wav.bitsPerSample}-bit): Google needs 16-bit PCM or 8-bit µ-law`,
  );
}

/**
 * Stops waiting when the signal fires. The request is cancelled too when the
 * client's promise supports it (google-gax returns a cancellable promise).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    cancel(promise);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      cancel(promise);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function cancel(promise: Promise<unknown>): void {
  const cancellable = promise as Promise<unknown> & { cancel?: () => void };
  if (typeof cancellable.cancel === 'function') cancellable.cancel();
  // The cancelled call rejects later; nobody is waiting for it any more.
  promise.catch(() => undefined);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
