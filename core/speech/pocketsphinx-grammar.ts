/**
 * What the offline engine may hear. A grammar of a few answers is far more
 * robust on 8 kHz phone audio than the open-vocabulary language model, which
 * turned espeak's "yes" into "you" and "no" into "ah" in our trials.
 *
 * Choices measured on about 440 synthetic answers (espeak-ng voices en-us,
 * +m1 +m3 +m7 +f1..+f4, en-gb; 120 to 200 wpm; 8 kHz; with and without line
 * noise); see test/speech/pocketsphinx.test.ts:
 * - "okay" is left out: after the 8 kHz band limit it and "no"/"nope" were
 *   mistaken for each other both ways, and a "no" heard as a yes is the one
 *   mistake consent cannot afford. A spoken "okay" comes back `unclear`.
 * - OTHER_WORDS are decoys: a grammar always picks its closest phrase, so
 *   without somewhere else to go "maybe" came back "yeah please" and noise came
 *   back "no". The decoys mean nothing to interpretTranscript, so they give
 *   `unclear`. One word only: a repeated decoy loop swallowed real answers.
 * - An empty answer (<NULL>) lets silence and steady noise decode as nothing.
 */
export const YES_PHRASES = [
  'yes',
  'yeah',
  'yep',
  'sure',
  'yes please',
  'yeah please',
  'yep please',
  'sure please',
  'text me',
  'please text me',
  'yes text me',
  'yeah text me',
  'yes please text me',
] as const;

export const NO_PHRASES = [
  'no',
  'nope',
  'no thanks',
  'no thank you',
  'nope thanks',
  'nope thank you',
  'call me',
  'no call me',
  'do not text me',
  "don't text me",
] as const;

export const OTHER_WORDS = ['maybe', 'what', 'hello', 'hmm', 'uh', 'huh', 'hey', 'why', 'who'] as const;

export function consentJsgf(): string {
  return [
    '#JSGF V1.0;',
    'grammar consent;',
    'public <answer> = <yes> | <no> | <other> | <NULL>;',
    `<yes> = ${YES_PHRASES.join(' | ')};`,
    `<no> = ${NO_PHRASES.join(' | ')};`,
    `<other> = ${OTHER_WORDS.join(' | ')};`,
    '',
  ].join('\n');
}

/**
 * Pronunciations copied from the model's cmudict-en-us.dict (Debian package
 * pocketsphinx-en-us), so each run loads 30 lines instead of 135,000.
 */
const PRONUNCIATIONS: Record<string, string[]> = {
  yes: ['Y EH S'],
  yeah: ['Y AE'],
  yep: ['Y EH P'],
  sure: ['SH UH R'],
  please: ['P L IY Z'],
  text: ['T EH K S T'],
  me: ['M IY'],
  no: ['N OW'],
  nope: ['N OW P'],
  thanks: ['TH AE NG K S'],
  thank: ['TH AE NG K'],
  you: ['Y UW'],
  call: ['K AO L'],
  do: ['D UW'],
  not: ['N AA T'],
  "don't": ['D OW N T', 'D OW N'],
  maybe: ['M EY B IY'],
  what: ['W AH T', 'HH W AH T'],
  hello: ['HH AH L OW', 'HH EH L OW'],
  hmm: ['HH M'],
  uh: ['AH'],
  huh: ['HH AH'],
  hey: ['HH EY'],
  why: ['W AY', 'HH W AY'],
  who: ['HH UW'],
};

export function consentDictionary(): string {
  const words = new Set([...YES_PHRASES, ...NO_PHRASES, ...OTHER_WORDS].flatMap((phrase) => phrase.split(' ')));
  const lines: string[] = [];
  for (const word of [...words].sort()) {
    const variants = PRONUNCIATIONS[word];
    if (!variants) throw new Error(`no pronunciation for grammar word "${word}"`);
    variants.forEach((phones, i) => lines.push(`${i === 0 ? word : `${word}(${i + 1})`} ${phones}`));
  }
  return `${lines.join('\n')}\n`;
}
