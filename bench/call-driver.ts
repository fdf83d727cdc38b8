import { performance } from 'node:perf_hooks';
import { AriEventType, type AriEvent, type FakeAri } from '../test/fakes/ari/index.js';
import type { FakeSmsc, SubmittedMessage } from '../test/fakes/smsc/index.js';

/**
 * Callers, played against the fake PBX: each call rings out into the app, the
 * caller hears the disclosure, presses 1 (their number is a UK mobile, so the
 * IVR knows the line takes texts and one key is the consent) and the call is
 * done when the first text to their number reaches the fake SMSC.
 *
 * One listener on each fake, dispatching by channel id and by destination
 * number: nothing is added per call, so the driver costs the same at 10 or 1,000
 * calls in flight.
 */
export interface CallRun {
  index: number;
  channelId: string;
  /** E.164 of the caller. */
  number: string;
  startedAt: number;
  /** When the disclosure playback finished (keys count from then). */
  heardAt?: number;
  /** When the fake emitted ChannelDtmfReceived for the consent key. */
  dtmfAt?: number;
  /** When the first text's submit_sm reached the fake SMSC. */
  submitAt?: number;
  /** Resolves once the disclosure has been heard. */
  heard: Promise<void>;
  /** Resolves once the first text reached the SMSC; rejects after the call's time limit. */
  done: Promise<CallRun>;
}

interface Tracked {
  run: CallRun;
  autoPress: boolean;
  disclosurePlayback?: string;
  heard(): void;
  done(): void;
  timer: NodeJS.Timeout;
}

const DID = '+14155559999';

export class CallDriver {
  private readonly byChannel = new Map<string, Tracked>();
  private readonly byDigits = new Map<string, Tracked>();
  private nextIndex = 0;
  private readonly onEvent = (event: AriEvent) => this.handleEvent(event);
  private readonly onSubmit = (message: SubmittedMessage) => this.handleSubmit(message);

  constructor(
    private readonly ari: FakeAri,
    private readonly smsc: FakeSmsc,
    /** A call that has not been texted this long after it started fails. */
    private readonly callTimeoutMs = 60_000,
  ) {
    ari.on('event', this.onEvent);
    smsc.on('submit', this.onSubmit);
  }

  get inFlight(): number {
    return this.byChannel.size;
  }

  /** Callers are UK mobiles +447912 000000 ... (all valid mobile numbers), one number per call. */
  static callerNumber(index: number): string {
    return `${CallDriver.CALLER_PREFIX}${String(index).padStart(6, '0')}`;
  }

  /** A new missed call. `autoPress`: the caller presses 1 as soon as the disclosure has played. */
  startCall(autoPress: boolean): CallRun {
    const index = this.nextIndex++;
    const number = CallDriver.callerNumber(index);
    const channelId = this.ari.addChannel({ callerNumber: number, exten: DID });
    let heard!: () => void;
    let done!: () => void;
    let fail!: (error: Error) => void;
    const run: CallRun = {
      index,
      channelId,
      number,
      startedAt: performance.now(),
      heard: new Promise<void>((resolve) => (heard = resolve)),
      done: new Promise<CallRun>((resolve, reject) => {
        done = () => resolve(run);
        fail = reject;
      }),
    };
    run.done.catch(() => undefined);
    const tracked: Tracked = {
      run,
      autoPress,
      heard,
      done,
      timer: setTimeout(() => {
        this.forget(tracked);
        fail(
          new Error(
            `call ${index} got no text within ${this.callTimeoutMs} ms (heard: ${run.heardAt !== undefined}, pressed: ${run.dtmfAt !== undefined})`,
          ),
        );
      }, this.callTimeoutMs),
    };
    this.byChannel.set(channelId, tracked);
    this.byDigits.set(number.slice(1), tracked);
    if (!this.ari.startStasis(channelId, ['NOANSWER', DID])) {
      this.forget(tracked);
      fail(new Error('the app is not registered with the fake ARI'));
    }
    return run;
  }

  /** The caller presses 1. */
  press(run: CallRun): void {
    this.ari.sendDtmf(run.channelId, '1');
  }

  /** The caller hangs up and is no longer followed (the call's `done` never settles). */
  hangUp(run: CallRun): void {
    const tracked = this.byChannel.get(run.channelId);
    if (tracked) this.forget(tracked);
    this.ari.callerHangup(run.channelId);
  }

  /** Callers are numbered from here: every number starts with it. */
  static readonly CALLER_PREFIX = '+447912';

  close(): void {
    this.ari.off('event', this.onEvent);
    this.smsc.off('submit', this.onSubmit);
    for (const tracked of this.byChannel.values()) clearTimeout(tracked.timer);
    this.byChannel.clear();
    this.byDigits.clear();
  }

  private handleEvent(event: AriEvent): void {
    switch (event.type) {
      case AriEventType.PlaybackStarted: {
        const tracked = this.byChannel.get(event.playback.target_uri.replace(/^channel:/, ''));
        if (tracked && !tracked.disclosurePlayback && event.playback.media_uri.includes('mcr-disclosure')) {
          tracked.disclosurePlayback = event.playback.id;
        }
        return;
      }
      case AriEventType.PlaybackFinished: {
        const tracked = this.byChannel.get(event.playback.target_uri.replace(/^channel:/, ''));
        if (!tracked || tracked.run.heardAt !== undefined || tracked.disclosurePlayback !== event.playback.id) return;
        tracked.run.heardAt = performance.now();
        tracked.heard();
        if (tracked.autoPress) this.press(tracked.run);
        return;
      }
      case AriEventType.ChannelDtmfReceived: {
        const tracked = this.byChannel.get(event.channel.id);
        if (tracked && event.digit === '1') tracked.run.dtmfAt = performance.now();
        return;
      }
      default:
        return;
    }
  }

  private handleSubmit(message: SubmittedMessage): void {
    const tracked = this.byDigits.get(message.to);
    if (!tracked || tracked.run.dtmfAt === undefined) return;
    tracked.run.submitAt = message.receivedAtPerf;
    this.forget(tracked);
    tracked.done();
  }

  private forget(tracked: Tracked): void {
    clearTimeout(tracked.timer);
    this.byChannel.delete(tracked.run.channelId);
    this.byDigits.delete(tracked.run.number.slice(1));
  }
}
