/** Asterisk global variables, as the open-state publisher needs them. */
export interface GlobalVariables {
  /** Sets a global; `null` removes it (ARI's setGlobalVar without a value). */
  set(name: string, value: string | null): Promise<void>;
}

export interface AriGlobalSettings {
  url: string;
  username: string;
  password: string;
  requestTimeoutMs?: number;
}

/**
 * `POST /ari/asterisk/variable` over plain fetch rather than ari-client: it
 * works whenever Asterisk's HTTP server answers, whatever state the event
 * socket is in, and a failure comes back with its status code instead of a
 * JSON string in an Error message.
 */
export class AriGlobalVariables implements GlobalVariables {
  constructor(private readonly settings: AriGlobalSettings) {}

  async set(name: string, value: string | null): Promise<void> {
    const query = new URLSearchParams({ variable: name });
    if (value !== null) query.set('value', value);
    const response = await fetch(`${this.settings.url.replace(/\/+$/, '')}/ari/asterisk/variable?${query.toString()}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${this.settings.username}:${this.settings.password}`).toString('base64')}` },
      signal: AbortSignal.timeout(this.settings.requestTimeoutMs ?? 5_000),
    });
    // Read the body so the connection can be reused; its text is Asterisk's, safe to drop.
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`ARI answered ${response.status} setting the global ${name}`);
  }
}
