import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpeechRecognizer, type SpeechEngineSetting } from '../../core/speech/create-recognizer.js';
import { GoogleSpeechRecognizer, type GoogleSpeechClient } from '../../core/speech/google-recognizer.js';
import { PocketsphinxRecognizer } from '../../core/speech/pocketsphinx-recognizer.js';
import { SpeechEngineUnavailableError } from '../../core/speech/speech-errors.js';

const fakeClient: GoogleSpeechClient = { recognize: async () => [{ results: [] }] };

describe('choosing the speech engine', () => {
  it('when speech is off, then there is no recognizer and the IVR stays keypad-only', async () => {
    expect(await createSpeechRecognizer('off')).toBeNull();
  });

  it('when pocketsphinx is chosen but not installed, then the error names the Debian packages to install', async () => {
    const missing = createSpeechRecognizer('pocketsphinx', {
      pocketsphinx: { pocketsphinxBin: '/nonexistent/pocketsphinx_batch', soxBin: '/nonexistent/sox', modelDir: '/nonexistent/model' },
    });
    await expect(missing).rejects.toBeInstanceOf(SpeechEngineUnavailableError);
    await expect(missing).rejects.toThrow('apt-get install -y pocketsphinx sox pocketsphinx-en-us');
  });

  it('when pocketsphinx is installed, then the offline adapter is built', async () => {
    // Environment-dependent by nature: on a machine without it, the error case above applies.
    const availability = await PocketsphinxRecognizer.checkAvailability();
    const created = createSpeechRecognizer('pocketsphinx');
    if (availability.available) expect(await created).toBeInstanceOf(PocketsphinxRecognizer);
    else await expect(created).rejects.toThrow(/apt-get install -y/);
  });

  it('when Google is chosen without credentials, then it refuses and says what to set', async () => {
    const missing = createSpeechRecognizer('google', { env: {} });
    await expect(missing).rejects.toBeInstanceOf(SpeechEngineUnavailableError);
    await expect(missing).rejects.toThrow(/GOOGLE_APPLICATION_CREDENTIALS/);
  });

  it('when GOOGLE_APPLICATION_CREDENTIALS points at a missing file, then it says which file', async () => {
    await expect(createSpeechRecognizer('google', { env: { GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' } })).rejects.toThrow(
      '/nonexistent/key.json cannot be read',
    );
  });

  it('when a client is injected, then the Google adapter uses it without credentials', async () => {
    const recognizer = await createSpeechRecognizer('google', { env: {}, google: { client: fakeClient } });
    expect(recognizer).toBeInstanceOf(GoogleSpeechRecognizer);
    expect(recognizer?.engine).toBe('google');
  });

  it('when a key file is configured, then a real client is built without contacting Google', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mcr-google-key-'));
    try {
      const keyFile = path.join(dir, 'key.json');
      // Never read at construction: the client authenticates on its first request.
      await writeFile(keyFile, '{}');
      const recognizer = await createSpeechRecognizer('google', { env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile } });
      expect(recognizer).toBeInstanceOf(GoogleSpeechRecognizer);
      await recognizer?.close?.();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('when the setting is not a known engine, then the error lists the valid ones', async () => {
    await expect(createSpeechRecognizer('whisper' as SpeechEngineSetting)).rejects.toThrow('use one of off, pocketsphinx, google');
  });
});
