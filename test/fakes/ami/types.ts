export interface FakeAmiOptions {
  /** Accepted Username (default 'mcr'). */
  username?: string;
  /** Accepted Secret (default 'secret'). */
  password?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /**
   * How long a refused login waits before its error and the hang-up (Asterisk
   * sleeps one second; default 50 ms so tests stay quick).
   */
  failedLoginDelayMs?: number;
  /** CLI output per `Action: Command` command line, added to (or replacing) the built-in ones. */
  commands?: Record<string, string>;
  /** False: `Action: Command` is refused (a manager.conf user without the `command` write class). Default true. */
  allowCommand?: boolean;
}

/** One action as the fake read it off the wire; headers in the order sent, names as sent. */
export interface ReceivedAction {
  action: string;
  headers: ReadonlyArray<readonly [string, string]>;
  sessionId: number;
  at: Date;
}

export interface FakeAmi {
  /** `ami://user:secret@127.0.0.1:PORT`, the form AMI_URL takes. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Successful logins since the start (a reconnect counts again). */
  readonly logins: number;
  /** Refused logins since the start. */
  readonly failedLogins: number;
  /** Open TCP connections, logged in or not. */
  readonly connections: number;
  /** Connections that are logged in right now. */
  readonly sessions: number;
  readonly actions: readonly ReceivedAction[];

  /**
   * Writes one event block (`Event: <fields.Event>` first, then the other fields
   * in order) to every logged-in connection that did not ask for `Events: off`.
   * Returns how many connections it was written to.
   */
  sendEvent(fields: Record<string, string>): number;
  /** Resolves once `count` logins have succeeded in total (immediately when they already have). */
  waitForLogins(count: number, timeoutMs?: number): Promise<void>;
  /** On: actions are read and recorded but never answered (a wedged Asterisk, a half-open socket). */
  setUnresponsive(on: boolean): void;
  /** Destroys every connection at once (an Asterisk restart, a network cut); resolves when all are closed. */
  dropConnections(): Promise<void>;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}
