/**
 * IMAP's framing, read as it streams: lines ending in CRLF, and literals (`{n}` or LITERAL+'s
 * `{n+}` at the end of a line, then n raw bytes, then the rest of the line). One reader serves
 * both directions of the front: client commands and server responses have the same framing.
 *
 * Each byte is looked at once: a chunk is scanned from where the last scan stopped, literal
 * bytes are handed on as slices without copying, and only the part of a line that spans chunks
 * is kept. A line longer than `maxLineBytes` is refused (Exchange too has a command line limit).
 */

/** One line of a command or response, as Latin-1 text so that writing it back is byte-exact. */
export interface WireLine {
  /** The line without its CRLF. */
  text: string;
  /** The literal announced at the end of the line, when there is one. */
  literal?: { size: number; synchronizing: boolean };
  /** True when the line continues a command or response after a literal. */
  continued: boolean;
}

export interface WireHandler {
  /**
   * A complete line. For a synchronizing literal, returns whether it will come: a server that
   * answers the command at once (refuses it) sends no continuation, so the client sends none.
   */
  line(line: WireLine): boolean;
  /** Bytes of the literal announced by the last line, in order; they end after `size` bytes. */
  literal(bytes: Buffer): void;
  /** A line grew past the bound; nothing more is read. */
  overflow(): void;
}

const LF = 0x0a;
const LITERAL_AT_END = /\{(\d{1,12})(\+?)\}$/;

export class ImapWireReader {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private literalLeft = 0;
  private afterLiteral = false;
  private stopped = false;

  constructor(private readonly handler: WireHandler, private readonly maxLineBytes: number) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.stopped) {
      if (this.literalLeft > 0) {
        const end = Math.min(chunk.length, offset + this.literalLeft);
        this.literalLeft -= end - offset;
        this.handler.literal(chunk.subarray(offset, end));
        offset = end;
        continue;
      }
      const newline = chunk.indexOf(LF, offset);
      if (newline < 0) {
        this.keep(chunk.subarray(offset));
        return;
      }
      const tail = chunk.subarray(offset, newline + 1);
      offset = newline + 1;
      if (this.partialBytes + tail.length > this.maxLineBytes) {
        this.overflow();
        return;
      }
      const bytes = this.partial.length > 0 ? Buffer.concat([...this.partial, tail]) : tail;
      this.partial = [];
      this.partialBytes = 0;
      this.emit(bytes);
    }
  }

  /** Nothing more is read, e.g. once the session is closing. */
  stop(): void {
    this.stopped = true;
  }

  private keep(bytes: Buffer): void {
    if (this.partialBytes + bytes.length > this.maxLineBytes) {
      this.overflow();
      return;
    }
    // A copy: the socket may reuse its chunk's memory.
    this.partial.push(Buffer.from(bytes));
    this.partialBytes += bytes.length;
  }

  private overflow(): void {
    this.stopped = true;
    this.partial = [];
    this.handler.overflow();
  }

  private emit(bytes: Buffer): void {
    const end = bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d ? bytes.length - 2 : bytes.length - 1;
    const text = bytes.toString('latin1', 0, end);
    const match = LITERAL_AT_END.exec(text);
    const literal = match ? { size: Number(match[1]), synchronizing: match[2] !== '+' } : undefined;
    const continued = this.afterLiteral;
    this.afterLiteral = false;
    const comes = this.handler.line({ text, literal, continued });
    if (literal && (comes || !literal.synchronizing)) {
      this.literalLeft = literal.size;
      this.afterLiteral = true;
    }
  }
}
