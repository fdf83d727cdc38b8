import { describe, expect, it } from 'vitest';
import { consentDictionary, consentJsgf, NO_PHRASES, OTHER_WORDS, YES_PHRASES } from '../../core/speech/pocketsphinx-grammar.js';
import { parseHypothesis } from '../../core/speech/pocketsphinx-recognizer.js';
import { interpretTranscript } from '../../core/speech/speech-recognizer.js';

describe('the offline yes/no grammar', () => {
  it('when the decoder returns a yes phrase, then it reads as yes', () => {
    for (const phrase of YES_PHRASES) expect(interpretTranscript(phrase), phrase).toBe('yes');
  });
  it('when the decoder returns a no phrase, then it reads as no', () => {
    for (const phrase of NO_PHRASES) expect(interpretTranscript(phrase), phrase).toBe('no');
  });
  it('when the decoder settles on a decoy word, then it reads as unclear', () => {
    for (const word of OTHER_WORDS) expect(interpretTranscript(word), word).toBe('unclear');
  });
  it('when the grammar is written, then every rule lists its phrases and an empty answer is allowed', () => {
    const jsgf = consentJsgf();
    expect(jsgf).toMatch(/^#JSGF V1\.0;/);
    expect(jsgf).toContain('public <answer> = <yes> | <no> | <other> | <NULL>;');
    expect(jsgf).toContain(
      "<no> = no | nope | no thanks | no thank you | nope thanks | nope thank you | call me | no call me | do not text me | don't text me;",
    );
  });
  it('when the dictionary is written, then every grammar word has a pronunciation, alternatives numbered', () => {
    const lines = consentDictionary().trim().split('\n');
    const words = new Set(lines.map((line) => line.split(' ')[0]!.replace(/\(\d+\)$/, '')));
    for (const phrase of [...YES_PHRASES, ...NO_PHRASES, ...OTHER_WORDS]) {
      for (const word of phrase.split(' ')) expect(words.has(word), word).toBe(true);
    }
    expect(lines).toContain("don't(2) D OW N");
    expect(lines).toContain('yes Y EH S');
  });
});

describe('reading pocketsphinx_batch output', () => {
  it('when a hypothesis line has words, then the words are the transcript', () => {
    expect(parseHypothesis('yeah please (answer -3653)\n')).toBe('yeah please');
  });
  it('when nothing matched, then the transcript is empty', () => {
    expect(parseHypothesis(' (answer -3759)\n')).toBe('');
    expect(parseHypothesis('')).toBe('');
  });
  it('when fillers or alternative pronunciations show, then they are dropped', () => {
    expect(parseHypothesis("<sil> don't(2) [NOISE] text me (answer -10)")).toBe("don't text me");
  });
});
