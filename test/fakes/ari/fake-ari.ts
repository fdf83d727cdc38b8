// createFakeAri: wires state, services, the WebSocket hub and the HTTP server
// into one FakeAri. Each call makes an independent fake (nothing module-level).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { isAuthorized, queryWithoutSecrets, type Credentials } from './auth.js';
import { createChannelService, type AddChannelInput, type ChannelService } from './channel-service.js';
import { AriEventType } from './event-types.js';
import type { EventSink } from './events.js';
import { channelSnapshot } from './events.js';
import type { FakeAri, FakeAriEventMap, FakeAriOptions, FakeChannelInfo } from './fake-ari-types.js';
import { NORMAL_CLEARING } from './hangup-causes.js';
import { createControlHandler } from './http-control.js';
import { createMediaQueue } from './media-queue.js';
import type { AriEvent } from './models.js';
import { createPlaybackService } from './playback-service.js';
import { createRecordingService, type RecordingService } from './recording-service.js';
import { createRestHandlers, type OperationHandlers } from './rest/index.js';
import { buildRoutes, type Route } from './router.js';
import { startFakeAriServer, type RecordedRequest } from './server.js';
import { createFakeAriState, type FakeAriState } from './state.js';
import { asteriskTimestamp } from './timestamp.js';
import { createWebSocketHub, type WebSocketHub } from './websocket-hub.js';

const LOG_LIMIT = 10_000;
const DEFAULT_WAIT_MS = 5_000;

export async function createFakeAri(options: FakeAriOptions = {}): Promise<FakeAri> {
  const fake = new FakeAriServer(options);
  await fake.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  return fake;
}

class FakeAriServer extends EventEmitter<FakeAriEventMap> implements FakeAri {
  readonly username: string;
  readonly password: string;
  readonly requests: RecordedRequest[] = [];
  readonly events: AriEvent[] = [];
  url = '';

  private readonly defaultApp: string;
  private readonly asteriskId = localMac();
  private startedAt = asteriskTimestamp();
  private readonly state: FakeAriState = createFakeAriState();
  private readonly hub: WebSocketHub;
  private readonly channelService: ChannelService;
  private readonly recordingService: RecordingService;
  private readonly routes: Route[];
  private readonly handlers: OperationHandlers;
  private server?: Server;

  constructor(options: FakeAriOptions) {
    super();
    this.username = options.username ?? 'asterisk';
    this.password = options.password ?? 'secret';
    this.defaultApp = options.app ?? 'missed-call-recovery';
    const credentials: Credentials = { username: this.username, password: this.password };

    this.hub = createWebSocketHub({
      authorize: (req, url) => isAuthorized(req, url, credentials),
      onUpgrade: (url, status) => this.record({ method: 'GET', url, body: undefined, status }),
      onConnected: (apps) => this.emit('ws-connected', { apps }),
      onDisconnected: (apps) => this.emit('ws-disconnected', { apps }),
      replacedEvent: (app) => this.stamp(app, { type: AriEventType.ApplicationReplaced }),
      onEvent: (event, delivered) => {
        pushCapped(this.events, event);
        this.emit('event', event, { delivered });
      },
    });

    const emit: EventSink = (app, body) => {
      if (app !== undefined) this.hub.send(app, this.stamp(app, body));
    };
    const queue = createMediaQueue(this.state);
    const recordings = createRecordingService({ state: this.state, queue, emit });
    this.recordingService = recordings;
    const playbacks = createPlaybackService({ state: this.state, queue, emit, playbackMs: options.playbackMs ?? 30 });
    this.channelService = createChannelService({
      state: this.state,
      queue,
      emit,
      recordings,
      isAppRegistered: (app) => this.hub.isRegistered(app),
    });
    this.routes = buildRoutes();
    this.handlers = createRestHandlers(
      {
        state: this.state,
        channels: this.channelService,
        playbacks,
        recordings,
        registeredApps: () => this.hub.registeredApps(),
        asteriskId: this.asteriskId,
        startedAt: () => this.startedAt,
      },
      this.routes,
    );
  }

  async listen(host: string, port: number): Promise<void> {
    const started = await startFakeAriServer({
      host,
      port,
      credentials: { username: this.username, password: this.password },
      routes: this.routes,
      handlers: this.handlers,
      hub: this.hub,
      control: createControlHandler(() => this),
      onRequest: (request) => this.pushRequest(request),
    });
    this.server = started.server;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.url = `http://${urlHost}:${started.port}`;
  }

  get channels(): ReadonlyMap<string, FakeChannelInfo> {
    const view = new Map<string, FakeChannelInfo>();
    for (const [id, record] of this.state.channels) {
      view.set(id, {
        channel: channelSnapshot(record),
        ...(record.app !== undefined ? { app: record.app } : {}),
        variables: Object.fromEntries(record.variables),
        ...(record.snoopOf !== undefined ? { snoopOf: record.snoopOf } : {}),
      });
    }
    return view;
  }

  get globals(): ReadonlyMap<string, string> {
    return new Map(this.state.globals);
  }

  addChannel(input: AddChannelInput): string {
    return this.channelService.add(input).json.id;
  }

  startStasis(channelId: string, args: string[] = [], app: string = this.defaultApp): boolean {
    return this.channelService.startStasis(channelId, args, app);
  }

  sendDtmf(channelId: string, digit: string, durationMs = 100): void {
    this.channelService.sendDtmf(channelId, digit, durationMs);
  }

  speakInto(channelId: string, wav: Buffer): boolean {
    const channel = this.state.channels.get(channelId);
    return channel ? this.recordingService.speak(channel, wav) : false;
  }

  callerHangup(channelId: string, cause: number = NORMAL_CLEARING): void {
    this.channelService.hangup(channelId, { cause });
  }

  dropWebSockets(): void {
    this.hub.dropAll();
  }

  restart(): void {
    this.state.reset();
    this.hub.dropAll();
    this.startedAt = asteriskTimestamp();
  }

  storedRecording(name: string): Buffer | undefined {
    const data = this.state.storedRecordings.get(name)?.data;
    return data === undefined ? undefined : Buffer.from(data);
  }

  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return waitFor('request', this.requests, predicate, timeoutMs, (listener) => {
      this.on('request', listener);
      return () => this.off('request', listener);
    });
  }

  waitForEvent(predicate: (event: AriEvent) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<AriEvent> {
    return waitFor('event', this.events, predicate, timeoutMs, (listener) => {
      this.on('event', listener);
      return () => this.off('event', listener);
    });
  }

  async close(): Promise<void> {
    this.state.reset();
    await this.hub.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private stamp(app: string, body: Parameters<EventSink>[1]): AriEvent {
    return { ...body, application: app, timestamp: asteriskTimestamp(), asterisk_id: this.asteriskId };
  }

  private record(entry: { method: string; url: URL; body: unknown; status: number }): void {
    this.pushRequest({
      method: entry.method,
      path: decodeURIComponent(entry.url.pathname),
      query: queryWithoutSecrets(entry.url),
      body: entry.body,
      status: entry.status,
      at: new Date().toISOString(),
    });
  }

  private pushRequest(request: RecordedRequest): void {
    pushCapped(this.requests, request);
    this.emit('request', request);
  }
}

/** Resolve with the first past or future item the predicate accepts, or reject after timeoutMs. */
function waitFor<T>(
  label: string,
  past: readonly T[],
  predicate: (item: T) => boolean,
  timeoutMs: number,
  subscribe: (listener: (item: T) => void) => () => void,
): Promise<T> {
  const found = past.find(predicate);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const unsubscribe = subscribe((item) => {
      if (!predicate(item)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(item);
    });
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`fake ARI: no matching ${label} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

function pushCapped<T>(log: T[], item: T): void {
  log.push(item);
  if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
}

/** Asterisk's entity id looks like a MAC address; a locally administered one here. */
function localMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
