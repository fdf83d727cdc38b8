import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createGoogleSpeechClient, type GoogleCredentials } from './create-google-client.js';
import { GoogleSpeechRecognizer, type GoogleSpeechClient } from './google-recognizer.js';
import { PocketsphinxRecognizer, type PocketsphinxOptions } from './pocketsphinx-recognizer.js';
import { SpeechEngineUnavailableError } from './speech-errors.js';
import type { SpeechRecognizer, SpeechTranscriber } from './speech-recognizer.js';

/** Every engine both answers yes / no and transcribes messages. */
export type SpeechEngine = SpeechRecognizer & SpeechTranscriber;

export const SPEECH_ENGINES = ['off', 'pocketsphinx', 'google'] as const;
export type SpeechEngineSetting = (typeof SPEECH_ENGINES)[number];

export interface SpeechRecognizerDeps {
  /** Where GOOGLE_APPLICATION_CREDENTIALS is read from; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  pocketsphinx?: PocketsphinxOptions;
  google?: GoogleCredentials & {
    /** A ready client (tests pass a fake); when given, no credentials are needed. */
    client?: GoogleSpeechClient;
    languageCode?: string;
    model?: string;
    timeoutMs?: number;
  };
}

/**
 * The speech engine the configuration asks for, checked now so a missing
 * package or key is a start-up error that says what to do, never a surprise
 * on a caller's answer. `off` gives null: the IVR stays keypad-only.
 */
export async function createSpeechRecognizer(
  setting: SpeechEngineSetting,
  deps: SpeechRecognizerDeps = {},
): Promise<SpeechEngine | null> {
  switch (setting) {
    case 'off':
      return null;
    case 'pocketsphinx':
      return createPocketsphinx(deps.pocketsphinx ?? {});
    case 'google':
      return createGoogle(deps);
    default:
      // Reached only when an unchecked string comes from configuration.
      throw new Error(`unknown speech engine "${String(setting)}": use one of ${SPEECH_ENGINES.join(', ')}`);
  }
}

async function createPocketsphinx(options: PocketsphinxOptions): Promise<SpeechEngine> {
  const availability = await PocketsphinxRecognizer.checkAvailability(options);
  if (!availability.available) {
    throw new SpeechEngineUnavailableError(
      'pocketsphinx',
      `offline speech recognition (pocketsphinx) is not available: ${availability.problems.join('; ')}. ` +
        `Install with: apt-get install -y ${availability.debianPackages.join(' ')}`,
    );
  }
  return new PocketsphinxRecognizer(options);
}

async function createGoogle(deps: SpeechRecognizerDeps): Promise<SpeechEngine> {
  const { client, languageCode, model, timeoutMs, ...credentials } = deps.google ?? {};
  const settings = { languageCode, model, timeoutMs };
  if (client) return new GoogleSpeechRecognizer({ client, ...settings });

  const keyFilename = credentials.keyFilename ?? (deps.env ?? process.env).GOOGLE_APPLICATION_CREDENTIALS;
  if (!keyFilename && !credentials.credentials) {
    throw new SpeechEngineUnavailableError(
      'google',
      'Google speech recognition needs credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, ' +
        'or pass the key explicitly. (Or choose the offline engine, pocketsphinx.)',
    );
  }
  if (keyFilename && !credentials.credentials) await assertReadable(keyFilename);
  const created = await createGoogleSpeechClient({ ...credentials, ...(keyFilename ? { keyFilename } : {}) });
  return new GoogleSpeechRecognizer({ client: created, ...settings, ownsClient: true });
}

async function assertReadable(keyFilename: string): Promise<void> {
  try {
    await access(keyFilename, constants.R_OK);
  } catch {
    // The path is configuration, not a secret; the file's content never appears here.
    throw new SpeechEngineUnavailableError('google', `Google credentials file ${keyFilename} cannot be read`);
  }
}
