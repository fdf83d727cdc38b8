import type { Database } from '../db/database.js';
import { Voicemail } from '../entities/index.js';
import { recordIntegrationEvent } from '../integration/integration-events.js';
import type { Logger } from '../logging.js';
import type { RecordingStore } from '../recordings/recording-store.js';
import type { SpeechTranscriber } from '../speech/speech-recognizer.js';

export interface TranscriptionWorkerOptions {
  db: Database;
  recordings: RecordingStore;
  /** The configured engine (SPEECH_ENGINE); null: messages are kept untranscribed (`unavailable`). */
  transcriber: SpeechTranscriber | null;
  logger: Logger;
  pollMs?: number;
  /** Attempts before a message is `failed` (it is still alerted about, without a transcript). */
  maxAttempts?: number;
  /** How long a claimed message belongs to this instance. */
  leaseMs?: number;
}

/** Longest transcript kept (a two-minute message is far below it). */
const MAX_TRANSCRIPT_CHARS = 10_000;

/**
 * Transcribes the messages callers left, one at a time: claims a pending one
 * (FOR UPDATE SKIP LOCKED, with a lease), runs the speech engine outside any
 * transaction, then stores the transcript and records `voicemail.transcribed`
 * (the alert and the webhook carry the transcript) in one transaction. Without
 * an engine, or after the last failed attempt, the event still goes out, with
 * `transcript: null`, so nobody misses the message.
 */
export class TranscriptionWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private again = false;

  constructor(private readonly options: TranscriptionWorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Works through what is pending; resolves with how many were handled. */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (let voicemail = await this.claim(); voicemail; voicemail = await this.claim()) {
      await this.transcribe(voicemail);
      handled += 1;
    }
    return handled;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.again = false;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err) => this.options.logger.error({ err }, 'voicemail transcription round failed; retrying later'))
        .finally(() => {
          this.running = null;
          this.schedule(this.again ? 0 : (this.options.pollMs ?? 5000));
        });
    }, ms);
    this.timer.unref?.();
  }

  private async claim(): Promise<Voicemail | null> {
    const now = new Date();
    return this.options.db.fork().transactional(async (tx) => {
      const [row] = await tx.getConnection().execute<{ id: string }[]>(
        `select id from voicemail
          where (transcription = 'pending' and (lease_until is null or lease_until <= ?))
             or (transcription = 'transcribing' and lease_until < ?)
          order by created_at limit 1 for update skip locked`,
        [now, now],
        'all',
        tx.getTransactionContext(),
      );
      if (!row) return null;
      const voicemail = await tx.findOneOrFail(Voicemail, { id: row.id });
      voicemail.transcription = 'transcribing';
      voicemail.attempts += 1;
      voicemail.leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 10 * 60_000));
      await tx.flush();
      return voicemail;
    });
  }

  private async transcribe(claimed: Voicemail): Promise<void> {
    const { transcriber } = this.options;
    let transcript: string | null = null;
    let engine: string | null = transcriber?.engine ?? null;
    let error: string | null = null;
    if (transcriber) {
      try {
        const audio = await this.options.recordings.read(claimed.recordingPath);
        const result = await transcriber.transcribe(audio);
        transcript = result.transcript.slice(0, MAX_TRANSCRIPT_CHARS);
        engine = result.engine;
      } catch (err) {
        error = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 500);
      }
    }
    const maxAttempts = this.options.maxAttempts ?? 3;
    await this.options.db.fork().transactional(async (tx) => {
      const voicemail = await tx.findOne(Voicemail, { id: claimed.id });
      if (!voicemail || voicemail.transcription !== 'transcribing' || voicemail.attempts !== claimed.attempts) return;
      voicemail.error = error;
      voicemail.transcriptEngine = engine;
      if (error && voicemail.attempts < maxAttempts) {
        // Again later (the engine may be busy, the file on a disk being remounted).
        voicemail.transcription = 'pending';
        voicemail.leaseUntil = new Date(Date.now() + 60_000 * voicemail.attempts);
        await tx.flush();
        return;
      }
      voicemail.transcription = !transcriber ? 'unavailable' : error ? 'failed' : 'done';
      voicemail.transcript = transcript;
      voicemail.leaseUntil = null;
      voicemail.transcribedAt = new Date();
      recordIntegrationEvent(tx, {
        type: 'voicemail.transcribed',
        businessId: voicemail.businessId,
        leadId: voicemail.leadId,
        data: {
          voicemail_id: voicemail.id,
          lead_id: voicemail.leadId,
          call_id: voicemail.callId ?? null,
          callback_task_id: voicemail.callbackTaskId ?? null,
          source: voicemail.source,
          duration_ms: voicemail.durationMs ?? null,
          transcription: voicemail.transcription,
          transcript,
          engine,
        },
      });
      await tx.flush();
    });
    if (error) this.options.logger.warn({ voicemailId: claimed.id, attempts: claimed.attempts, error }, 'a voicemail could not be transcribed');
  }
}
