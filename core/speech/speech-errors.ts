/** The chosen engine cannot run here; `message` says what to install or configure. */
export class SpeechEngineUnavailableError extends Error {
  constructor(
    readonly engine: string,
    message: string,
  ) {
    super(message);
    this.name = 'SpeechEngineUnavailableError';
  }
}

/** Recognition took longer than allowed: the IVR falls back to the keypad. */
export class SpeechTimeoutError extends Error {
  constructor(
    readonly engine: string,
    readonly timeoutMs: number,
  ) {
    super(`${engine} speech recognition took longer than ${timeoutMs} ms`);
    this.name = 'SpeechTimeoutError';
  }
}

/** The engine ran but failed (bad audio, crashed process, API error). */
export class SpeechRecognitionError extends Error {
  constructor(
    readonly engine: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SpeechRecognitionError';
  }
}
