// Channels: creation (by the test, standing in for a SIP call arriving), Stasis
// entry, answer, DTMF, variables, snoop and hang-up, with the events Asterisk
// sends for each. Hang-up order: ChannelHangupRequest, then the end of any
// playback/recording, StasisEnd, ChannelDestroyed, then the same for snoop
// channels spying on it.
import { randomBytes } from 'node:crypto';
import { setChannelUp } from './channel-state.js';
import { AriHttpError, channelNotFound } from './errors.js';
import { AriEventType } from './event-types.js';
import { channelSnapshot, type EventSink } from './events.js';
import { hangupCauseText, NORMAL_CLEARING } from './hangup-causes.js';
import type { MediaQueue } from './media-queue.js';
import type { ChannelJson } from './models.js';
import type { RecordingService } from './recording-service.js';
import type { ChannelRecord, FakeAriState } from './state.js';
import { asteriskTimestamp } from './timestamp.js';

export interface AddChannelInput {
  /** Asterisk uniqueid; generated (epoch.sequence) when absent. */
  id?: string;
  callerNumber: string;
  callerName?: string;
  /** The number dialled (the DID). */
  exten: string;
  context?: string;
  /** PJSIP endpoint the call came in on; names the channel PJSIP/<endpoint>-0000000N. */
  endpoint?: string;
  language?: string;
  /** Variables the dialplan set before Stasis() (DIALSTATUS, headers read with PJSIP_HEADER...). */
  variables?: Record<string, string>;
}

export interface SnoopRequest {
  app: string;
  appArgs?: string;
  snoopId?: string;
}

export interface HangupOptions {
  cause: number;
  /** true when ARI asked for it (DELETE /channels/{id}), absent for a far-end hang-up. */
  soft?: boolean;
}

export interface ChannelService {
  add(input: AddChannelInput): ChannelRecord;
  /** false when the application has no WebSocket: Asterisk's Stasis() then fails and the channel stays out. */
  startStasis(channelId: string, args: string[], app: string): boolean;
  answer(channelId: string): void;
  /** The channel leaves the application and goes on in the dialplan (StasisEnd; the channel lives on). */
  continueInDialplan(channelId: string): void;
  hangup(channelId: string, options: HangupOptions): void;
  sendDtmf(channelId: string, digit: string, durationMs: number): void;
  snoop(channelId: string, request: SnoopRequest): ChannelJson;
  getVariable(channelId: string, name: string): string;
  setVariable(channelId: string, name: string, value: string | undefined, reportEvents: boolean): void;
  get(channelId: string): ChannelRecord;
  getInStasis(channelId: string): ChannelRecord;
}

interface ChannelDeps {
  state: FakeAriState;
  queue: MediaQueue;
  emit: EventSink;
  recordings: RecordingService;
  isAppRegistered(app: string): boolean;
}

const DTMF_DIGIT = /^[0-9A-D*#]$/;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

export function createChannelService({ state, queue, emit, recordings, isAppRegistered }: ChannelDeps): ChannelService {
  function get(channelId: string): ChannelRecord {
    const channel = state.channels.get(channelId);
    if (!channel) throw channelNotFound();
    return channel;
  }

  function getInStasis(channelId: string): ChannelRecord {
    const channel = get(channelId);
    if (channel.app === undefined) throw new AriHttpError(409, 'Channel not in Stasis application');
    return channel;
  }

  function newRecord(json: ChannelJson, variables: Record<string, string> = {}): ChannelRecord {
    if (state.channels.has(json.id)) throw new AriHttpError(409, 'Channel with given unique ID already exists');
    const channel: ChannelRecord = {
      json,
      variables: new Map(Object.entries(variables)),
      reportedVariables: new Set(),
      media: [],
      snoops: new Set(),
    };
    state.channels.set(json.id, channel);
    return channel;
  }

  function destroy(channel: ChannelRecord, options: HangupOptions & { requested: boolean }): void {
    const { app } = channel;
    if (options.requested) {
      emit(app, {
        type: AriEventType.ChannelHangupRequest,
        cause: options.cause,
        ...(options.soft ? { soft: true } : {}),
        channel: channelSnapshot(channel),
      });
    }
    queue.abortAll(channel);
    state.channels.delete(channel.json.id);
    if (channel.snoopOf) state.channels.get(channel.snoopOf)?.snoops.delete(channel.json.id);
    if (app !== undefined) emit(app, { type: AriEventType.StasisEnd, channel: channelSnapshot(channel) });
    emit(app, {
      type: AriEventType.ChannelDestroyed,
      cause: options.cause,
      cause_txt: hangupCauseText(options.cause),
      channel: channelSnapshot(channel),
    });
    // A snoop channel cannot outlive the channel it spies on.
    for (const snoopId of channel.snoops) {
      const snoop = state.channels.get(snoopId);
      if (snoop) destroy(snoop, { cause: NORMAL_CLEARING, requested: false });
    }
  }

  function builtinVariable(channel: ChannelRecord, name: string): string | undefined {
    const { json } = channel;
    switch (name) {
      case 'UNIQUEID':
      case 'CHANNEL(uniqueid)':
      case 'CHANNEL(linkedid)': // a call that came in on its own: linkedid is its uniqueid
        return json.id;
      case 'CHANNEL(name)':
        return json.name;
      case 'CHANNEL(language)':
        return json.language;
      case 'CALLERID(num)':
        return json.caller.number;
      case 'CALLERID(name)':
        return json.caller.name;
      case 'EXTEN':
        return json.dialplan.exten;
      case 'CONTEXT':
        return json.dialplan.context;
      default:
        return undefined;
    }
  }

  return {
    get,
    getInStasis,

    add(input) {
      const sequence = state.nextChannelSequence();
      return newRecord(
        {
          id: input.id ?? state.nextUniqueId(),
          name: `PJSIP/${input.endpoint ?? 'trunk'}-${hex8(sequence)}`,
          state: 'Ring',
          protocol_id: `${randomBytes(12).toString('hex')}@192.0.2.10`,
          caller: { name: input.callerName ?? '', number: input.callerNumber },
          connected: { name: '', number: '' },
          accountcode: '',
          dialplan: { context: input.context ?? 'from-trunk', exten: input.exten, priority: 1, app_name: '', app_data: '' },
          creationtime: asteriskTimestamp(),
          language: input.language ?? 'en',
        },
        input.variables,
      );
    },

    startStasis(channelId, args, app) {
      const channel = get(channelId);
      if (!isAppRegistered(app)) return false;
      channel.app = app;
      channel.json.dialplan.app_name = 'Stasis';
      channel.json.dialplan.app_data = [app, ...args].join(',');
      emit(app, { type: AriEventType.StasisStart, args: [...args], channel: channelSnapshot(channel) });
      return true;
    },

    answer(channelId) {
      setChannelUp(getInStasis(channelId), emit);
    },

    continueInDialplan(channelId) {
      const channel = getInStasis(channelId);
      const app = channel.app as string;
      channel.app = undefined;
      emit(app, { type: AriEventType.StasisEnd, channel: channelSnapshot(channel) });
    },

    hangup(channelId, options) {
      destroy(get(channelId), { ...options, requested: true });
    },

    sendDtmf(channelId, digit, durationMs) {
      const channel = get(channelId);
      const normalised = digit.toUpperCase();
      if (!DTMF_DIGIT.test(normalised)) throw new AriHttpError(400, `Invalid DTMF digit: ${digit}`);
      emit(channel.app, {
        type: AriEventType.ChannelDtmfReceived,
        digit: normalised,
        duration_ms: durationMs,
        channel: channelSnapshot(channel),
      });
      recordings.onDtmf(channel, normalised);
    },

    snoop(channelId, request) {
      const spied = get(channelId);
      const snoop = newRecord({
        id: request.snoopId ?? state.nextUniqueId(),
        name: `Snoop/${spied.json.id}-${hex8(state.nextChannelSequence())}`,
        state: 'Up',
        protocol_id: '',
        caller: { name: '', number: '' },
        connected: { name: '', number: '' },
        accountcode: '',
        dialplan: {
          context: 'default',
          exten: 's',
          priority: 1,
          app_name: 'Stasis',
          app_data: [request.app, request.appArgs ?? ''].join(','),
        },
        creationtime: asteriskTimestamp(),
        language: spied.json.language,
      });
      snoop.app = request.app;
      snoop.snoopOf = spied.json.id;
      spied.snoops.add(snoop.json.id);
      const args = request.appArgs === undefined ? [] : [request.appArgs];
      // The snoop channel enters Stasis on its own thread, after the response.
      state.schedule(() => {
        if (state.channels.get(snoop.json.id) === snoop) {
          emit(request.app, { type: AriEventType.StasisStart, args, channel: channelSnapshot(snoop) });
        }
      }, 0);
      return channelSnapshot(snoop);
    },

    getVariable(channelId, name) {
      const channel = getInStasis(channelId);
      const value = channel.variables.get(name) ?? builtinVariable(channel, name);
      if (value === undefined) throw new AriHttpError(404, 'Provided variable was not found');
      return value;
    },

    setVariable(channelId, name, value, reportEvents) {
      const channel = getInStasis(channelId);
      if (value === undefined) channel.variables.delete(name);
      else channel.variables.set(name, value);
      if (reportEvents) channel.reportedVariables.add(name);
      emit(channel.app, {
        type: AriEventType.ChannelVarset,
        variable: name,
        value: value ?? '',
        channel: channelSnapshot(channel),
      });
    },
  };
}
