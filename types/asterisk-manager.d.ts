/**
 * Types for the `asterisk-manager` package (v0.2.x,
 * https://github.com/pipobscure/NodeJS-AsteriskManager), written from lib/ami.js.
 *
 * What the library does, as read from its source (it matters to every caller):
 * - `Manager(port, host, username, password, events)` connects and logs in at once
 *   when `port` is given. The login it starts itself cannot report a failure: its
 *   callback slot receives the username string, so a refused secret is silent.
 *   Construct it without a port and call `connect` and `login` to learn the result.
 * - The login action carries `Event: on|off` (not `Events:`), a header Asterisk
 *   ignores, so the session gets the events manager.conf's `read=` allows.
 * - It installs a no-op `error` listener itself, so socket errors never throw from
 *   its emitter; they also arrive on ours.
 * - `keepConnected()` only arms when called while a socket exists but is not open;
 *   it then retries every 10 s, +10 s per attempt up to 60 s, without jitter, printing
 *   with console.log. Actions sent while logged out are queued without a limit.
 * - Headers arrive with their names lower-cased (`UniqueID` -> `uniqueid`); a
 *   repeated header becomes an array; `Variable`/`ChanVariable` become objects;
 *   the event name is also emitted lower-cased (`userevent`, `hangup`, ...), and a
 *   UserEvent again as `userevent-<name>`.
 */
declare module 'asterisk-manager' {
  import type { EventEmitter } from 'node:events';

  namespace Manager {
    /** One header's value as the parser leaves it. */
    type AmiValue = string | string[] | Record<string, string>;

    /** An event or a response, headers lower-cased. */
    interface AmiMessage {
      readonly [header: string]: AmiValue | undefined;
    }

    /** An action to send: header names are written with their first letter upper-cased. */
    interface AmiAction {
      action: string;
      actionid?: string;
      [header: string]: string | number | boolean | string[] | Record<string, string> | undefined;
    }

    interface ManagerOptions {
      port: number | undefined;
      host: string;
      username: string;
      password: string;
      events: boolean;
    }

    interface ManagerInstance {
      readonly options: ManagerOptions;
      /** Opens the socket; the callback runs once it is connected (never with an error: errors go to 'error'). */
      connect(port: number, host: string, callback?: (err: null) => void): void;
      /** Sends Login with options.username/password; the callback gets the error response, or nothing on success. */
      login(callback?: (err?: AmiMessage) => void): void;
      /** Sends an action; the callback gets (error response or undefined, response). Returns the ActionID. */
      action(action: AmiAction, callback?: (err: AmiMessage | undefined, response: AmiMessage) => void): string;
      /** Ends the socket when it is open and forgets it; a socket still connecting is left alone. */
      disconnect(callback?: () => void): void;
      /** `undefined` (not false) when there is no socket at all. */
      isConnected(): boolean | undefined;
      connected(): boolean | undefined;
      keepConnected(): void;

      on(event: 'connect' | 'end', listener: () => void): this;
      on(event: 'close', listener: (hadError: boolean) => void): this;
      on(event: 'error', listener: (err: Error) => void): this;
      on(event: string, listener: (message: AmiMessage) => void): this;
      once: EventEmitter['once'];
      removeListener: EventEmitter['removeListener'];
      removeAllListeners: EventEmitter['removeAllListeners'];
      listeners: EventEmitter['listeners'];
      setMaxListeners: EventEmitter['setMaxListeners'];
      emit: EventEmitter['emit'];
    }
  }

  function Manager(port?: number, host?: string, username?: string, password?: string, events?: boolean): Manager.ManagerInstance;

  export = Manager;
}
