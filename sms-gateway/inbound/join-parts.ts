/**
 * Puts the texts of the parts of one long message back together. Pure.
 *
 * Parts are joined at the level of UTF-16 code units, so a surrogate pair a
 * sender split across two parts (some handsets do) is whole again, and a GSM
 * escape left at the end of one part takes the first character of the next
 * (the `smpp` library decodes each part alone and leaves such an escape as
 * U+001B). A missing part leaves a visible marker instead of silently
 * shortening what the customer wrote.
 */
export interface PartText {
  seq: number;
  text: string;
}

export interface JoinedText {
  text: string;
  /** Part numbers that never arrived, ascending. */
  missing: number[];
}

const ESCAPE = '\u001b';
/** GSM 03.38 extension table: the basic-table character after the escape, and what the pair means. */
const EXTENSION_AFTER_ESCAPE: ReadonlyMap<string, string> = new Map([
  ['\n', '\f'],
  ['Λ', '^'],
  ['(', '{'],
  [')', '}'],
  ['/', '\\'],
  ['<', '['],
  ['=', '~'],
  ['>', ']'],
  ['¡', '|'],
  ['e', '€'],
]);

/** Marker for a run of missing parts, e.g. "[part 2 of 3 missing]" or "[parts 2-4 of 6 missing]". */
export function missingMarker(from: number, to: number, total: number): string {
  return from === to ? `[part ${from} of ${total} missing]` : `[parts ${from}-${to} of ${total} missing]`;
}

/** Joins parts in part order; a repeated part number keeps its first text. */
export function joinParts(total: number, parts: readonly PartText[]): JoinedText {
  const bySeq = new Map<number, string>();
  for (const part of parts) if (!bySeq.has(part.seq)) bySeq.set(part.seq, part.text);
  const pieces: string[] = [];
  const missing: number[] = [];
  let runStart: number | null = null;
  for (let seq = 1; seq <= total; seq++) {
    const text = bySeq.get(seq);
    if (text === undefined) {
      missing.push(seq);
      runStart ??= seq;
      continue;
    }
    if (runStart !== null) {
      pieces.push(missingMarker(runStart, seq - 1, total));
      runStart = null;
    }
    pieces.push(text);
  }
  if (runStart !== null) pieces.push(missingMarker(runStart, total, total));
  return { text: joinWithEscapes(pieces), missing };
}

function joinWithEscapes(pieces: readonly string[]): string {
  let joined = '';
  for (const piece of pieces) {
    const extension = joined.endsWith(ESCAPE) ? EXTENSION_AFTER_ESCAPE.get(piece.charAt(0)) : undefined;
    joined = extension === undefined ? joined + piece : joined.slice(0, -1) + extension + piece.slice(1);
  }
  return joined;
}
