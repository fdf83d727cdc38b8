import { describe, expect, it } from 'vitest';
import { initialIvrContext, stepIvr, type IvrAction, type IvrContext, type IvrEvent } from '../../ari-app/ivr/consent-ivr-machine.js';

const settings = { choiceTimeoutSeconds: 8, maxReplays: 1 };

function run(events: IvrEvent[]): { context: IvrContext; actions: IvrAction[] } {
  let context = initialIvrContext;
  const actions: IvrAction[] = [];
  for (const event of events) {
    const step = stepIvr(context, event, settings);
    context = step.context;
    actions.push(...step.actions);
  }
  return { context, actions };
}

const finishOf = (actions: IvrAction[]) => actions.filter((a) => a.type === 'finish');

describe('consent IVR state machine', () => {
  it('when started, then the recording is announced before the disclosure', () => {
    expect(run([{ type: 'start' }]).actions).toEqual([{ type: 'play', prompts: ['announce_recording', 'disclosure'] }]);
  });

  it('when the caller presses 1 after the disclosure, then it confirms and finishes with consent', () => {
    const { context, actions } = run([{ type: 'start' }, { type: 'prompt_done' }, { type: 'dtmf', digit: '1' }, { type: 'prompt_done' }]);
    expect(context.state).toBe('finished');
    expect(actions).toContainEqual({ type: 'play', prompts: ['confirm_text'] });
    expect(finishOf(actions)).toEqual([{ type: 'finish', choice: 'text', dtmf: '1' }]);
    expect(actions.at(-1)).toEqual({ type: 'hangup' });
  });

  it('when the caller presses 2, then the choice is a callback', () => {
    const { actions } = run([{ type: 'start' }, { type: 'prompt_done' }, { type: 'dtmf', digit: '2' }, { type: 'prompt_done' }]);
    expect(finishOf(actions)).toEqual([{ type: 'finish', choice: 'callback', dtmf: '2' }]);
  });

  it('when keys come during the disclosure, then they are ignored', () => {
    const { context, actions } = run([{ type: 'start' }, { type: 'dtmf', digit: '1' }]);
    expect(context.state).toBe('prompting');
    expect(finishOf(actions)).toEqual([]);
  });

  it('when the caller is silent, then the disclosure is replayed once and then it is a timeout', () => {
    const { context, actions } = run([
      { type: 'start' },
      { type: 'prompt_done' },
      { type: 'timeout' },
      { type: 'prompt_done' },
      { type: 'timeout' },
      { type: 'prompt_done' },
    ]);
    expect(actions.filter((a) => a.type === 'play')).toEqual([
      { type: 'play', prompts: ['announce_recording', 'disclosure'] },
      { type: 'play', prompts: ['disclosure'] },
      { type: 'play', prompts: ['no_input'] },
    ]);
    expect(context.state).toBe('finished');
    expect(finishOf(actions)).toEqual([{ type: 'finish', choice: 'timeout', dtmf: null }]);
  });

  it('when an invalid key is pressed, then it counts as a retry', () => {
    const { actions } = run([
      { type: 'start' },
      { type: 'prompt_done' },
      { type: 'dtmf', digit: '7' },
      { type: 'prompt_done' },
      { type: 'dtmf', digit: '1' },
      { type: 'prompt_done' },
    ]);
    expect(finishOf(actions)).toEqual([{ type: 'finish', choice: 'text', dtmf: '1' }]);
  });

  it('when the caller hangs up in any state, then it finishes once, keeping a choice already made', () => {
    expect(finishOf(run([{ type: 'start' }, { type: 'hangup' }]).actions)).toEqual([{ type: 'finish', choice: 'hangup', dtmf: null }]);
    expect(finishOf(run([{ type: 'start' }, { type: 'prompt_done' }, { type: 'hangup' }]).actions)).toEqual([
      { type: 'finish', choice: 'hangup', dtmf: null },
    ]);
    const afterChoice = run([
      { type: 'start' },
      { type: 'prompt_done' },
      { type: 'dtmf', digit: '1' },
      { type: 'hangup' },
      { type: 'hangup' },
      { type: 'prompt_done' },
    ]);
    expect(finishOf(afterChoice.actions)).toEqual([{ type: 'finish', choice: 'text', dtmf: '1' }]);
  });
});
