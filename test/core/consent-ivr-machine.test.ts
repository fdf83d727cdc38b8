import { describe, expect, it } from 'vitest';
import {
  initialIvrContext,
  stepIvr,
  type CallerLine,
  type IvrAction,
  type IvrContext,
  type IvrEvent,
  type IvrSettings,
} from '../../ari-app/ivr/consent-ivr-machine.js';

const mobile: CallerLine = { e164: '+447911123456', readback: '07911123456', lineType: 'mobile' };
const nanp: CallerLine = { e164: '+14155550142', readback: '4155550142', lineType: 'unknown' };
const fixed: CallerLine = { e164: '+442079460958', readback: '02079460958', lineType: 'fixed' };

const settings: IvrSettings = {
  choiceTimeoutSeconds: 8,
  maxReplays: 1,
  digitTimeoutSeconds: 4,
  maxNumberAttempts: 2,
  readKeyedNumber: (digits) => (digits === '4155550199' ? { e164: '+14155550199', readback: digits, lineType: 'unknown' } : null),
};

const done: IvrEvent = { type: 'prompt_done' };
const key = (digit: string): IvrEvent => ({ type: 'dtmf', digit });
const keys = (digits: string): IvrEvent[] => [...digits].map(key);
const silence: IvrEvent = { type: 'timeout' };
const hangup: IvrEvent = { type: 'hangup' };
const start = (line: CallerLine | null): IvrEvent => ({ type: 'start', line });

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

const finishes = (actions: IvrAction[]) => actions.flatMap((a) => (a.type === 'finish' ? [a.outcome] : []));
const plays = (actions: IvrAction[]) =>
  actions.flatMap((a) => (a.type === 'play' ? [a.media.map((m) => ('prompt' in m ? m.prompt : `digits:${m.digits}`)).join(' + ')] : []));

describe('consent IVR state machine', () => {
  it('when a caller with a known mobile number starts, then the recording is announced first, then the disclosure and the number', () => {
    expect(plays(run([start(mobile)]).actions)).toEqual(['announce_recording + disclosure + number_readback + digits:07911123456']);
  });

  it('when the caller presses 1 after the disclosure, then it confirms and finishes with consent for that number', () => {
    const { context, actions } = run([start(mobile), done, key('1'), done]);
    expect(context.state).toBe('finished');
    expect(plays(actions).at(-1)).toBe('confirm_text');
    expect(finishes(actions)).toEqual([{ choice: 'text', dtmf: '1', line: mobile, keyed: false, spoken: null }]);
    expect(actions.at(-1)).toEqual({ type: 'hangup' });
  });

  it('when the caller presses 2 or 3, then the choice is a callback or a decline', () => {
    expect(finishes(run([start(mobile), done, key('2'), done]).actions)[0]).toMatchObject({ choice: 'callback', dtmf: '2' });
    const declined = run([start(mobile), done, key('3'), done]).actions;
    expect(plays(declined).at(-1)).toBe('confirm_declined');
    expect(finishes(declined)[0]).toMatchObject({ choice: 'declined', dtmf: '3' });
  });

  it('when keys come during the disclosure, then they are ignored', () => {
    const { context, actions } = run([start(mobile), key('1')]);
    expect(context.state).toBe('prompting');
    expect(finishes(actions)).toEqual([]);
  });

  it('when the line type is unknown and the caller presses 1, then it asks whether the phone takes texts', () => {
    const yes = run([start(nanp), done, key('1'), done, key('1'), done]);
    expect(plays(yes.actions)).toContain('ask_mobile');
    expect(finishes(yes.actions)).toEqual([
      { choice: 'text', dtmf: '1', line: { ...nanp, lineType: 'mobile' }, keyed: false, spoken: null },
    ]);
    const no = run([start(nanp), done, key('1'), done, key('2'), done]);
    expect(finishes(no.actions)[0]).toMatchObject({ choice: 'landline', line: { ...nanp, lineType: 'fixed' } });
    const silent = run([start(nanp), done, key('1'), done, silence, done, silence, done]);
    expect(finishes(silent.actions)[0]).toMatchObject({ choice: 'callback' });
  });

  it('when the caller is on a landline, then no consent is asked and a call back is promised', () => {
    const { actions } = run([start(fixed), done]);
    expect(plays(actions)).toEqual(['announce_recording + landline_callback']);
    expect(finishes(actions)).toEqual([{ choice: 'landline', dtmf: null, line: fixed, keyed: false, spoken: null }]);
  });

  it('when the caller is silent, then the disclosure is replayed once and then it is a timeout', () => {
    const { context, actions } = run([start(mobile), done, silence, done, silence, done]);
    expect(plays(actions)).toEqual(['announce_recording + disclosure + number_readback + digits:07911123456', 'disclosure', 'no_input']);
    expect(context.state).toBe('finished');
    expect(finishes(actions)).toEqual([{ choice: 'timeout', dtmf: null, line: mobile, keyed: false, spoken: null }]);
  });

  it('when an invalid key is pressed, then the caller hears so and the disclosure again, within the retry bound', () => {
    const { actions } = run([start(mobile), done, key('7'), done, key('1'), done]);
    expect(plays(actions)[1]).toBe('invalid_choice + disclosure');
    expect(finishes(actions)[0]).toMatchObject({ choice: 'text' });
    expect(finishes(run([start(mobile), done, key('7'), done, key('8'), done]).actions)[0]).toMatchObject({ choice: 'timeout', dtmf: '8' });
  });

  it('when the number is withheld, then the caller keys it in, hears it back, confirms, and then consents', () => {
    const { actions } = run([start(null), ...keys('4155550199#'), done, key('1'), done, key('1'), done, key('1'), done]);
    expect(plays(actions)).toEqual([
      'announce_recording + enter_number',
      'number_readback + digits:4155550199 + confirm_number',
      'disclosure',
      'ask_mobile',
      'confirm_text',
    ]);
    expect(actions).toContainEqual({ type: 'stop_playback' });
    expect(finishes(actions)).toEqual([
      { choice: 'text', dtmf: '1', line: { e164: '+14155550199', readback: '4155550199', lineType: 'mobile' }, keyed: true, spoken: null },
    ]);
  });

  it('when the keyed number is wrong, then the caller can key it again; an impossible number is refused', () => {
    const again = run([start(null), ...keys('4155550199#'), done, key('2'), ...keys('4155550199#'), done, key('1'), done, key('2'), done]);
    expect(plays(again.actions).filter((p) => p.includes('enter_number'))).toHaveLength(2);
    expect(finishes(again.actions)[0]).toMatchObject({ choice: 'callback', keyed: true });
    const invalid = run([start(null), ...keys('123#')]);
    expect(plays(invalid.actions).at(-1)).toBe('invalid_choice + enter_number');
  });

  it('when number entry times out after digits, then the digits are taken as the number', () => {
    const { actions } = run([start(null), ...keys('4155550199'), silence]);
    expect(plays(actions).at(-1)).toBe('number_readback + digits:4155550199 + confirm_number');
  });

  it('when number entry keeps failing, then it ends on the callback list without a number', () => {
    const { actions } = run([start(null), done, silence, done, silence, done]);
    expect(finishes(actions)).toEqual([{ choice: 'timeout', dtmf: null, line: null, keyed: false, spoken: null }]);
  });

  it('when the caller hangs up in any state, then it finishes exactly once, keeping a choice already made', () => {
    const paths: IvrEvent[][] = [
      [start(mobile)],
      [start(mobile), done],
      [start(nanp), done, key('1')],
      [start(nanp), done, key('1'), done],
      [start(fixed)],
      [start(null)],
      [start(null), ...keys('41555')],
      [start(null), ...keys('4155550199#')],
      [start(null), ...keys('4155550199#'), done],
      [start(mobile), done, key('1')],
    ];
    for (const path of paths) {
      const { context, actions } = run([...path, hangup, hangup, done, key('1')]);
      expect(context.state).toBe('finished');
      const outcomes = finishes(actions);
      expect(outcomes, JSON.stringify(path)).toHaveLength(1);
    }
    expect(finishes(run([start(mobile), hangup]).actions)[0]).toMatchObject({ choice: 'hangup', line: mobile });
    expect(finishes(run([start(mobile), done, key('1'), hangup]).actions)[0]).toMatchObject({ choice: 'text' });
    expect(finishes(run([start(fixed), hangup]).actions)[0]).toMatchObject({ choice: 'landline' });
    // An unconfirmed keyed number is dropped.
    expect(finishes(run([start(null), ...keys('4155550199#'), hangup]).actions)[0]).toMatchObject({ choice: 'hangup', line: null });
  });
});

describe('consent IVR state machine: spoken answers', () => {
  const said = (answer: 'yes' | 'no' | 'unclear', transcript: string = answer): IvrEvent => ({
    type: 'speech',
    spoken: { answer, transcript, engine: 'pocketsphinx' },
  });

  it('when the caller says yes at the choice, then it counts as 1 and the words are kept', () => {
    const { actions } = run([start(mobile), done, said('yes', 'yes please'), done]);
    expect(finishes(actions)).toEqual([
      {
        choice: 'text',
        dtmf: null,
        line: mobile,
        keyed: false,
        spoken: { answer: 'yes', transcript: 'yes please', engine: 'pocketsphinx' },
      },
    ]);
  });

  it('when the caller says no, then texts are declined; unclear asks again', () => {
    expect(finishes(run([start(mobile), done, said('no'), done]).actions)[0]).toMatchObject({
      choice: 'declined',
      spoken: { answer: 'no' },
    });
    const unclear = run([start(mobile), done, said('unclear'), done, key('1'), done]);
    expect(plays(unclear.actions)[1]).toBe('invalid_choice + disclosure');
    expect(finishes(unclear.actions)[0]).toMatchObject({ choice: 'text', dtmf: '1', spoken: null });
  });

  it('when the caller says yes to "can this phone take texts?", then it is a mobile', () => {
    const { actions } = run([start(nanp), done, said('yes'), done, said('yes', 'yeah'), done]);
    expect(finishes(actions)[0]).toMatchObject({ choice: 'text', line: { lineType: 'mobile' }, spoken: { transcript: 'yeah' } });
  });

  it('when speech arrives while a prompt plays or after the choice, then it changes nothing', () => {
    expect(run([start(mobile), said('yes')]).context.state).toBe('prompting');
    expect(finishes(run([start(mobile), done, key('2'), said('yes'), done]).actions)[0]).toMatchObject({
      choice: 'callback',
      spoken: null,
    });
  });
});
