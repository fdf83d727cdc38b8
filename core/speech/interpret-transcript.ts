import type { YesNoAnswer } from './speech-recognizer.js';

// Removed before anything else is read: some carry a "no" without meaning no
// ("sure, no problem", "I don't mind"), and "not sure" must never count as "sure".
const NEUTRAL = [/\b(no|not a) problem\b/g, /\b(do not|don'?t) (mind|know)\b/g, /\bwhy not\b/g, /\bnot (so |too |really )?sure\b/g];

// Refusals are matched before acceptances and cut out of the text, so the
// "text me" inside "don't text me" never also counts as a yes.
const NO = [
  // "don't send me texts", but not "don't call me, text me" (wants texts).
  /\b(do not|don'?t)( (?!call\b)[\w']+){0,3} (text|message|sms)\w*\b/g,
  /\bno thank(s| you)\b/g,
  /\bnot interested\b/g,
  /\bcall me\b/g,
  /\b(do not|don'?t)\b/g,
  /\b(no|nope|nah)\b/g,
];

const STRONG_YES = [
  /\btext me\b/,
  /\bsend( me)?( a)? texts?\b/,
  /\b(yes|yeah|yep|yup|sure|ok|okay|absolutely|certainly)\b/,
  /\bof course\b/,
];

// "please" alone is a yes to "would you like texts?", but in "no, please" or
// "please don't" it only softens a refusal.
const WEAK_YES = /\bplease\b/;

/**
 * Reads a yes / no out of what a caller said. Consent must be unambiguous: an
 * answer that holds both ("yes... no, call me") or neither is `unclear`, and the
 * IVR asks again or falls back to the keypad.
 */
export function interpretTranscript(text: string): YesNoAnswer {
  let rest = normalize(text);
  for (const pattern of NEUTRAL) rest = rest.replace(pattern, ' ');

  let saidNo = false;
  for (const pattern of NO) {
    const without = rest.replace(pattern, ' ');
    if (without !== rest) saidNo = true;
    rest = without;
  }
  const strongYes = STRONG_YES.some((pattern) => pattern.test(rest));
  const weakYes = WEAK_YES.test(rest);

  if (saidNo) return strongYes ? 'unclear' : 'no';
  return strongYes || weakYes ? 'yes' : 'unclear';
}

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\bo\.k\.?/g, 'ok')
    .replace(/[^a-z']+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
