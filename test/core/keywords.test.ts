import { describe, expect, it } from 'vitest';
import { classifyKeyword } from '../../sms-gateway/inbound/keywords.js';

describe('compliance keywords', () => {
  it('when a message is just a stop word in any case or punctuation, then it is STOP', () => {
    for (const text of [
      'STOP',
      'Stop.',
      'stop!!!',
      ' sToP ',
      'STOPALL',
      'Unsubscribe',
      'cancel',
      'END',
      'quit',
      'REVOKE',
      'opt out',
      'OPT-OUT',
      'optout',
      '«Stop»',
    ]) {
      expect(classifyKeyword(text), text).toBe('stop');
    }
  });
  it('when stop is said inside a sentence, then it is STOP', () => {
    for (const text of [
      'please stop texting me',
      'pls stop texting me!',
      'Unsubscribe me now',
      'I want to opt out',
      'cancel these texts',
      'quit messaging me',
    ]) {
      expect(classifyKeyword(text), text).toBe('stop');
    }
  });
  it('when ordinary words only look like keywords, then it is conversation', () => {
    for (const text of [
      'Can I cancel my appointment?',
      'at the end of the day',
      'Hi, is the plumber coming?',
      'stopcock is leaking',
      'yes',
      '',
    ]) {
      expect(classifyKeyword(text), text).toBeNull();
    }
  });
  it('when START, UNSTOP or HELP, then they are recognised', () => {
    expect(classifyKeyword('Start')).toBe('start');
    expect(classifyKeyword('UNSTOP')).toBe('start');
    expect(classifyKeyword('help?')).toBe('help');
  });
});
