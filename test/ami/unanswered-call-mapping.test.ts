import { describe, expect, it } from 'vitest';
import { AbandonTracker } from '../../ari-app/ami/abandon-tracker.js';
import { parseAmiUrl, describeAmiTarget } from '../../ari-app/ami/ami-url.js';
import { toUnansweredCall } from '../../ari-app/ami/unanswered-call-mapping.js';
import { asParsed, cdr, dialEnd, hangup, missedCallUserEvent, queueCallerAbandon } from './ami-events.js';

const now = new Date('2025-11-21T09:00:35Z');
const caller = { uniqueid: '1763715600.17', linkedid: '1763715600.17', number: '+14155550142', name: 'Jane Doe' };

describe('mapping AMI events to unanswered calls', () => {
  it('when the dialplan reports ABANDONED, then it is an abandoned call with caller, DID and ids', () => {
    expect(toUnansweredCall(asParsed(missedCallUserEvent(caller, 'ABANDONED')), now)).toEqual({
      uniqueid: '1763715600.17',
      linkedid: '1763715600.17',
      callerNumber: '+14155550142',
      callerName: 'Jane Doe',
      did: '+14155559999',
      reason: 'ABANDONED',
      at: now,
      ringSeconds: null,
    });
  });

  it('when the dialplan says how long it rang, then the ring time is read; garbage reads as unknown', () => {
    const event = asParsed({ ...missedCallUserEvent(caller, 'ABANDONED'), RingSeconds: '2' });
    expect(toUnansweredCall(event, now)?.ringSeconds).toBe(2);
    expect(toUnansweredCall({ ...event, ringseconds: 'lots' }, now)?.ringSeconds).toBeNull();
  });

  it('when the dialplan reports STASIS_FAILED or DIAL_FAILED, then the reason says so', () => {
    expect(toUnansweredCall(asParsed(missedCallUserEvent(caller, 'STASIS_FAILED', 'NOANSWER')), now)?.reason).toBe('STASIS_FAILED');
    expect(toUnansweredCall(asParsed(missedCallUserEvent(caller, 'dial_failed', 'INVALIDARGS')), now)?.reason).toBe('DIAL_FAILED');
  });

  it("when a UserEvent is someone else's or has an outcome we do not know, then it is no call", () => {
    expect(toUnansweredCall({ ...asParsed(missedCallUserEvent(caller, 'ABANDONED')), userevent: 'SomethingElse' }, now)).toBeNull();
    expect(toUnansweredCall(asParsed(missedCallUserEvent(caller, 'ANSWERED')), now)).toBeNull();
    expect(toUnansweredCall(asParsed(missedCallUserEvent(caller, '')), now)).toBeNull();
  });

  it('when Asterisk fills empty caller fields with <unknown> and the DID is empty, then they read as absent', () => {
    const event = { ...asParsed(missedCallUserEvent(caller, 'ABANDONED')), calleridnum: '<unknown>', calleridname: '<unknown>', did: '' };
    expect(toUnansweredCall(event, now)).toMatchObject({ callerNumber: null, callerName: null, did: null });
  });

  it('when a uniqueid is missing or not an Asterisk id, then the event is dropped rather than keyed on garbage', () => {
    const base = asParsed(missedCallUserEvent(caller, 'ABANDONED'));
    expect(toUnansweredCall({ ...base, uniqueid: '' }, now)).toBeNull();
    expect(toUnansweredCall({ ...base, uniqueid: "1.1' or 1=1 --" }, now)).toBeNull();
    expect(toUnansweredCall({ ...base, uniqueid: '9'.repeat(151) }, now)).toBeNull();
    expect(toUnansweredCall({ ...base, linkedid: '<script>' }, now)).toMatchObject({ uniqueid: caller.uniqueid, linkedid: null });
  });

  it('when a header is repeated or is an object (Variable), then the first text value is used, or none', () => {
    const base = asParsed(missedCallUserEvent(caller, 'ABANDONED'));
    const event = { ...base, outcome: ['ABANDONED', 'STASIS_FAILED'], calleridname: { a: 'b' } };
    expect(toUnansweredCall(event, now)).toMatchObject({ reason: 'ABANDONED', callerName: null });
  });

  it('when the caller id is hostile, then it is bounded and stripped of control characters, never thrown on', () => {
    const event = {
      ...asParsed(missedCallUserEvent(caller, 'ABANDONED')),
      calleridnum: `\u0000${'9'.repeat(400)}`,
      calleridname: '<script>alert(1)</script>',
    };
    const call = toUnansweredCall(event, now)!;
    expect(call.callerNumber).toBe('9'.repeat(256));
    expect(call.callerName).toBe('<script>alert(1)</script>');
  });

  it('when manager.conf adds Timestamp, then the event time is used; an implausible one is ignored', () => {
    const base = asParsed(missedCallUserEvent(caller, 'ABANDONED'));
    expect(toUnansweredCall({ ...base, timestamp: '1763715630.250000' }, now)?.at).toEqual(new Date(1763715630250));
    expect(toUnansweredCall({ ...base, timestamp: '12' }, now)?.at).toEqual(now);
    expect(toUnansweredCall({ ...base, timestamp: 'soon' }, now)?.at).toEqual(now);
  });

  it('when a caller gives up in a queue, then it is QUEUE_ABANDONED with the queue extension as DID', () => {
    expect(toUnansweredCall(asParsed(queueCallerAbandon(caller, '4155559999')), now)).toMatchObject({
      uniqueid: caller.uniqueid,
      callerNumber: '+14155550142',
      did: '4155559999',
      reason: 'QUEUE_ABANDONED',
    });
    expect(toUnansweredCall(asParsed(queueCallerAbandon(caller, 's')), now)?.did).toBeNull();
  });

  it('when a CDR shows VoiceMail answered, then it is VOICEMAIL, started Duration seconds before it arrived', () => {
    expect(toUnansweredCall(asParsed(cdr(caller, 'VoiceMail', 'ANSWERED', '+14155559999', 35)), now)).toEqual({
      uniqueid: caller.uniqueid,
      linkedid: null,
      callerNumber: '+14155550142',
      callerName: 'Jane Doe',
      did: '+14155559999',
      reason: 'VOICEMAIL',
      at: new Date(now.getTime() - 35_000),
    });
  });

  it('when a CDR ended anywhere but an answering VoiceMail, then it is no call', () => {
    expect(toUnansweredCall(asParsed(cdr(caller, 'Dial', 'ANSWERED')), now)).toBeNull();
    expect(toUnansweredCall(asParsed(cdr(caller, 'Dial', 'NO ANSWER')), now)).toBeNull();
    expect(toUnansweredCall(asParsed(cdr(caller, 'VoiceMail', 'NO ANSWER')), now)).toBeNull();
    expect(toUnansweredCall(asParsed(cdr(caller, 'VoiceMailMain', 'ANSWERED')), now)).toBeNull();
  });

  it('when a CDR has no Source, then the number comes from its CallerID', () => {
    const event = { ...asParsed(cdr(caller)), source: '', callerid: '"" <4155550142>' };
    expect(toUnansweredCall(event, now)).toMatchObject({ callerNumber: '4155550142', callerName: null });
  });

  it('when the event is Hangup, DialEnd or anything else, then the mapping alone sees no call', () => {
    for (const event of [hangup(caller), dialEnd(caller, 'CANCEL'), { Event: 'FullyBooted', Status: 'Fully Booted' }]) {
      expect(toUnansweredCall(asParsed(event), now)).toBeNull();
    }
    expect(toUnansweredCall({}, now)).toBeNull();
  });
});

describe('following DialEnd and Hangup for abandoned calls', () => {
  it('when the caller cancelled the Dial and hung up, then the Hangup completes an abandoned call', () => {
    const tracker = new AbandonTracker();
    expect(tracker.observe(asParsed(dialEnd(caller, 'CANCEL')), now)).toBeNull();
    expect(tracker.observe(asParsed(hangup(caller)), now)).toMatchObject({
      uniqueid: caller.uniqueid,
      callerNumber: '+14155550142',
      did: '+14155559999',
      reason: 'ABANDONED',
    });
    expect(tracker.size).toBe(0);
  });

  it('when another leg answered, or the Dial rang out (NOANSWER, then the app), then the Hangup is no abandon', () => {
    const tracker = new AbandonTracker();
    tracker.observe(asParsed(dialEnd(caller, 'ANSWER')), now);
    tracker.observe(asParsed(dialEnd(caller, 'CANCEL')), now);
    expect(tracker.observe(asParsed(hangup(caller)), now)).toBeNull();
    const other = { uniqueid: '1763715600.18' };
    tracker.observe(asParsed(dialEnd(other, 'NOANSWER')), now);
    expect(tracker.observe(asParsed(hangup(other)), now)).toBeNull();
  });

  it('when the Dial ran in another context, or the Hangup comes with no DialEnd, then nothing is followed', () => {
    const tracker = new AbandonTracker();
    tracker.observe(asParsed(dialEnd(caller, 'CANCEL', '+14155559999', 'from-internal')), now);
    expect(tracker.size).toBe(0);
    expect(tracker.observe(asParsed(hangup(caller)), now)).toBeNull();
  });

  it('when calls never hang up, then the oldest are forgotten: the memory stays bounded', () => {
    const tracker = new AbandonTracker({ maxCalls: 3, maxAgeMs: 60_000 });
    for (let i = 0; i < 10; i += 1) tracker.observe(asParsed(dialEnd({ uniqueid: `1763715600.${i}` }, 'CANCEL')), now);
    expect(tracker.size).toBe(3);
    tracker.observe(asParsed(dialEnd({ uniqueid: '1763715700.1' }, 'CANCEL')), new Date(now.getTime() + 120_000));
    expect(tracker.size).toBe(1);
  });
});

describe('reading AMI_URL', () => {
  it('when the URL names user, secret, host and port, then all are read, percent-decoding included', () => {
    expect(parseAmiUrl('ami://missed-call-recovery:s%40cret%3A1@pbx.local:5039')).toEqual({
      host: 'pbx.local',
      port: 5039,
      username: 'missed-call-recovery',
      secret: 's@cret:1',
    });
  });

  it('when the port is absent, then it is 5038; an IPv6 host loses its brackets', () => {
    expect(parseAmiUrl('ami://u:p@127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 5038 });
    expect(parseAmiUrl('tcp://u:p@[::1]:6000')).toMatchObject({ host: '::1', port: 6000 });
  });

  it('when the URL is wrong, then the error says how to fix it without repeating the secret', () => {
    for (const bad of ['http://u:topsecret@h:1', 'ami://:topsecret@h:1', 'not a url topsecret']) {
      expect(() => parseAmiUrl(bad)).toThrow(/AMI_URL/);
      try {
        parseAmiUrl(bad);
      } catch (err) {
        expect((err as Error).message).not.toContain('topsecret');
      }
    }
  });

  it('when the target is described for a log, then the secret is not in it', () => {
    expect(JSON.stringify(describeAmiTarget(parseAmiUrl('ami://u:topsecret@h:1')))).not.toContain('topsecret');
  });
});
