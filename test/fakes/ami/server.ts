import net, { type AddressInfo } from 'node:net';
import { DEFAULT_CLI_OUTPUTS, unknownCommandOutput } from './cli-outputs.js';
import type { FakeAmi, FakeAmiOptions, ReceivedAction } from './types.js';
import { AmiReader, block, header, type Headers } from './wire.js';

/** The greeting Asterisk 20/22 sends the moment a manager connection opens. */
export const AMI_GREETING = 'Asterisk Call Manager/9.0.0';

interface Session {
  id: number;
  socket: net.Socket;
  reader: AmiReader;
  authenticated: boolean;
  /** False after `Events: off` at login (or `Action: Events` with `EventMask: off`). */
  wantsEvents: boolean;
}

type Lines = Array<readonly [string, string]>;

/** A fake Asterisk Manager Interface on 127.0.0.1, speaking the real line protocol over TCP. */
export async function createFakeAmi(options: FakeAmiOptions = {}): Promise<FakeAmi> {
  const fake = new FakeAmiServer(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

class FakeAmiServer implements FakeAmi {
  readonly host: string;
  readonly username: string;
  readonly password: string;
  readonly actions: ReceivedAction[] = [];
  logins = 0;
  failedLogins = 0;

  private readonly server: net.Server;
  private readonly live = new Map<number, Session>();
  private readonly cli: Record<string, string>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly loginWaiters = new Set<() => void>();
  private nextSessionId = 0;
  private unresponsive = false;
  private boundPort = 0;

  constructor(private readonly options: FakeAmiOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.username = options.username ?? 'mcr';
    this.password = options.password ?? 'secret';
    this.cli = { ...DEFAULT_CLI_OUTPUTS, ...options.commands };
    this.server = net.createServer((socket) => this.accept(socket));
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `ami://${encodeURIComponent(this.username)}:${encodeURIComponent(this.password)}@${this.host}:${this.boundPort}`;
  }

  get connections(): number {
    return this.live.size;
  }

  get sessions(): number {
    return [...this.live.values()].filter((s) => s.authenticated).length;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  sendEvent(fields: Record<string, string>): number {
    const name = fields.Event ?? fields.event;
    if (!name) throw new Error('sendEvent needs an Event field');
    const lines: Lines = [['Event', name], ...Object.entries(fields).filter(([key]) => key.toLowerCase() !== 'event')];
    const text = block(lines);
    let written = 0;
    for (const session of this.live.values()) {
      if (!session.authenticated || !session.wantsEvents || session.socket.destroyed) continue;
      session.socket.write(text);
      written += 1;
    }
    return written;
  }

  waitForLogins(count: number, timeoutMs = 5000): Promise<void> {
    if (this.logins >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.logins < count) return;
        clearTimeout(timer);
        this.loginWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.loginWaiters.delete(check);
        reject(new Error(`fake AMI: ${count} login(s) expected within ${timeoutMs} ms, got ${this.logins}`));
      }, timeoutMs);
      this.loginWaiters.add(check);
    });
  }

  setUnresponsive(on: boolean): void {
    this.unresponsive = on;
  }

  async dropConnections(): Promise<void> {
    const closed = [...this.live.values()].map(
      (session) => new Promise<void>((resolve) => (session.socket.destroyed ? resolve() : session.socket.once('close', () => resolve()))),
    );
    for (const session of this.live.values()) session.socket.destroy();
    await Promise.all(closed);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.dropConnections();
    await stopped;
  }

  private accept(socket: net.Socket): void {
    const session: Session = { id: ++this.nextSessionId, socket, reader: new AmiReader(), authenticated: false, wantsEvents: true };
    this.live.set(session.id, session);
    socket.setEncoding('utf8');
    // A client that resets the connection is normal here (drop tests); it must not crash the fake.
    socket.on('error', () => undefined);
    socket.on('close', () => this.live.delete(session.id));
    socket.on('data', (chunk: string) => {
      let messages: Headers[];
      try {
        messages = session.reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) this.handle(session, message);
    });
    socket.write(`${AMI_GREETING}\r\n`);
  }

  private handle(session: Session, message: Headers): void {
    const action = header(message, 'Action') ?? '';
    this.actions.push({ action, headers: message, sessionId: session.id, at: new Date() });
    if (this.unresponsive) return;
    const actionId = header(message, 'ActionID');
    const reply = (lines: Lines) => {
      if (session.socket.destroyed) return;
      const [first, ...rest] = lines;
      // Asterisk puts the ActionID right after the Response line.
      session.socket.write(block(first ? [first, ...(actionId !== undefined ? [['ActionID', actionId] as const] : []), ...rest] : []));
    };

    const name = action.toLowerCase();
    if (name === '')
      return reply([
        ['Response', 'Error'],
        ['Message', 'Missing action in request'],
      ]);
    if (name === 'login') return this.login(session, message, reply);
    if (name === 'logoff') {
      reply([
        ['Response', 'Goodbye'],
        ['Message', 'Thanks for all the fish.'],
      ]);
      session.socket.end();
      return;
    }
    if (!session.authenticated)
      return reply([
        ['Response', 'Error'],
        ['Message', 'Permission denied'],
      ]);
    switch (name) {
      case 'ping':
        return reply([
          ['Response', 'Success'],
          ['Ping', 'Pong'],
          ['Timestamp', (Date.now() / 1000).toFixed(6)],
        ]);
      case 'events': {
        session.wantsEvents = !isOff(header(message, 'EventMask'));
        return reply([
          ['Response', 'Success'],
          ['Events', session.wantsEvents ? 'On' : 'Off'],
        ]);
      }
      case 'command':
        return this.command(message, reply);
      default:
        return reply([
          ['Response', 'Error'],
          ['Message', `Invalid/unknown command: ${action}. Use Action: ListCommands to show available commands.`],
        ]);
    }
  }

  private login(session: Session, message: Headers, reply: (lines: Lines) => void): void {
    if (session.authenticated)
      return reply([
        ['Response', 'Success'],
        ['Message', 'Already authenticated'],
      ]);
    const ok = header(message, 'Username') === this.username && header(message, 'Secret') === this.password;
    if (!ok) {
      this.failedLogins += 1;
      // Asterisk sleeps, answers the error and closes the session.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        reply([
          ['Response', 'Error'],
          ['Message', 'Authentication failed'],
        ]);
        session.socket.end();
      }, this.options.failedLoginDelayMs ?? 50);
      this.timers.add(timer);
      return;
    }
    session.authenticated = true;
    // Only the `Events` header counts, as in Asterisk's authenticate(); asterisk-manager
    // sends `Event:`, which Asterisk ignores, so its sessions get events either way.
    const events = header(message, 'Events');
    if (events !== undefined && events !== '') session.wantsEvents = !isOff(events);
    this.logins += 1;
    reply([
      ['Response', 'Success'],
      ['Message', 'Authentication accepted'],
    ]);
    for (const waiter of [...this.loginWaiters]) waiter();
  }

  private command(message: Headers, reply: (lines: Lines) => void): void {
    if (this.options.allowCommand === false)
      return reply([
        ['Response', 'Error'],
        ['Message', 'Permission denied'],
      ]);
    const command = (header(message, 'Command') ?? '').trim().replace(/\s+/g, ' ');
    const output = this.cli[command] ?? unknownCommandOutput(command);
    // Asterisk 14+ answers Success with one Output header per non-empty line.
    const lines: Lines = [
      ['Response', 'Success'],
      ['Message', 'Command output follows'],
      ...output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => ['Output', line] as const),
    ];
    reply(lines);
  }
}

function isOff(value: string | undefined): boolean {
  return ['off', 'no', 'false', '0'].includes((value ?? '').trim().toLowerCase());
}
