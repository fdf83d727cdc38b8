import type { PromptKeyName, PromptMedia } from '../../core/prompts/prompt-catalog.js';

/**
 * The consent IVR as an explicit state machine: a pure function from (context,
 * event) to (context, actions). No ARI in here, so every path is unit-tested;
 * the runner (ivr-call.ts) turns actions into ARI requests and ARI events into
 * events.
 *
 *   start ─┬─ fixed line ─────▶ landline (announce, "we will call you") ─────────────────────▶ finished
 *          ├─ known number ───▶ prompting (announce, disclosure, read-back) ──▶ awaiting_choice
 *          └─ no number ──────▶ entering_number ──▶ confirming_number ──1──▶ prompting (disclosure)
 *                                  ▲                       │ 2
 *                                  └───────────────────────┘
 *   awaiting_choice ─1─▶ (line type unknown? asking_mobile ─1/2─▶) confirming ─▶ finished
 *                   ─2─▶ confirming(callback)   ─3─▶ confirming(declined)
 *                   invalid key / silence ─▶ replay (bounded) ─▶ confirming(no input)
 *   confirming(callback) / landline ──(a set with the prompt, IVR_OFFER_MESSAGE)──▶ offering_message
 *                        ──prompt done──▶ recording_message ──message done / # / time limit──▶ finished
 *   any state ──hangup──▶ finished (keeps a choice already made)
 *
 * The recording is announced before anything else, and keys pressed while the
 * disclosure plays are ignored: consent counts once the caller has heard what
 * they agree to. Only number entry accepts keys over its prompt.
 */
/** The prompts and media it plays are the prompt catalogue's (one list of keys for both). */
export type PromptKey = PromptKeyName;
export type MediaItem = PromptMedia;

/** How the IVR ended. */
export type IvrChoice = 'text' | 'callback' | 'declined' | 'landline' | 'timeout' | 'hangup';

export type LineType = 'mobile' | 'fixed' | 'unknown';

/** The number the IVR talks about: the caller id, or what the caller keyed in. */
export interface CallerLine {
  e164: string;
  /** Digits read back to the caller (national format, digits only). */
  readback: string;
  lineType: LineType;
}

export type IvrState =
  | 'idle'
  | 'landline'
  | 'entering_number'
  | 'confirming_number'
  | 'awaiting_number_confirmation'
  | 'prompting'
  | 'awaiting_choice'
  | 'asking_mobile'
  | 'awaiting_mobile'
  | 'confirming'
  | 'offering_message'
  | 'recording_message'
  | 'finished';

/** A spoken answer, as the speech port heard it. */
export interface SpokenAnswer {
  answer: 'yes' | 'no' | 'unclear';
  transcript: string;
  engine: string;
}

export type IvrEvent =
  /** `offerMessage`: this call may be offered to leave a message (the setting is on and its prompt set has the prompt). */
  | { type: 'start'; line: CallerLine | null; offerMessage?: boolean }
  /** The caller's message recording ended (silence, #, its time limit). */
  | { type: 'message_done' }
  | { type: 'prompt_done' }
  | { type: 'dtmf'; digit: string }
  | { type: 'speech'; spoken: SpokenAnswer }
  | { type: 'timeout' }
  | { type: 'hangup' };

export type IvrAction =
  | { type: 'play'; media: MediaItem[] }
  | { type: 'stop_playback' }
  | { type: 'start_timer'; seconds: number }
  | { type: 'cancel_timer' }
  | { type: 'finish'; outcome: IvrResult }
  /** Record the caller's message on the channel, after a beep. */
  | { type: 'record_message' }
  | { type: 'hangup' };

export interface IvrResult {
  choice: IvrChoice;
  /** The key that made the choice. */
  dtmf: string | null;
  /** The number the outcome is about; null when the caller gave none. */
  line: CallerLine | null;
  /** True when the caller keyed the number in (and confirmed it) rather than it coming from caller id. */
  keyed: boolean;
  /** The spoken answer that made the choice, when the caller spoke rather than pressed a key. */
  spoken: SpokenAnswer | null;
}

export interface IvrContext {
  state: IvrState;
  /** Replays of the current question after silence or an invalid key. */
  replays: number;
  /** Attempts at keying in a number. */
  numberAttempts: number;
  /** Digits keyed so far while entering a number. */
  entry: string;
  line: CallerLine | null;
  keyed: boolean;
  choice: IvrChoice | null;
  dtmf: string | null;
  spoken: SpokenAnswer | null;
  /** Offer to leave a message after a call-back choice (see IvrEvent start). */
  offerMessage: boolean;
}

export interface IvrSettings {
  choiceTimeoutSeconds: number;
  maxReplays: number;
  /** Silence after the last keyed digit that ends number entry. */
  digitTimeoutSeconds: number;
  maxNumberAttempts: number;
  /** Reads a keyed-in number; null when it is not a dialable number. */
  readKeyedNumber: (digits: string) => CallerLine | null;
  /** Longest message a caller may leave (the recording's own limit; the machine waits a little longer). */
  messageMaxSeconds?: number;
}

export const initialIvrContext: IvrContext = {
  state: 'idle',
  replays: 0,
  numberAttempts: 0,
  entry: '',
  line: null,
  keyed: false,
  choice: null,
  dtmf: null,
  spoken: null,
  offerMessage: false,
};

type Step = { context: IvrContext; actions: IvrAction[] };

const prompt = (...keys: PromptKey[]): MediaItem[] => keys.map((key) => ({ prompt: key }));
const play = (...media: MediaItem[]): IvrAction => ({ type: 'play', media });
const stay = (context: IvrContext): Step => ({ context, actions: [] });
const MAX_NUMBER_DIGITS = 15;
const NUMBER_ENTRY_STATES = new Set<IvrState>(['entering_number', 'confirming_number', 'awaiting_number_confirmation']);

export function stepIvr(context: IvrContext, event: IvrEvent, settings: IvrSettings): Step {
  if (context.state === 'finished') return stay(context);
  if (event.type === 'speech') return spoken(context, event.spoken, settings);
  if (event.type === 'hangup') {
    const choice = context.choice ?? 'hangup';
    // A keyed-in number the caller has not confirmed is not theirs to be called on.
    const line = context.keyed || !NUMBER_ENTRY_STATES.has(context.state) ? context.line : null;
    const finished = { ...context, state: 'finished' as const, choice, line };
    return { context: finished, actions: [{ type: 'cancel_timer' }, finish(finished)] };
  }
  switch (context.state) {
    case 'idle':
      return event.type === 'start' ? start({ ...context, offerMessage: event.offerMessage ?? false }, event.line) : stay(context);
    case 'landline':
    case 'confirming':
      return event.type === 'prompt_done' ? end(context) : stay(context);
    case 'entering_number':
      return enteringNumber(context, event, settings);
    case 'confirming_number':
      return event.type === 'prompt_done' ? waitFor(context, 'awaiting_number_confirmation', settings.choiceTimeoutSeconds) : stay(context);
    case 'awaiting_number_confirmation':
      return awaitingNumberConfirmation(context, event, settings);
    case 'prompting':
      return event.type === 'prompt_done' ? waitFor(context, 'awaiting_choice', settings.choiceTimeoutSeconds) : stay(context);
    case 'awaiting_choice':
      return awaitingChoice(context, event, settings);
    case 'asking_mobile':
      return event.type === 'prompt_done' ? waitFor(context, 'awaiting_mobile', settings.choiceTimeoutSeconds) : stay(context);
    case 'awaiting_mobile':
      return awaitingMobile(context, event, settings);
    case 'offering_message':
      if (event.type === 'prompt_done') {
        return {
          context: { ...context, state: 'recording_message' },
          actions: [{ type: 'record_message' }, { type: 'start_timer', seconds: (settings.messageMaxSeconds ?? 120) + 5 }],
        };
      }
      // The pound key over the offer: no message, thanks.
      return event.type === 'dtmf' && event.digit === '#' ? finishCall(context) : stay(context);
    case 'recording_message':
      return event.type === 'message_done' || event.type === 'timeout' ? finishCall(context) : stay(context);
  }
}

function start(context: IvrContext, line: CallerLine | null): Step {
  if (line?.lineType === 'fixed') {
    // A landline cannot take texts: no consent to ask for, a call back instead.
    return {
      context: { ...context, state: 'landline', line, choice: 'landline' },
      actions: [play(...prompt('announce_recording', 'landline_callback'))],
    };
  }
  if (line) {
    return {
      context: { ...context, state: 'prompting', line },
      actions: [play(...prompt('announce_recording', 'disclosure', 'number_readback'), { digits: line.readback })],
    };
  }
  return {
    context: { ...context, state: 'entering_number', numberAttempts: 1 },
    actions: [play(...prompt('announce_recording', 'enter_number')), { type: 'start_timer', seconds: 30 }],
  };
}

function enteringNumber(context: IvrContext, event: IvrEvent, settings: IvrSettings): Step {
  if (event.type === 'prompt_done') {
    // Prompt over: now wait for (more) digits.
    return {
      context,
      actions: [{ type: 'start_timer', seconds: context.entry ? settings.digitTimeoutSeconds : settings.choiceTimeoutSeconds }],
    };
  }
  if (event.type === 'dtmf') {
    if (event.digit === '#') return submitNumber(context, settings);
    if (event.digit === '*') return { context: { ...context, entry: '' }, actions: [] };
    if (!/^[0-9]$/.test(event.digit) || context.entry.length >= MAX_NUMBER_DIGITS) return stay(context);
    const actions: IvrAction[] = [{ type: 'start_timer', seconds: settings.digitTimeoutSeconds }];
    // The first digit cuts the prompt short: the caller knows what to do.
    if (context.entry === '') actions.unshift({ type: 'stop_playback' });
    return { context: { ...context, entry: context.entry + event.digit }, actions };
  }
  if (event.type === 'timeout') return submitNumber(context, settings);
  return stay(context);
}

function submitNumber(context: IvrContext, settings: IvrSettings): Step {
  const line = context.entry ? settings.readKeyedNumber(context.entry) : null;
  if (line) {
    return {
      context: { ...context, state: 'confirming_number', line, entry: '' },
      actions: [{ type: 'cancel_timer' }, play({ prompt: 'number_readback' }, { digits: line.readback }, { prompt: 'confirm_number' })],
    };
  }
  return retryNumberEntry({ ...context, entry: '' }, settings, context.entry !== '');
}

function retryNumberEntry(context: IvrContext, settings: IvrSettings, invalid: boolean): Step {
  if (context.numberAttempts >= settings.maxNumberAttempts) return confirm({ ...context, choice: 'timeout', line: null }, 'no_input');
  const media = invalid ? prompt('invalid_choice', 'enter_number') : prompt('enter_number');
  return {
    context: { ...context, state: 'entering_number', numberAttempts: context.numberAttempts + 1, line: null },
    actions: [{ type: 'cancel_timer' }, play(...media), { type: 'start_timer', seconds: 30 }],
  };
}

function awaitingNumberConfirmation(context: IvrContext, event: IvrEvent, settings: IvrSettings): Step {
  if (event.type === 'dtmf' && event.digit === '1') {
    return {
      context: { ...context, state: 'prompting', keyed: true, replays: 0 },
      actions: [{ type: 'cancel_timer' }, play({ prompt: 'disclosure' })],
    };
  }
  if (event.type === 'dtmf' && event.digit === '2') return retryNumberEntry(context, settings, false);
  if (event.type === 'dtmf' || event.type === 'timeout') {
    if (context.replays >= settings.maxReplays) return confirm({ ...context, choice: 'timeout', line: null }, 'no_input');
    const line = context.line as CallerLine;
    return {
      context: { ...context, state: 'confirming_number', replays: context.replays + 1 },
      actions: [
        { type: 'cancel_timer' },
        play(
          ...(event.type === 'dtmf' ? prompt('invalid_choice') : []),
          { prompt: 'number_readback' },
          { digits: line.readback },
          { prompt: 'confirm_number' },
        ),
      ],
    };
  }
  return stay(context);
}

function awaitingChoice(context: IvrContext, event: IvrEvent, settings: IvrSettings): Step {
  if (event.type === 'dtmf' && event.digit === '1') {
    if (context.line?.lineType === 'unknown') {
      // The numbering plan cannot tell mobile from fixed here (all of NANP): ask.
      return {
        context: { ...context, state: 'asking_mobile', dtmf: '1', replays: 0 },
        actions: [{ type: 'cancel_timer' }, play({ prompt: 'ask_mobile' })],
      };
    }
    return confirm({ ...context, choice: 'text', dtmf: '1' }, 'confirm_text');
  }
  if (event.type === 'dtmf' && event.digit === '2') return confirm({ ...context, choice: 'callback', dtmf: '2' }, 'confirm_callback');
  if (event.type === 'dtmf' && event.digit === '3') return confirm({ ...context, choice: 'declined', dtmf: '3' }, 'confirm_declined');
  if (event.type === 'dtmf' || event.type === 'timeout') {
    if (context.replays >= settings.maxReplays) {
      return confirm({ ...context, choice: 'timeout', dtmf: event.type === 'dtmf' ? event.digit : null }, 'no_input');
    }
    const media = [...(event.type === 'dtmf' ? prompt('invalid_choice') : []), { prompt: 'disclosure' as const }];
    return {
      context: { ...context, state: 'prompting', replays: context.replays + 1 },
      actions: [{ type: 'cancel_timer' }, play(...media)],
    };
  }
  return stay(context);
}

function awaitingMobile(context: IvrContext, event: IvrEvent, settings: IvrSettings): Step {
  if (event.type === 'dtmf' && event.digit === '1') {
    return confirm({ ...context, choice: 'text', line: withLineType(context.line, 'mobile') }, 'confirm_text');
  }
  if (event.type === 'dtmf' && event.digit === '2') {
    return confirm({ ...context, choice: 'landline', line: withLineType(context.line, 'fixed') }, 'confirm_callback');
  }
  if (event.type === 'dtmf' || event.type === 'timeout') {
    if (context.replays >= settings.maxReplays) return confirm({ ...context, choice: 'callback' }, 'confirm_callback');
    return {
      context: { ...context, state: 'asking_mobile', replays: context.replays + 1 },
      actions: [{ type: 'cancel_timer' }, play(...(event.type === 'dtmf' ? prompt('invalid_choice') : []), { prompt: 'ask_mobile' })],
    };
  }
  return stay(context);
}

/**
 * A spoken answer counts where a key would: at the choice ("yes" = 1, "no" = 3,
 * no texts) and at "can this phone take texts?" ("yes" = 1, "no" = 2). Anything
 * unclear is a wrong key: the question is asked again, within the same bound.
 */
function spoken(context: IvrContext, answer: SpokenAnswer, settings: IvrSettings): Step {
  const keys: Partial<Record<IvrState, Record<SpokenAnswer['answer'], string>>> = {
    awaiting_choice: { yes: '1', no: '3', unclear: '?' },
    awaiting_mobile: { yes: '1', no: '2', unclear: '?' },
  };
  const digit = keys[context.state]?.[answer.answer];
  if (!digit) return stay(context);
  const step = stepIvr(context, { type: 'dtmf', digit }, settings);
  if (answer.answer === 'unclear') return step;
  // The key the answer stood for is not what the caller did: keep what they said.
  return {
    context: { ...step.context, spoken: answer, dtmf: context.state === 'awaiting_choice' ? null : step.context.dtmf },
    actions: step.actions.map((a) => (a.type === 'finish' ? { ...a, outcome: { ...a.outcome, spoken: answer } } : a)),
  };
}

function waitFor(context: IvrContext, state: IvrState, seconds: number): Step {
  return { context: { ...context, state }, actions: [{ type: 'start_timer', seconds }] };
}

function confirm(context: IvrContext, confirmation: PromptKey): Step {
  return { context: { ...context, state: 'confirming' }, actions: [{ type: 'cancel_timer' }, play({ prompt: confirmation })] };
}

/** Choices that end with a promise to call back: the caller may say what it is about. */
const MESSAGE_CHOICES = new Set<IvrChoice | null>(['callback', 'landline']);

function end(context: IvrContext): Step {
  if (context.offerMessage && MESSAGE_CHOICES.has(context.choice) && context.line) {
    return { context: { ...context, state: 'offering_message' }, actions: [play({ prompt: 'leave_message' })] };
  }
  return finishCall(context);
}

function finishCall(context: IvrContext): Step {
  const finished = { ...context, state: 'finished' as const };
  return { context: finished, actions: [{ type: 'cancel_timer' }, finish(finished), { type: 'hangup' }] };
}

function finish(context: IvrContext): IvrAction {
  return {
    type: 'finish',
    outcome: { choice: context.choice ?? 'timeout', dtmf: context.dtmf, line: context.line, keyed: context.keyed, spoken: context.spoken },
  };
}

function withLineType(line: CallerLine | null, lineType: LineType): CallerLine | null {
  return line ? { ...line, lineType } : null;
}
