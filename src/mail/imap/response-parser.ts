/**
 * The server half of the IMAP wire as the listing connection needs it: cuts the byte stream
 * into whole responses (a line, plus any `{n}` literals it announces), and reads one response
 * into tag, status or data name, and its arguments (atoms, quoted strings, literals,
 * parenthesised lists, NIL). It knows no command: callers read LIST, STATUS and CAPABILITY
 * data out of the arguments.
 */

export type ImapValue = string | null | ImapValue[];

export interface TaggedStatus {
  kind: 'status';
  /** `*` for untagged OK/NO/BAD/BYE/PREAUTH, else the command's tag. */
  tag: string;
  status: 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';
  /** The bracketed response code, e.g. `CAPABILITY IMAP4rev1 …`, `AUTHENTICATIONFAILED`. */
  code?: string;
  text: string;
}

export interface UntaggedData {
  kind: 'data';
  /** Upper-case data name: `LIST`, `STATUS`, `CAPABILITY`, or `EXISTS` with `number` set. */
  name: string;
  number?: number;
  args: ImapValue[];
}

export interface Continuation {
  kind: 'continuation';
  text: string;
}

export type ImapResponse = TaggedStatus | UntaggedData | Continuation;

const STATUSES = new Set(['OK', 'NO', 'BAD', 'BYE', 'PREAUTH']);
/** A literal announced at the end of a line: `{123}` or the non-synchronising `{123+}`; ten digits at most. */
const LITERAL_AT_END = /\{(\d{1,10})\+?\}$/;
/** Enough of a line's end to hold the longest literal marker (`{` + 10 digits + `+}`) with room to spare. */
const MARKER_TAIL = 16;
/** A literal as the reader meets it inside a framed response. */
const LITERAL = /^\{(\d{1,10})\+?\}(?:\r?\n)?/;
/** Parenthesised lists nest this deep at most: BODYSTRUCTURE of a real message stays far below. */
const MAX_NESTING = 64;

export interface FramerLimits {
  /** Longest line outside literals, CRLF excluded. */
  maxLineBytes: number;
  /** Longest response: its lines and literals together. */
  maxResponseBytes: number;
}

/**
 * What the listing connection reads: LIST, STATUS and CAPABILITY lines of well under a KiB, and
 * mailbox names as literals. A server sending more is not listing folders.
 */
export const LISTING_LIMITS: FramerLimits = { maxLineBytes: 64 * 1024, maxResponseBytes: 1024 * 1024 };

/** The server sent a line or response over the limit; the connection cannot go on. */
export class ResponseTooLargeError extends Error {
  constructor(readonly what: 'line' | 'response', readonly limit: number) {
    super(`the server sent a ${what} over ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * Accumulates bytes and returns every complete response, literals included, as one buffer.
 * Each byte is looked at once: a chunk is appended to a buffer that grows by doubling, and the
 * search for the line end starts where the last one stopped.
 */
export class ResponseFramer {
  private buffer: Buffer = Buffer.alloc(0);
  /** The current response spans buffer[start, end); bytes before `scanned` were already searched. */
  private start = 0;
  private end = 0;
  private scanned = 0;
  /** Where the current line of the response starts (after the last literal). */
  private lineStart = 0;
  /** Bytes of a literal still to come before the response's line continues. */
  private literalLeft = 0;

  constructor(private readonly limits: FramerLimits = LISTING_LIMITS) {}

  /** Bytes received and not yet returned as a response. */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const responses: Buffer[] = [];
    for (;;) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, this.end - this.scanned);
        this.scanned += take;
        this.literalLeft -= take;
        if (this.literalLeft > 0) break;
        this.lineStart = this.scanned;
      }
      const found = this.buffer.subarray(this.scanned, this.end).indexOf(0x0a);
      if (found === -1) {
        this.scanned = this.end;
        if (this.end - this.lineStart > this.limits.maxLineBytes) throw new ResponseTooLargeError('line', this.limits.maxLineBytes);
        break;
      }
      const newline = this.scanned + found;
      const lineEnd = newline > this.lineStart && this.buffer[newline - 1] === 0x0d ? newline - 1 : newline;
      if (lineEnd - this.lineStart > this.limits.maxLineBytes) throw new ResponseTooLargeError('line', this.limits.maxLineBytes);
      this.scanned = newline + 1;
      const marker = LITERAL_AT_END.exec(this.buffer.toString('latin1', Math.max(this.lineStart, lineEnd - MARKER_TAIL), lineEnd));
      if (marker) {
        this.literalLeft = Number(marker[1]);
        if (this.scanned - this.start + this.literalLeft > this.limits.maxResponseBytes) {
          throw new ResponseTooLargeError('response', this.limits.maxResponseBytes);
        }
        this.lineStart = this.scanned;
        continue;
      }
      responses.push(Buffer.from(this.buffer.subarray(this.start, lineEnd)));
      this.start = this.scanned;
      this.lineStart = this.scanned;
    }
    if (this.end - this.start > this.limits.maxResponseBytes) throw new ResponseTooLargeError('response', this.limits.maxResponseBytes);
    return responses;
  }

  /** Adds the chunk, moving what is still pending to the front (or to a buffer twice as large) when it does not fit. */
  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buffer.length) {
      const pending = this.end - this.start;
      const needed = pending + chunk.length;
      const target = needed > this.buffer.length ? Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2, 4096)) : this.buffer;
      this.buffer.copy(target, 0, this.start, this.end);
      this.buffer = target;
      this.scanned -= this.start;
      this.lineStart -= this.start;
      this.end = pending;
      this.start = 0;
    }
    chunk.copy(this.buffer, this.end);
    this.end += chunk.length;
  }
}

class Reader {
  position = 0;

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  peek(): number {
    return this.bytes[this.position] ?? -1;
  }

  skipSpaces(): void {
    while (this.peek() === 0x20) this.position++;
  }

  /** Up to the next space (or the end), for tags and names. */
  word(): string {
    const start = this.position;
    while (!this.done && this.peek() !== 0x20) this.position++;
    return this.bytes.toString('latin1', start, this.position);
  }

  rest(): string {
    const text = this.bytes.toString('utf8', this.position);
    this.position = this.bytes.length;
    return text;
  }

  value(): ImapValue {
    const byte = this.peek();
    if (byte === 0x28) return this.list();
    if (byte === 0x22) return this.quoted();
    if (byte === 0x7b) return this.literal();
    const start = this.position;
    // Atoms (flags such as \Noselect included) end at a space or a closing parenthesis; a
    // bracketed section such as BODY[HEADER] is kept whole.
    let depth = 0;
    while (!this.done) {
      const b = this.peek();
      if (b === 0x5b) depth++;
      else if (b === 0x5d) depth--;
      else if (depth <= 0 && (b === 0x20 || b === 0x29 || b === 0x28)) break;
      this.position++;
    }
    const atom = this.bytes.toString('utf8', start, this.position);
    if (atom === '') throw new Error(`unexpected byte 0x${byte.toString(16)} at ${start}`);
    return atom.toUpperCase() === 'NIL' ? null : atom;
  }

  private depth = 0;

  private list(): ImapValue[] {
    if (++this.depth > MAX_NESTING) throw new Error(`lists nested deeper than ${MAX_NESTING}`);
    this.position++;
    const items: ImapValue[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.done) throw new Error('unterminated list');
      if (this.peek() === 0x29) { this.position++; this.depth--; return items; }
      items.push(this.value());
    }
  }

  private quoted(): string {
    this.position++;
    const parts: number[] = [];
    while (!this.done) {
      let b = this.peek();
      this.position++;
      if (b === 0x22) return Buffer.from(parts).toString('utf8');
      if (b === 0x5c) {
        if (this.done) break;
        b = this.peek();
        this.position++;
      }
      parts.push(b);
    }
    throw new Error('unterminated quoted string');
  }

  /** `{n}` CRLF and n bytes, inside this response; n of ten digits at most, never past the response's end. */
  private literal(): string {
    const marker = LITERAL.exec(this.bytes.toString('latin1', this.position, this.position + MARKER_TAIL));
    if (!marker) throw new Error(`malformed literal at ${this.position}`);
    const size = Number(marker[1]);
    const start = this.position + marker[0].length;
    if (start + size > this.bytes.length) throw new Error(`a literal of ${size} bytes is longer than its response`);
    this.position = start + size;
    return this.bytes.toString('utf8', start, start + size);
  }
}

function statusResponse(tag: string, status: TaggedStatus['status'], reader: Reader): TaggedStatus {
  reader.skipSpaces();
  let text = reader.rest();
  let code: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end !== -1) {
      code = text.slice(1, end);
      text = text.slice(end + 1).trimStart();
    }
  }
  return { kind: 'status', tag, status, code, text };
}

/**
 * The three shapes a folder listing is made of, in their plain form (no literal, no escape):
 * a thousand-folder listing is mostly these, and a regular expression reads them several
 * times faster than the general reader below, which takes everything else.
 */
// Exchange ends a STATUS line with a space: `* STATUS INBOX (MESSAGES 7 UNSEEN 0) `.
const PLAIN_STATUS = /^\* STATUS (?:"([^"\\]*)"|([^\s"(){}\\]+)) \(([A-Z0-9 ]*)\) ?$/i;
const PLAIN_LIST = /^\* LIST \(([^()"{}]*)\) (?:"([^"\\]*)"|NIL) (?:"([^"\\]*)"|([^\s"(){}\\]+))$/i;
const PLAIN_COMPLETION = /^([A-Za-z0-9]+) (OK|NO|BAD) (?:\[([^\]]*)\] ?)?(.*)$/;

function parsePlain(line: string): ImapResponse | undefined {
  let match = PLAIN_COMPLETION.exec(line);
  if (match) return { kind: 'status', tag: match[1]!, status: match[2]!.toUpperCase() as TaggedStatus['status'], code: match[3], text: match[4]! };
  match = PLAIN_STATUS.exec(line);
  if (match) return { kind: 'data', name: 'STATUS', number: undefined, args: [match[1] ?? match[2]!, match[3]!.split(' ').filter(Boolean)] };
  match = PLAIN_LIST.exec(line);
  if (match) {
    const name = match[3] ?? match[4]!;
    return { kind: 'data', name: 'LIST', number: undefined, args: [match[1]!.split(' ').filter(Boolean), match[2] ?? null, name.toUpperCase() === 'NIL' && match[4] ? null : name] };
  }
  return undefined;
}

/** Reads one framed response; throws on bytes that are not IMAP. */
export function parseResponse(bytes: Buffer): ImapResponse {
  const line = bytes.toString('utf8');
  if (!line.includes('\n')) {
    const plain = parsePlain(line);
    if (plain) return plain;
  }
  const reader = new Reader(bytes);
  const tag = reader.word();
  if (tag === '+') {
    reader.skipSpaces();
    return { kind: 'continuation', text: reader.rest() };
  }
  if (!tag) throw new Error('empty response line');
  reader.skipSpaces();
  let word = reader.word();
  if (STATUSES.has(word.toUpperCase())) return statusResponse(tag, word.toUpperCase() as TaggedStatus['status'], reader);
  if (tag !== '*') throw new Error(`tagged response without a status: ${tag} ${word}`);
  let number: number | undefined;
  if (/^\d+$/.test(word)) {
    number = Number(word);
    reader.skipSpaces();
    word = reader.word();
  }
  const args: ImapValue[] = [];
  for (;;) {
    reader.skipSpaces();
    if (reader.done) break;
    args.push(reader.value());
  }
  return { kind: 'data', name: word.toUpperCase(), number, args };
}
