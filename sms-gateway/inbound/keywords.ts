/**
 * Reads the compliance keywords out of a caller's text (DESIGN.md "Opt-out").
 *
 * Every keyword counts when it is the whole message ("Stop.", "  QUIT!! ").
 * Inside a sentence only the unambiguous ones count ("pls stop texting me",
 * "unsubscribe me", "opt-out"); CANCEL, END and QUIT count in a sentence only
 * with what they end ("cancel these texts"), so "cancel my appointment" or
 * "at the end of the day" stay conversation.
 */
export type Keyword = 'stop' | 'start' | 'help';

const STOP_WORDS = ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout', 'opt out', 'opt-out'];
const START_WORDS = ['start', 'unstop', 'yes start', 'subscribe'];
const HELP_WORDS = ['help', 'info'];

const STOP_IN_SENTENCE = /\b(stop|stopall|unsubscribe|revoke|opt[\s-]?out)\b/i;
const STOP_WITH_OBJECT = /\b(cancel|end|quit)\b[\s\w]{0,20}\b(texts?|texting|messages?|messaging|sms)\b/i;

export function classifyKeyword(text: string): Keyword | null {
  const bare = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (STOP_WORDS.includes(bare)) return 'stop';
  if (START_WORDS.includes(bare)) return 'start';
  if (HELP_WORDS.includes(bare)) return 'help';
  if (STOP_IN_SENTENCE.test(bare) && !/\bdon'?t stop\b|\bdo not stop\b/.test(bare)) return 'stop';
  if (STOP_WITH_OBJECT.test(bare)) return 'stop';
  return null;
}
