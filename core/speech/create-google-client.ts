import type { GoogleSpeechClient } from './google-recognizer.js';

export interface GoogleCredentials {
  /** Path to a service-account key file (what GOOGLE_APPLICATION_CREDENTIALS holds). */
  keyFilename?: string;
  /** A service account's key given inline, e.g. read from a secret store. */
  credentials?: { client_email: string; private_key: string };
  projectId?: string;
}

/**
 * Builds the real v1 SpeechClient. Loaded on demand: the Google client pulls in
 * a whole gRPC stack that installs without cloud speech never need to load.
 */
export async function createGoogleSpeechClient(config: GoogleCredentials): Promise<GoogleSpeechClient> {
  const { v1 } = await import('@google-cloud/speech');
  return new v1.SpeechClient({
    ...(config.keyFilename ? { keyFilename: config.keyFilename } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.projectId ? { projectId: config.projectId } : {}),
  });
}
