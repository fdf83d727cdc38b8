import { describe, expect, it } from 'vitest';
import { UnansweredCallListener } from '../../ari-app/ami/unanswered-call-listener.js';
import type { UnansweredCall } from '../../core/leads/record-unanswered-call.js';
import { silentLogger } from '../../core/logging.js';
import { asParsed, dialEnd, hangup, missedCallUserEvent, nextUniqueid } from './ami-events.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function listener(record: (call: UnansweredCall) => Promise<void>, graceMs = 50, retryDelaysMs: number[] = [20, 20]) {
  return new UnansweredCallListener({ record, logger: silentLogger(), graceMs, retryDelaysMs });
}

describe('the unanswered-call listener', () => {
  it('when an event arrives, then the call is recorded only after the grace period', async () => {
    const recorded: UnansweredCall[] = [];
    const l = listener(async (call) => void recorded.push(call), 80);
    l.handle(asParsed(missedCallUserEvent({ uniqueid: nextUniqueid() }, 'ABANDONED')));
    await sleep(30);
    expect(recorded).toHaveLength(0);
    expect(l.waiting).toBe(1);
    await sleep(100);
    expect(recorded).toHaveLength(1);
    expect(l.waiting).toBe(0);
  });

  it('when the same call is reported twice within the grace period (UserEvent, then DialEnd + Hangup), then it is recorded once', async () => {
    const recorded: UnansweredCall[] = [];
    const l = listener(async (call) => void recorded.push(call));
    const caller = { uniqueid: nextUniqueid() };
    l.handle(asParsed(dialEnd(caller, 'CANCEL')));
    l.handle(asParsed(missedCallUserEvent(caller, 'ABANDONED')));
    l.handle(asParsed(missedCallUserEvent(caller, 'ABANDONED')));
    l.handle(asParsed(hangup(caller)));
    await sleep(120);
    expect(recorded.map((c) => c.uniqueid)).toEqual([caller.uniqueid]);
  });

  it('when recording fails, then it is retried, and given up after the last retry without throwing', async () => {
    let calls = 0;
    const l = listener(async () => {
      calls += 1;
      if (calls < 3) throw new Error('database down');
    });
    l.handle(asParsed(missedCallUserEvent({ uniqueid: nextUniqueid() }, 'STASIS_FAILED')));
    await sleep(200);
    expect(calls).toBe(3);

    let failures = 0;
    const hopeless = listener(async () => {
      failures += 1;
      throw new Error('database down');
    });
    hopeless.handle(asParsed(missedCallUserEvent({ uniqueid: nextUniqueid() }, 'STASIS_FAILED')));
    await sleep(200);
    expect(failures).toBe(3);
    expect(hopeless.waiting).toBe(0);
  });

  it('when the listener stops, then calls still in their grace period are recorded at once and later events ignored', async () => {
    const recorded: UnansweredCall[] = [];
    const l = listener(async (call) => void recorded.push(call), 60_000);
    l.handle(asParsed(missedCallUserEvent({ uniqueid: nextUniqueid() }, 'ABANDONED')));
    await l.stop();
    expect(recorded).toHaveLength(1);
    l.handle(asParsed(missedCallUserEvent({ uniqueid: nextUniqueid() }, 'ABANDONED')));
    expect(l.waiting).toBe(0);
  });
});
