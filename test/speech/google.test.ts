import { describe, expect, it } from 'vitest';
import {
  GoogleSpeechRecognizer,
  GOOGLE_PHRASE_HINTS,
  type GoogleSpeechClient,
  type RecognizeRequest,
  type RecognizeResponse,
} from '../../core/speech/google-recognizer.js';
import { SpeechRecognitionError, SpeechTimeoutError } from '../../core/speech/speech-errors.js';
import { makeWav, silentPcm } from './wav-fixture.js';

/** Stands in for v1.SpeechClient: answers from a script and remembers what it was asked. */
class FakeSpeechClient implements GoogleSpeechClient {
  readonly requests: RecognizeRequest[] = [];
  readonly callOptions: Array<{ timeout?: number } | undefined> = [];
  cancelled = 0;
  closed = 0;

  constructor(private readonly script: Array<RecognizeResponse | Error | 'hang'>) {}

  recognize(request: RecognizeRequest, options?: { timeout?: number }): Promise<[RecognizeResponse, ...unknown[]]> {
    this.requests.push(request);
    this.callOptions.push(options);
    const next = this.script.shift() ?? { results: [] };
    if (next === 'hang') {
      // Like google-gax: a promise with cancel(), which rejects once cancelled.
      let rejectIt: (error: Error) => void = () => undefined;
      const promise = new Promise<[RecognizeResponse]>((_, reject) => (rejectIt = reject)) as Promise<[RecognizeResponse]> & {
        cancel(): void;
      };
      promise.cancel = () => {
        this.cancelled += 1;
        rejectIt(new Error('1 CANCELLED: Call cancelled'));
      };
      return promise;
    }
    return next instanceof Error ? Promise.reject(next) : Promise.resolve([next]);
  }

  async close(): Promise<void> {
    this.closed += 1;
  }
}

const said = (transcript: string, confidence?: number): RecognizeResponse => ({
  results: [{ alternatives: [{ transcript, ...(confidence === undefined ? {} : { confidence }) }] }],
});

const asteriskWav = (seconds = 1) => makeWav({ data: silentPcm(seconds) });

describe('Google speech recognition (fake client, no network)', () => {
  it('when Google hears "yes please", then the answer is yes with its transcript and confidence', async () => {
    const client = new FakeSpeechClient([said('yes please', 0.93)]);
    const result = await new GoogleSpeechRecognizer({ client }).recognizeYesNo(asteriskWav());
    expect(result).toEqual({ answer: 'yes', transcript: 'yes please', engine: 'google', confidence: 0.93 });
  });

  it('when Asterisk recorded 8 kHz PCM, then the request is LINEAR16 at 8000 Hz, en-US, with yes/no hints and the bare samples', async () => {
    const client = new FakeSpeechClient([said('no')]);
    const samples = silentPcm(0.5);
    await new GoogleSpeechRecognizer({ client }).recognizeYesNo(makeWav({ data: samples }));
    const request = client.requests[0]!;
    expect(request.config).toMatchObject({
      encoding: 'LINEAR16',
      sampleRateHertz: 8000,
      audioChannelCount: 1,
      languageCode: 'en-US',
      speechContexts: [{ phrases: GOOGLE_PHRASE_HINTS }],
    });
    expect(request.config?.speechContexts?.[0]?.phrases).toEqual(expect.arrayContaining(['yes', 'no']));
    expect(request.config).not.toHaveProperty('model');
    expect(Buffer.from(request.audio!.content as Uint8Array)).toEqual(samples);
  });

  it('when the recording is 16 kHz or µ-law, then the request follows the file header', async () => {
    const client = new FakeSpeechClient([said('yes'), said('yes')]);
    const recognizer = new GoogleSpeechRecognizer({ client, languageCode: 'en-GB', model: 'phone_call' });
    await recognizer.recognizeYesNo(makeWav({ data: silentPcm(0.2, 16000), sampleRate: 16000 }));
    await recognizer.recognizeYesNo(makeWav({ data: Buffer.alloc(800, 0xff), audioFormat: 7, bitsPerSample: 8 }));
    expect(client.requests[0]!.config).toMatchObject({
      encoding: 'LINEAR16',
      sampleRateHertz: 16000,
      languageCode: 'en-GB',
      model: 'phone_call',
    });
    expect(client.requests[1]!.config).toMatchObject({ encoding: 'MULAW', sampleRateHertz: 8000 });
  });

  it('when Google returns several segments, then they are joined and the weakest confidence counts', async () => {
    const client = new FakeSpeechClient([
      {
        results: [
          { alternatives: [{ transcript: 'no', confidence: 0.9 }] },
          { alternatives: [{ transcript: ' call me back', confidence: 0.6 }] },
        ],
      },
    ]);
    const result = await new GoogleSpeechRecognizer({ client }).recognizeYesNo(asteriskWav());
    expect(result).toEqual({ answer: 'no', transcript: 'no call me back', engine: 'google', confidence: 0.6 });
  });

  it('when Google hears nothing, then the answer is unclear with no confidence', async () => {
    const client = new FakeSpeechClient([{ results: [] }, said('yes, no', 0)]);
    const recognizer = new GoogleSpeechRecognizer({ client });
    expect(await recognizer.recognizeYesNo(asteriskWav())).toEqual({ answer: 'unclear', transcript: '', engine: 'google' });
    // A 0 confidence is Google's "no estimate", not a real 0.
    expect(await recognizer.recognizeYesNo(asteriskWav())).toEqual({ answer: 'unclear', transcript: 'yes, no', engine: 'google' });
  });

  it('when the API call fails, then it rejects with a recognition error naming the engine', async () => {
    const client = new FakeSpeechClient([new Error('7 PERMISSION_DENIED: Cloud Speech-to-Text API has not been used')]);
    const failure = new GoogleSpeechRecognizer({ client }).recognizeYesNo(asteriskWav());
    await expect(failure).rejects.toBeInstanceOf(SpeechRecognitionError);
    await expect(failure).rejects.toMatchObject({ engine: 'google', message: /PERMISSION_DENIED/ });
  });

  it('when the audio is not a WAV, a-law, or too long, then nothing is sent', async () => {
    const client = new FakeSpeechClient([]);
    const recognizer = new GoogleSpeechRecognizer({ client });
    await expect(recognizer.recognizeYesNo(Buffer.from('garbage'))).rejects.toThrow(/not a WAV/);
    await expect(recognizer.recognizeYesNo(makeWav({ data: Buffer.alloc(10), audioFormat: 6, bitsPerSample: 8 }))).rejects.toThrow(
      /unsupported WAV encoding/,
    );
    await expect(recognizer.recognizeYesNo(asteriskWav(61))).rejects.toThrow(/longer than 60 s/);
    expect(client.requests).toHaveLength(0);
  });

  it('when Google does not answer in time, then it rejects with a timeout and cancels the call', async () => {
    const client = new FakeSpeechClient(['hang']);
    const recognizer = new GoogleSpeechRecognizer({ client, timeoutMs: 50 });
    await expect(recognizer.recognizeYesNo(asteriskWav())).rejects.toBeInstanceOf(SpeechTimeoutError);
    expect(client.cancelled).toBe(1);
    expect(client.callOptions[0]).toEqual({ timeout: 50 });
  });

  it('when the caller hangs up mid-request, then it rejects with the abort reason and cancels the call', async () => {
    const client = new FakeSpeechClient(['hang']);
    const controller = new AbortController();
    const pending = new GoogleSpeechRecognizer({ client }).recognizeYesNo(asteriskWav(), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(client.cancelled).toBe(1);
  });

  it('when the recognizer is closed, then only a client it owns is closed', async () => {
    const injected = new FakeSpeechClient([]);
    await new GoogleSpeechRecognizer({ client: injected }).close();
    expect(injected.closed).toBe(0);
    const owned = new FakeSpeechClient([]);
    await new GoogleSpeechRecognizer({ client: owned, ownsClient: true }).close();
    expect(owned.closed).toBe(1);
  });
});
