import type { Client } from 'ari-client';
import { ResourceGoneError, type CallControl } from './call-control.js';
import { SNOOP_APP_ARG } from './ari-names.js';

export interface AriHttpSettings {
  url: string;
  username: string;
  password: string;
  app: string;
  /** Per-request limit: an Asterisk that stops answering must not hang a call forever. */
  requestTimeoutMs?: number;
}

/** CallControl over ARI: ari-client for the REST calls, plain fetch for binary audio. */
export class AriCallControl implements CallControl {
  private readonly timeoutMs: number;

  constructor(
    private readonly client: Client,
    private readonly settings: AriHttpSettings,
  ) {
    this.timeoutMs = settings.requestTimeoutMs ?? 10_000;
  }

  answer(channelId: string): Promise<void> {
    return this.call(`channel ${channelId}`, () => this.client.channels.answer({ channelId }));
  }

  continueInDialplan(channelId: string, label: string): Promise<void> {
    return this.call(`channel ${channelId}`, () => this.client.channels.continueInDialplan({ channelId, label }));
  }

  async getVariable(channelId: string, variable: string): Promise<string | null> {
    try {
      const result = await this.call(`channel ${channelId}`, () => this.client.channels.getChannelVar({ channelId, variable }));
      return result?.value ?? null;
    } catch (err) {
      if (err instanceof ResourceGoneError) throw err;
      return null;
    }
  }

  async play(channelId: string, media: string[], playbackId: string, language?: string): Promise<void> {
    await this.call(`channel ${channelId}`, () => this.client.channels.playWithId({ channelId, playbackId, media, lang: language }));
  }

  stopPlayback(playbackId: string): Promise<void> {
    return this.call(`playback ${playbackId}`, () => this.client.playbacks.stop({ playbackId }));
  }

  async startRecording(channelId: string, recordingName: string): Promise<{ snoopChannelId: string }> {
    // Recording the caller's channel directly would queue behind the prompts; a
    // snoop channel hears both directions while the prompts play.
    const snoop = await this.call(`channel ${channelId}`, () =>
      this.client.channels.snoopChannel({ channelId, app: this.settings.app, appArgs: SNOOP_APP_ARG, spy: 'both' }),
    );
    await this.call(`channel ${snoop.id}`, () =>
      this.client.channels.record({
        channelId: snoop.id,
        name: recordingName,
        format: 'wav',
        maxDurationSeconds: 300,
        ifExists: 'overwrite',
        beep: false,
      }),
    );
    return { snoopChannelId: snoop.id };
  }

  async recordAnswer(
    channelId: string,
    recordingName: string,
    limits: { maxDurationSeconds: number; maxSilenceSeconds: number },
  ): Promise<void> {
    await this.call(`channel ${channelId}`, () =>
      this.client.channels.record({
        channelId,
        name: recordingName,
        format: 'wav',
        maxDurationSeconds: limits.maxDurationSeconds,
        maxSilenceSeconds: limits.maxSilenceSeconds,
        ifExists: 'overwrite',
        beep: false,
        terminateOn: 'any',
      }),
    );
  }

  async recordMessage(channelId: string, recordingName: string, limits: { maxDurationSeconds: number; maxSilenceSeconds: number }): Promise<void> {
    await this.call(`channel ${channelId}`, () =>
      this.client.channels.record({
        channelId,
        name: recordingName,
        format: 'wav',
        maxDurationSeconds: limits.maxDurationSeconds,
        maxSilenceSeconds: limits.maxSilenceSeconds,
        ifExists: 'overwrite',
        beep: true,
        terminateOn: '#',
      }),
    );
  }

  stopRecording(recordingName: string): Promise<void> {
    return this.call(`recording ${recordingName}`, () => this.client.recordings.stop({ recordingName }));
  }

  hangup(channelId: string): Promise<void> {
    return this.call(`channel ${channelId}`, () => this.client.channels.hangup({ channelId }));
  }

  channelExists(channelId: string): Promise<boolean> {
    return this.exists(`channel ${channelId}`, () => this.client.channels.get({ channelId }));
  }

  playbackExists(playbackId: string): Promise<boolean> {
    return this.exists(`playback ${playbackId}`, () => this.client.playbacks.get({ playbackId }));
  }

  async fetchRecording(recordingName: string): Promise<Buffer> {
    // ari-client decodes bodies as text, which corrupts audio: fetch the bytes ourselves.
    const response = await fetch(this.restUrl(`/recordings/stored/${encodeURIComponent(recordingName)}/file`), {
      headers: { authorization: this.basicAuth() },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (response.status === 404) throw new ResourceGoneError(`recording ${recordingName}`);
    if (!response.ok) throw new Error(`ARI answered ${response.status} for the stored recording`);
    return Buffer.from(await response.arrayBuffer());
  }

  async deleteRecording(recordingName: string): Promise<void> {
    const response = await fetch(this.restUrl(`/recordings/stored/${encodeURIComponent(recordingName)}`), {
      method: 'DELETE',
      headers: { authorization: this.basicAuth() },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok && response.status !== 404) throw new Error(`ARI answered ${response.status} deleting a recording`);
  }

  private async exists(what: string, request: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(what, request);
      return true;
    } catch (err) {
      if (err instanceof ResourceGoneError) return false;
      throw err;
    }
  }

  private restUrl(pathname: string): string {
    return `${this.settings.url.replace(/\/+$/, '')}/ari${pathname}`;
  }

  private basicAuth(): string {
    return `Basic ${Buffer.from(`${this.settings.username}:${this.settings.password}`).toString('base64')}`;
  }

  /** Runs one ARI request with a time limit, turning "not found" into ResourceGoneError. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`ARI request for ${what} timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([request(), timeout]);
    } catch (err) {
      if (isNotFound(err)) throw new ResourceGoneError(what);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * ari-client errors carry no status code, only Asterisk's JSON body as the
 * message, e.g. {"message":"Channel not found"}. An unset variable is also a
 * 404 ("Provided variable was not found") but says nothing about the channel.
 */
function isNotFound(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  if (/variable was not found/i.test(message)) return false;
  return /not found/i.test(message);
}
