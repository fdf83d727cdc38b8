/**
 * The AMI line protocol: a message is `Name: value` lines ended by CRLF, and a
 * blank line ends the message. Asterisk reads header names case-insensitively
 * and skips the blanks after the colon; so does this reader.
 */

export type Headers = ReadonlyArray<readonly [string, string]>;

/** Asterisk caps a message at 128 headers; a line this long is not AMI any more. */
const MAX_HEADERS = 128;
const MAX_BUFFERED = 64 * 1024;

export class AmiReader {
  private buffer = '';
  private current: Array<readonly [string, string]> = [];

  /** Feeds bytes; returns the messages they completed. Throws when the peer floods us. */
  push(chunk: string): Headers[] {
    this.buffer += chunk;
    if (this.buffer.length > MAX_BUFFERED) throw new Error('AMI message too large');
    const done: Headers[] = [];
    let newline = this.buffer.indexOf('\n');
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line === '') {
        if (this.current.length > 0) done.push(this.current);
        this.current = [];
      } else {
        const colon = line.indexOf(':');
        // Asterisk keeps a line without a colon as a header nobody asks for; ignoring it is the same.
        if (colon > 0 && this.current.length < MAX_HEADERS) {
          this.current.push([line.slice(0, colon).trim(), line.slice(colon + 1).replace(/^\s+/, '')]);
        }
      }
      newline = this.buffer.indexOf('\n');
    }
    return done;
  }
}

/** The first value of a header, matched without regard to case (astman_get_header). */
export function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/**
 * One message block. CR and LF inside a value would end the line (and let a
 * value forge headers), so they are flattened to spaces.
 */
export function block(lines: ReadonlyArray<readonly [string, string]>): string {
  return lines.map(([key, value]) => `${key}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`).join('') + '\r\n';
}
