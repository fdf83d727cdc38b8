import { randomUUID } from 'node:crypto';
import type { DomainEventBus } from '../../core/events.js';
import type { IvrOutcome, RecordedOutcome, RecordingEvidence } from '../../core/leads/record-ivr-outcome.js';
import type { Logger } from '../../core/logging.js';
import type { PromptCatalog } from '../../core/prompts/prompt-catalog.js';
import type { PromptProfile } from '../../core/prompts/prompt-library.js';
import type { SpeechRecognizer } from '../../core/speech/speech-recognizer.js';
import type { RecordingStore } from '../../core/recordings/recording-store.js';
import type { MissReason } from '../../core/entities/index.js';
import type { ScreenedCall } from '../../core/leads/record-screened-call.js';
import type { IncomingCallFacts } from '../../core/screening/screen-incoming-call.js';
import type { ScreeningReason, ScreeningVerdict } from '../../core/screening/screening-rules.js';
import { ResourceGoneError, type CallControl } from '../call-control.js';
import {
  initialIvrContext,
  stepIvr,
  type CallerLine,
  type IvrAction,
  type IvrChoice,
  type IvrContext,
  type IvrEvent,
  type IvrResult,
  type IvrSettings,
} from './consent-ivr-machine.js';

/** The caller as the StasisStart event described them. */
export interface IncomingCall {
  channelId: string;
  callerNumber: string | null;
  callerName: string | null;
  dialedNumber: string | null;
  reason: MissReason;
  enteredAt: Date;
  /** performance.now() at StasisStart, for the demo's timeline. */
  enteredAtMs: number;
}

export interface IvrCallDeps {
  control: CallControl;
  /** Every business's prompts (see PromptLibrary). */
  prompts: { forProfile(profile: PromptProfile | null): Promise<PromptCatalog> };
  /** Which prompts the callers of a dialled number hear; absent or failing: the default set. */
  promptProfile?: (dialedNumber: string | null) => Promise<PromptProfile>;
  recordings: RecordingStore;
  settings: IvrSettings;
  /** Reads the caller id into a line the IVR can talk about; null when withheld or unusable. */
  readCallerLine: (callerNumber: string | null) => CallerLine | null;
  /** Screens the call before anyone is bothered; absent: no screening. */
  screen?: (facts: IncomingCallFacts) => Promise<ScreeningVerdict>;
  /** Logs a screened call with its reason. */
  recordScreened?: (call: ScreenedCall) => Promise<unknown>;
  /** Writes the outcome (one transaction); null when it was spooled for later. */
  recordOutcome: (outcome: IvrOutcome) => Promise<RecordedOutcome | null>;
  events: DomainEventBus;
  logger: Logger;
  /** Spoken answers ("yes" / "no") besides keys; absent: keys only. */
  speech?: { recognizer: SpeechRecognizer; maxSilenceSeconds?: number };
  /** A hard cap on one call's life in the IVR, whatever happens. */
  maxCallMs?: number;
  /** How long to wait for Asterisk to close the recording file. */
  recordingSettleMs?: number;
  /** Offer callers who choose a call back to leave a message (IVR_OFFER_MESSAGE), when their prompt set has the prompt. */
  messages?: { offer: boolean; maxSeconds: number };
}

/**
 * One caller's trip through the consent IVR. Feeds ARI events (routed here by
 * channel, playback and recording id, never by a global listener) into the
 * state machine and carries out its actions; when the machine finishes, it
 * secures the recording and writes the outcome.
 */
export class IvrCall {
  private context: IvrContext = initialIvrContext;
  private choiceTimer: NodeJS.Timeout | null = null;
  private lifeTimer: NodeJS.Timeout | null = null;
  private currentPlaybackId: string | null = null;
  private readonly recordingName: string;
  private recordingStarted = false;
  private recordingDone: (() => void) | null = null;
  private readonly recordingFinished: Promise<void>;
  private recordingDurationMs: number | null = null;
  private answeredAt: Date | null = null;
  private finishResolve!: (result: IvrResult) => void;
  private readonly finished = new Promise<IvrResult>((resolve) => (this.finishResolve = resolve));
  private hungUp = false;
  private prompts!: PromptCatalog;
  /** Cancels speech recognition (and anything else in flight) when the caller hangs up. */
  private readonly hangupSignal = new AbortController();
  private answerCount = 0;
  /** The caller's message: its recording name, whether it started, and when it finished. */
  private message: { name: string; started: boolean; durationMs: number | null; done: Promise<void>; resolve: () => void } | null = null;
  /** The spoken-answer recording running now, and the question it answers. */
  private listening: { name: string; state: IvrContext['state'] } | null = null;
  private readonly log: Logger;
  snoopChannelId: string | null = null;

  constructor(
    readonly call: IncomingCall,
    private readonly deps: IvrCallDeps,
  ) {
    this.recordingName = `mcr-consent-${call.channelId.replace(/[^A-Za-z0-9._-]/g, '_')}-${Date.now()}`;
    this.recordingFinished = new Promise((resolve) => (this.recordingDone = resolve));
    this.log = deps.logger.child({ channelId: call.channelId });
  }

  get playbackId(): string | null {
    return this.currentPlaybackId;
  }

  get recording(): string {
    return this.recordingName;
  }

  /** Runs the call to the end; resolves once the outcome is stored (or failed to be). */
  async run(): Promise<RecordedOutcome | null> {
    const { events, control } = this.deps;
    events.emit('call.missed', { channelId: this.call.channelId, reason: this.call.reason, at: performance.now() });
    this.lifeTimer = setTimeout(() => {
      this.log.warn('call exceeded its time limit in the IVR; ending it');
      this.handle({ type: 'hangup' });
      void control.hangup(this.call.channelId).catch(() => undefined);
    }, this.deps.maxCallMs ?? 180_000 + (this.deps.messages?.offer ? this.deps.messages.maxSeconds * 1000 : 0));

    if (await this.screenedOut()) return null;
    this.prompts = await this.deps.prompts.forProfile(await this.lookUpPromptProfile());

    let linkedid: string | null = null;
    try {
      await control.answer(this.call.channelId);
      this.answeredAt = new Date();
      events.emit('ivr.answered', { channelId: this.call.channelId, at: performance.now() });
      linkedid = await control.getVariable(this.call.channelId, 'CHANNEL(linkedid)');
      await this.startRecording();
      const offerMessage = (this.deps.messages?.offer ?? false) && this.prompts.has('leave_message');
      this.handle({ type: 'start', line: this.deps.readCallerLine(this.call.callerNumber), offerMessage });
    } catch (err) {
      this.onActionError(err, 'answering');
    }

    const { choice, dtmf, line, keyed, spoken } = await this.finished;
    clearTimeout(this.lifeTimer);
    events.emit('ivr.finished', { channelId: this.call.channelId, choice, at: performance.now() });
    const recording = await this.secureRecording(choice);
    const message = await this.secureMessage();
    try {
      const outcome = await this.deps.recordOutcome({
        channelId: this.call.channelId,
        uniqueid: this.call.channelId,
        linkedid,
        callerNumber: this.call.callerNumber,
        callerName: this.call.callerName,
        dialedNumber: this.call.dialedNumber,
        reason: this.call.reason,
        choice,
        line: line ? { e164: line.e164, lineType: line.lineType } : null,
        keyed,
        dtmf,
        spoken: spoken ? { transcript: spoken.transcript, engine: spoken.engine } : null,
        enteredAt: this.call.enteredAt,
        answeredAt: this.answeredAt,
        endedAt: new Date(),
        prompts: this.prompts.evidence,
        recording,
        message,
      });
      if (outcome) this.announce(outcome, recording);
      return outcome;
    } catch (err) {
      this.log.error({ err }, 'could not store the outcome of a call');
      return null;
    }
  }

  /**
   * Screening, before the call is answered (a screened caller is not charged for
   * an answered call). A blocked number is hung up on; any other screened call
   * goes on to voicemail, where a person can still judge it. If screening itself
   * fails (database away) the call goes through: consent is still required.
   */
  private async screenedOut(): Promise<boolean> {
    const { screen, recordScreened, control } = this.deps;
    if (!screen) return false;
    let verdict: ScreeningVerdict;
    try {
      const stirShakenResult = await control.getVariable(this.call.channelId, 'MCR_STIR_SHAKEN');
      verdict = await screen({
        callerNumber: this.call.callerNumber,
        dialedNumber: this.call.dialedNumber,
        stirShakenResult,
        at: this.call.enteredAt,
      });
    } catch (err) {
      if (err instanceof ResourceGoneError) verdict = { screened: false };
      else {
        this.log.warn({ err }, 'screening unavailable; the call goes through');
        verdict = { screened: false };
      }
    }
    if (!verdict.screened) return false;
    clearTimeout(this.lifeTimer ?? undefined);
    this.log.info({ reason: verdict.reason }, 'call screened');
    await this.leaveScreened(verdict.reason);
    try {
      await recordScreened?.({
        channelId: this.call.channelId,
        uniqueid: this.call.channelId,
        callerNumber: this.call.callerNumber,
        callerName: this.call.callerName,
        dialedNumber: this.call.dialedNumber,
        reason: this.call.reason,
        screeningReason: verdict.reason,
        enteredAt: this.call.enteredAt,
        endedAt: new Date(),
      });
    } catch (err) {
      this.log.error({ err }, 'could not log a screened call');
    }
    this.deps.events.emit('call.screened', { channelId: this.call.channelId, reason: verdict.reason, at: performance.now() });
    return true;
  }

  /** The business's prompts; the database being away must not silence the call, so failures fall back to the default set. */
  private async lookUpPromptProfile(): Promise<PromptProfile | null> {
    if (!this.deps.promptProfile) return null;
    try {
      return await this.deps.promptProfile(this.call.dialedNumber);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not look up the business prompts; using the default set');
      return null;
    }
  }

  private async leaveScreened(reason: ScreeningReason): Promise<void> {
    const { control } = this.deps;
    try {
      if (reason === 'blocked') await control.hangup(this.call.channelId);
      else await control.continueInDialplan(this.call.channelId, 'voicemail');
    } catch (err) {
      if (!(err instanceof ResourceGoneError)) {
        this.log.warn({ err }, 'could not send a screened call on; hanging up');
        await control.hangup(this.call.channelId).catch(() => undefined);
      }
    }
  }

  // --- events routed in by the dispatcher -------------------------------------------

  onDtmf(digit: string): void {
    this.handle({ type: 'dtmf', digit });
  }

  onPlaybackFinished(playbackId: string): void {
    if (playbackId !== this.currentPlaybackId) return;
    this.currentPlaybackId = null;
    this.handle({ type: 'prompt_done' });
  }

  onHangup(): void {
    this.hungUp = true;
    this.hangupSignal.abort(new Error('caller hung up'));
    this.handle({ type: 'hangup' });
  }

  onRecordingFinished(name: string, durationSeconds: number | undefined): void {
    if (this.message && name === this.message.name) {
      if (typeof durationSeconds === 'number') this.message.durationMs = Math.round(durationSeconds * 1000);
      this.message.resolve();
      this.handle({ type: 'message_done' });
      return;
    }
    if (name !== this.recordingName) {
      void this.hearAnswer(name);
      return;
    }
    if (typeof durationSeconds === 'number') this.recordingDurationMs = Math.round(durationSeconds * 1000);
    this.recordingDone?.();
  }

  // --- the machine ------------------------------------------------------------------

  private handle(event: IvrEvent): void {
    const before = this.context.state;
    const step = stepIvr(this.context, event, this.deps.settings);
    this.context = step.context;
    if (this.listening && this.context.state !== this.listening.state) this.stopListening();
    // The consent evidence ends with the confirmation: the caller's message is kept apart.
    if (this.context.state === 'offering_message' && before !== 'offering_message' && this.recordingStarted) {
      void this.deps.control.stopRecording(this.recordingName).catch(() => undefined);
    }
    if (before === 'recording_message' && this.context.state !== 'recording_message' && this.message && !this.hungUp) {
      void this.deps.control.stopRecording(this.message.name).catch(() => undefined);
    }
    for (const action of step.actions) this.perform(action);
    if (this.context.state !== before && (this.context.state === 'awaiting_choice' || this.context.state === 'awaiting_mobile'))
      this.listen();
  }

  // --- spoken answers -----------------------------------------------------------------

  /** Records what the caller says to the question just asked; a key press ends it (and wins). */
  private listen(): void {
    const { speech, control, settings } = this.deps;
    if (!speech || this.hungUp) return;
    this.answerCount += 1;
    const name = `${this.recordingName}-answer-${this.answerCount}`;
    this.listening = { name, state: this.context.state };
    control
      .recordAnswer(this.call.channelId, name, {
        maxDurationSeconds: Math.max(1, settings.choiceTimeoutSeconds - 1),
        maxSilenceSeconds: speech.maxSilenceSeconds ?? 2,
      })
      .catch((err) => {
        if (this.listening?.name === name) this.listening = null;
        if (!(err instanceof ResourceGoneError)) this.log.warn({ err }, 'could not record a spoken answer; keys still work');
      });
  }

  /** The question moved on (a key, the timer): end the recording, or it would hold up the next prompt. */
  private stopListening(): void {
    const name = this.listening?.name;
    this.listening = null;
    if (name) void this.deps.control.stopRecording(name).catch(() => undefined);
  }

  private async hearAnswer(name: string): Promise<void> {
    const { speech, control } = this.deps;
    const question = this.listening?.name === name ? this.listening.state : null;
    if (this.listening?.name === name) this.listening = null;
    try {
      if (!speech || !question || this.context.state !== question) return;
      const audio = await control.fetchRecording(name);
      const result = await speech.recognizer.recognizeYesNo(audio, { signal: this.hangupSignal.signal });
      // Still the same question? A key or the timer may have answered it meanwhile.
      if (this.context.state !== question) return;
      if (result.answer === 'unclear' && result.transcript.trim() === '') {
        // Silence, not an answer: keep listening until the timer decides.
        this.listen();
        return;
      }
      this.handle({ type: 'speech', spoken: { answer: result.answer, transcript: result.transcript, engine: result.engine } });
    } catch (err) {
      if (!this.hungUp) this.log.warn({ err: (err as Error).message }, 'could not recognise a spoken answer; keys still work');
    } finally {
      // The words that matter are in the consent recording; this copy is not kept.
      await control.deleteRecording(name).catch(() => undefined);
    }
  }

  private perform(action: IvrAction): void {
    const { control } = this.deps;
    switch (action.type) {
      case 'play': {
        const playbackId = `mcr-${randomUUID()}`;
        this.currentPlaybackId = playbackId;
        const media = action.media.map((item) => this.prompts.media(item));
        control
          .play(this.call.channelId, media, playbackId, this.prompts.language)
          .catch((err) => this.onActionError(err, 'playing a prompt'));
        break;
      }
      case 'start_timer':
        this.clearChoiceTimer();
        this.choiceTimer = setTimeout(() => this.handle({ type: 'timeout' }), action.seconds * 1000);
        break;
      case 'cancel_timer':
        this.clearChoiceTimer();
        if (this.currentPlaybackId && this.context.state === 'finished') {
          void control.stopPlayback(this.currentPlaybackId).catch(() => undefined);
        }
        break;
      case 'stop_playback':
        if (this.currentPlaybackId) {
          const playbackId = this.currentPlaybackId;
          // Its PlaybackFinished will not move the machine on: it has moved already.
          this.currentPlaybackId = null;
          void control.stopPlayback(playbackId).catch(() => undefined);
        }
        break;
      case 'finish':
        this.finishResolve(action.outcome);
        break;
      case 'record_message':
        this.recordMessage();
        break;
      case 'hangup':
        if (!this.hungUp) void control.hangup(this.call.channelId).catch(() => undefined);
        break;
    }
  }

  private clearChoiceTimer(): void {
    if (this.choiceTimer) clearTimeout(this.choiceTimer);
    this.choiceTimer = null;
  }

  /** A failed ARI request: a vanished channel is a hang-up; anything else ends the call safely. */
  private onActionError(err: unknown, doing: string): void {
    if (err instanceof ResourceGoneError) {
      this.log.debug({ doing }, 'channel gone');
    } else {
      this.log.error({ err, doing }, 'ARI request failed; ending the IVR for this call');
      void this.deps.control.hangup(this.call.channelId).catch(() => undefined);
    }
    this.onHangup();
  }

  // --- the caller's message -------------------------------------------------------------

  private recordMessage(): void {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const name = `${this.recordingName}-message`;
    this.message = { name, started: false, durationMs: null, done, resolve };
    const maxSeconds = this.deps.messages?.maxSeconds ?? 120;
    this.deps.control
      .recordMessage(this.call.channelId, name, { maxDurationSeconds: maxSeconds, maxSilenceSeconds: 5 })
      .then(() => {
        if (this.message) this.message.started = true;
      })
      .catch((err) => {
        this.message?.resolve();
        this.message = null;
        if (!(err instanceof ResourceGoneError)) this.log.warn({ err }, 'could not record a message; the call ends');
        this.handle({ type: 'message_done' });
      });
  }

  /** The message, fetched from Asterisk and kept under its SHA-256 with the lead (null: none, or too short to hold words). */
  private async secureMessage(): Promise<RecordingEvidence | null> {
    const message = this.message;
    if (!message?.started) return null;
    const { control } = this.deps;
    // A hang-up ends the recording and Asterisk keeps what was said: wait for it to close.
    await Promise.race([message.done, delay(this.deps.recordingSettleMs ?? 3000)]);
    try {
      const audio = await control.fetchRecording(message.name);
      await control.deleteRecording(message.name).catch((err) => this.log.warn({ err }, 'could not delete the message on Asterisk'));
      // 8 kHz 16-bit: under half a second of audio is a hang-up at the beep, not a message.
      if (audio.length < 44 + 8000) return null;
      const stored = await this.deps.recordings.put(audio, 'wav');
      return { relativePath: stored.relativePath, sha256: stored.sha256, durationMs: message.durationMs };
    } catch (err) {
      if (!(err instanceof ResourceGoneError)) this.log.error({ err }, 'could not fetch the caller’s message');
      return null;
    }
  }

  // --- evidence ---------------------------------------------------------------------

  private async startRecording(): Promise<void> {
    try {
      const { snoopChannelId } = await this.deps.control.startRecording(this.call.channelId, this.recordingName);
      this.snoopChannelId = snoopChannelId;
      this.recordingStarted = true;
    } catch (err) {
      if (err instanceof ResourceGoneError) throw err;
      // The call goes on without a recording rather than losing the caller; the
      // consent record then says so (no recording hash).
      this.log.error({ err }, 'could not start the consent recording');
    }
  }

  /** Stops the recording, keeps its bytes under their SHA-256 when they are evidence, and tidies Asterisk. */
  private async secureRecording(choice: IvrChoice): Promise<RecordingEvidence | null> {
    if (!this.recordingStarted) return null;
    const { control } = this.deps;
    await control.stopRecording(this.recordingName).catch(() => undefined);
    if (this.snoopChannelId) await control.hangup(this.snoopChannelId).catch(() => undefined);
    await Promise.race([this.recordingFinished, delay(this.deps.recordingSettleMs ?? 3000)]);
    // Kept only where it is evidence of a choice: consent given, or texts declined.
    if (choice !== 'text' && choice !== 'callback' && choice !== 'declined') {
      await control.deleteRecording(this.recordingName).catch(() => undefined);
      return null;
    }
    try {
      const audio = await control.fetchRecording(this.recordingName);
      const stored = await this.deps.recordings.put(audio, 'wav');
      await control
        .deleteRecording(this.recordingName)
        .catch((err) => this.log.warn({ err }, 'could not delete the recording on Asterisk'));
      return { relativePath: stored.relativePath, sha256: stored.sha256, durationMs: this.recordingDurationMs };
    } catch (err) {
      this.log.error({ err }, 'could not fetch the consent recording; the record will have none');
      return null;
    }
  }

  private announce(outcome: RecordedOutcome, recording: RecordingEvidence | null): void {
    const { events } = this.deps;
    const at = performance.now();
    events.emit('call.recorded', { channelId: this.call.channelId, callId: outcome.callId, outcome: outcome.outcome, at });
    if (outcome.consentRecordId && outcome.outcome === 'consented') {
      events.emit('consent.recorded', {
        channelId: this.call.channelId,
        consentRecordId: outcome.consentRecordId,
        recordingSha256: recording?.sha256 ?? null,
        at,
      });
    }
    if (outcome.callbackTaskId) {
      events.emit('callback.created', {
        channelId: this.call.channelId,
        callbackTaskId: outcome.callbackTaskId,
        reason: outcome.outcome,
        at,
      });
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
