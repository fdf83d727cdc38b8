import { describe, expect, it } from 'vitest';
import { interpretTranscript } from '../../core/speech/speech-recognizer.js';

describe('reading a yes or no out of what the caller said', () => {
  it.each([
    'yes',
    'Yes.',
    'yeah',
    'yep',
    'yup',
    'sure',
    'okay',
    'OK',
    'O.K.',
    'please',
    'yes please',
    'text me',
    'Please text me.',
    'sure, no problem',
    "yes I don't mind",
    'of course',
  ])('when the caller says "%s", then it is a yes', (text) => {
    expect(interpretTranscript(text)).toBe('yes');
  });

  it.each([
    'no',
    'No.',
    'nope',
    'nah',
    'no thanks',
    'no thank you',
    "don't",
    'do not text me',
    "don't text me",
    'Don\u2019t send me any texts',
    'please do not text me',
    'call me',
    'just call me back',
    'no, please',
    'not interested',
  ])('when the caller says "%s", then it is a no', (text) => {
    expect(interpretTranscript(text)).toBe('no');
  });

  it.each([
    '',
    '   ',
    'maybe',
    'hello?',
    'what',
    'who is this',
    "I'm not sure",
    "I don't know",
    'no problem',
    'yes, no, call me',
    'yes no',
    'sure, call me',
    "don't call me, text me",
  ])('when the caller says "%s" (both or neither), then it is unclear', (text) => {
    expect(interpretTranscript(text)).toBe('unclear');
  });

  it('when the words only contain a yes or no inside another word, then it is unclear', () => {
    for (const text of ['yesterday', 'nobody', 'know', 'notice', 'surely not here', 'okayish']) {
      expect(interpretTranscript(text), text).not.toBe('yes');
    }
    expect(interpretTranscript('yesterday')).toBe('unclear');
    expect(interpretTranscript('nobody')).toBe('unclear');
  });
});
