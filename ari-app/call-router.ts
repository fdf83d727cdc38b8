import type { MissReason } from '../core/entities/index.js';
import type { Logger } from '../core/logging.js';
import { MISS_REASONS, SNOOP_APP_ARG } from './ari-names.js';
import type { CallControl } from './call-control.js';
import { IvrCall, type IvrCallDeps } from './ivr/ivr-call.js';

/** The fields of ARI events the router reads (a narrow view of Asterisk's models). */
export interface AriChannelJson {
  id: string;
  name?: string;
  caller?: { name?: string; number?: string };
  dialplan?: { exten?: string; context?: string };
}
export interface StasisStartJson {
  args?: string[];
  channel: AriChannelJson;
}

/**
 * The thin dispatcher between ARI and the calls: one IvrCall per channel, and
 * every event goes to the call it names (by channel, by playback target, by
 * recording name). Idempotent: a repeated StasisStart for a channel is ignored.
 */
export class CallRouter {
  private readonly calls = new Map<string, IvrCall>();
  private readonly byRecording = new Map<string, IvrCall>();
  private readonly running = new Set<Promise<unknown>>();
  /** Channels already handled, kept a while so a late duplicate StasisStart is recognised. */
  private readonly seen = new Map<string, number>();
  private accepting = true;

  constructor(
    private readonly deps: Omit<IvrCallDeps, 'control'> & { logger: Logger },
    private readonly getControl: () => CallControl | null,
  ) {}

  get activeCalls(): number {
    return this.calls.size;
  }

  onStasisStart(event: StasisStartJson): void {
    const channel = event.channel;
    const args = event.args ?? [];
    if (args[0] === SNOOP_APP_ARG) return;
    if (this.calls.has(channel.id) || this.seen.has(channel.id)) {
      this.deps.logger.info({ channelId: channel.id }, 'duplicate StasisStart ignored');
      return;
    }
    const control = this.getControl();
    if (!control) return;
    if (!this.accepting) {
      // Shutting down: hand the caller back to the dialplan's voicemail rather than leave them in silence.
      this.deps.logger.warn({ channelId: channel.id }, 'shutting down: sending a new call to voicemail');
      void control.continueInDialplan(channel.id, 'voicemail').catch(() => undefined);
      return;
    }
    this.remember(channel.id);
    const call = new IvrCall(
      {
        channelId: channel.id,
        callerNumber: channel.caller?.number ?? null,
        callerName: channel.caller?.name ?? null,
        // The dialplan passes the DID as the second argument (on FreePBX the extension is often `s`).
        dialedNumber: args[1] && args[1] !== 's' ? args[1] : (channel.dialplan?.exten ?? null),
        reason: readReason(args[0]),
        enteredAt: new Date(),
        enteredAtMs: performance.now(),
      },
      { ...this.deps, control },
    );
    this.calls.set(channel.id, call);
    this.byRecording.set(call.recording, call);
    const run = call
      .run()
      .catch((err) => this.deps.logger.error({ err, channelId: channel.id }, 'call handling failed'))
      .finally(() => {
        this.calls.delete(channel.id);
        this.byRecording.delete(call.recording);
        this.running.delete(run);
      });
    this.running.add(run);
  }

  onDtmf(channelId: string, digit: string): void {
    this.calls.get(channelId)?.onDtmf(digit);
  }

  onChannelGone(channelId: string): void {
    this.calls.get(channelId)?.onHangup();
  }

  onPlaybackFinished(playbackId: string, targetUri: string | undefined): void {
    const channelId = targetUri?.startsWith('channel:') ? targetUri.slice('channel:'.length) : undefined;
    if (channelId) this.calls.get(channelId)?.onPlaybackFinished(playbackId);
  }

  onRecordingFinished(name: string, durationSeconds: number | undefined): void {
    // A call's spoken-answer and message recordings are named after its consent recording.
    const call = this.byRecording.get(name) ?? this.byRecording.get(name.replace(/-(answer-\d+|message)$/, ''));
    call?.onRecordingFinished(name, durationSeconds);
  }

  /**
   * After the event socket comes back: Asterisk does not replay what we missed,
   * so ask after every live call: a vanished channel is a hang-up, a vanished
   * playback has finished (its PlaybackFinished went to a dead socket).
   */
  async reconcile(): Promise<void> {
    const control = this.getControl();
    if (!control) return;
    await Promise.all(
      [...this.calls.entries()].map(async ([channelId, call]) => {
        try {
          if (!(await control.channelExists(channelId))) {
            this.onChannelGone(channelId);
            return;
          }
          const playbackId = call.playbackId;
          if (playbackId && !(await control.playbackExists(playbackId))) call.onPlaybackFinished(playbackId);
        } catch (err) {
          this.deps.logger.warn({ err, channelId }, 'could not check a channel after reconnecting');
        }
      }),
    );
  }

  /** Stops taking calls and waits (bounded) for the live ones to finish. */
  async drain(timeoutMs: number): Promise<void> {
    this.accepting = false;
    const all = Promise.allSettled([...this.running]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private remember(channelId: string): void {
    const now = Date.now();
    this.seen.set(channelId, now);
    if (this.seen.size > 10_000) {
      for (const [id, at] of this.seen) {
        if (now - at < 3_600_000) break;
        this.seen.delete(id);
      }
    }
  }
}

function readReason(arg: string | undefined): MissReason {
  const upper = (arg ?? '').toUpperCase();
  return (MISS_REASONS as readonly string[]).includes(upper) ? (upper as MissReason) : 'UNKNOWN';
}
