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
const LITERAL_AT_END = /\{(\d+)\+?\}$/;

/** Accumulates bytes and returns every complete response, literals included, as one buffer. */
export class ResponseFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of a literal still to come before the response's line continues. */
  private literalLeft = 0;
  private scanFrom = 0;

  constructor(private readonly maxResponseBytes = 64 * 1024 * 1024) {}

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const responses: Buffer[] = [];
    for (;;) {
      if (this.literalLeft > 0) {
        const available = this.pending.length - this.scanFrom;
        if (available < this.literalLeft) break;
        this.scanFrom += this.literalLeft;
        this.literalLeft = 0;
      }
      const newline = this.pending.indexOf(0x0a, this.scanFrom);
      if (newline === -1) break;
      const lineEnd = newline > 0 && this.pending[newline - 1] === 0x0d ? newline - 1 : newline;
      const line = this.pending.toString('latin1', this.scanFrom, lineEnd);
      const literal = LITERAL_AT_END.exec(line);
      if (literal) {
        this.literalLeft = Number(literal[1]);
        this.scanFrom = newline + 1;
        continue;
      }
      responses.push(this.pending.subarray(0, lineEnd));
      this.pending = this.pending.subarray(newline + 1);
      this.scanFrom = 0;
    }
    if (this.pending.length > this.maxResponseBytes) throw new Error(`a response from the server exceeded ${this.maxResponseBytes} bytes`);
    return responses;
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

  private list(): ImapValue[] {
    this.position++;
    const items: ImapValue[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.done) throw new Error('unterminated list');
      if (this.peek() === 0x29) { this.position++; return items; }
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
      if (b === 0x5c) { b = this.peek(); this.position++; }
      parts.push(b);
    }
    throw new Error('unterminated quoted string');
  }

  private literal(): string {
    const close = this.bytes.indexOf(0x7d, this.position);
    const size = Number(this.bytes.toString('latin1', this.position + 1, close).replace('+', ''));
    if (close === -1 || !Number.isInteger(size)) throw new Error('malformed literal');
    // `}` CRLF, then the literal's bytes.
    let start = close + 1;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
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
const PLAIN_STATUS = /^\* STATUS (?:"([^"\\]*)"|([^\s"(){}\\]+)) \(([A-Z0-9 ]*)\)$/i;
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
