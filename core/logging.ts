import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Secrets and message bodies never reach the log: ari-client puts
 * `api_key=user:pass` into URLs, and texts are personal data.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'missed-call-recovery' },
      redact: {
        paths: [
          'password',
          '*.password',
          'apiKey',
          '*.apiKey',
          'body',
          '*.body',
          'text',
          '*.text',
          'url',
          '*.url',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
