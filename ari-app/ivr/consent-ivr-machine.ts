import type { IvrChoice } from '../../core/leads/record-ivr-outcome.js';

/**
 * The consent IVR as an explicit state machine: a pure function from (state,
 * event) to (state, actions). No ARI in here, so every path is unit-tested;
 * the runner turns actions into ARI requests and ARI events into events.
 *
 *   prompting ──prompt_done──▶ awaiting_choice ──dtmf 1/2──▶ confirming ──prompt_done──▶ finished
 *       ▲                         │ invalid key / timeout
 *       └──── replay (bounded) ───┘ ... retries used up ──▶ confirming(no_input)
 *   any state ──hangup──▶ finished (keeps a choice already made)
 */
export type PromptKey = 'announce_recording' | 'disclosure' | 'confirm_text' | 'confirm_callback' | 'no_input';

export type IvrState = 'idle' | 'prompting' | 'awaiting_choice' | 'confirming' | 'finished';

export type IvrEvent =
  { type: 'start' } | { type: 'prompt_done' } | { type: 'dtmf'; digit: string } | { type: 'timeout' } | { type: 'hangup' };

export type IvrAction =
  | { type: 'play'; prompts: PromptKey[] }
  | { type: 'start_timer'; seconds: number }
  | { type: 'cancel_timer' }
  | { type: 'finish'; choice: IvrChoice; dtmf: string | null }
  | { type: 'hangup' };

export interface IvrContext {
  state: IvrState;
  /** How many times the disclosure was replayed after a bad key or silence. */
  replays: number;
  choice: IvrChoice | null;
  dtmf: string | null;
}

export interface IvrSettings {
  choiceTimeoutSeconds: number;
  maxReplays: number;
}

export const initialIvrContext: IvrContext = { state: 'idle', replays: 0, choice: null, dtmf: null };

export function stepIvr(context: IvrContext, event: IvrEvent, settings: IvrSettings): { context: IvrContext; actions: IvrAction[] } {
  if (context.state === 'finished') return { context, actions: [] };

  if (event.type === 'hangup') {
    const choice = context.choice ?? 'hangup';
    return {
      context: { ...context, state: 'finished', choice },
      actions: [{ type: 'cancel_timer' }, { type: 'finish', choice, dtmf: context.dtmf }],
    };
  }

  switch (context.state) {
    case 'idle':
      if (event.type !== 'start') return { context, actions: [] };
      // The recording is announced before anything else (all-party-consent states).
      return { context: { ...context, state: 'prompting' }, actions: [{ type: 'play', prompts: ['announce_recording', 'disclosure'] }] };

    case 'prompting':
      // Keys pressed while the disclosure is still playing are ignored: consent
      // counts only once the caller has heard what they agree to.
      if (event.type !== 'prompt_done') return { context, actions: [] };
      return {
        context: { ...context, state: 'awaiting_choice' },
        actions: [{ type: 'start_timer', seconds: settings.choiceTimeoutSeconds }],
      };

    case 'awaiting_choice':
      if (event.type === 'dtmf' && (event.digit === '1' || event.digit === '2')) {
        const choice: IvrChoice = event.digit === '1' ? 'text' : 'callback';
        return {
          context: { ...context, state: 'confirming', choice, dtmf: event.digit },
          actions: [{ type: 'cancel_timer' }, { type: 'play', prompts: [choice === 'text' ? 'confirm_text' : 'confirm_callback'] }],
        };
      }
      if (event.type === 'dtmf' || event.type === 'timeout') {
        if (context.replays < settings.maxReplays) {
          return {
            context: { ...context, state: 'prompting', replays: context.replays + 1 },
            actions: [{ type: 'cancel_timer' }, { type: 'play', prompts: ['disclosure'] }],
          };
        }
        return {
          context: { ...context, state: 'confirming', choice: 'timeout', dtmf: event.type === 'dtmf' ? event.digit : null },
          actions: [{ type: 'cancel_timer' }, { type: 'play', prompts: ['no_input'] }],
        };
      }
      return { context, actions: [] };

    case 'confirming':
      if (event.type !== 'prompt_done') return { context, actions: [] };
      return {
        context: { ...context, state: 'finished' },
        actions: [{ type: 'finish', choice: context.choice ?? 'timeout', dtmf: context.dtmf }, { type: 'hangup' }],
      };
  }
}
