/**
 * SMTP's framing, read on demand: CRLF lines (bounded), exact byte counts (BDAT) and the DATA
 * body up to `<CRLF>.<CRLF>` (dot-unstuffed, kept only up to a bound and counted beyond it).
 * One reader per socket; `switchTo` moves it onto the TLS socket after STARTTLS and drops what
 * was read ahead in clear, so nothing injected before the handshake counts after it. The POP3
 * front reads its lines before login with it too, then `release`s the socket to a plain pipe.
 */
import { Socket } from 'node:net';

export class LineTooLong extends Error {}

export interface DataBody {
  /** The message as sent, up to `keep` bytes; undefined when it was longer. */
  message?: Buffer;
  /** Its full size in bytes. */
  size: number;
}

const CRLF = Buffer.from('\r\n');
const READ_AHEAD_BYTES = 1024 * 1024;

export class SmtpLines {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private wake?: () => void;
  private socket!: Socket;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    // A peer that writes ahead of what is asked (flooding while a reply is awaited) waits.
    if (this.buffer.length > READ_AHEAD_BYTES) this.socket.pause();
    this.notify();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.notify();
  };

  constructor(socket: Socket, private readonly maxLineBytes: number) {
    this.switchTo(socket);
  }

  switchTo(socket: Socket): void {
    if (this.socket) {
      for (const event of ['end', 'close', 'error']) this.socket.off(event, this.onEnd);
      this.socket.off('data', this.onData);
    }
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    socket.on('data', this.onData);
    for (const event of ['end', 'close', 'error']) socket.on(event, this.onEnd);
  }

  /**
   * Stops reading the socket and hands back what was read ahead. The next reader must attach in
   * the same tick (a flowing socket without a reader drops data); `pipe` resumes a paused one.
   */
  release(): Buffer {
    for (const event of ['end', 'close', 'error']) this.socket.off(event, this.onEnd);
    this.socket.off('data', this.onData);
    const ahead = this.buffer;
    this.buffer = Buffer.alloc(0);
    return ahead;
  }

  /** The next line without its CRLF, or undefined when the peer has gone. */
  async line(maxBytes = this.maxLineBytes): Promise<Buffer | undefined> {
    for (;;) {
      const end = this.buffer.indexOf(CRLF);
      if (end >= 0 && end <= maxBytes) {
        const line = this.buffer.subarray(0, end);
        this.buffer = this.buffer.subarray(end + 2);
        return line;
      }
      if (end > maxBytes || (end < 0 && this.buffer.length > maxBytes)) throw new LineTooLong();
      if (!(await this.more())) return undefined;
    }
  }

  async text(): Promise<string | undefined> {
    return (await this.line())?.toString('utf8');
  }

  /** Exactly `count` bytes (BDAT), or undefined when the peer has gone first. */
  async bytes(count: number): Promise<Buffer | undefined> {
    while (this.buffer.length < count) if (!(await this.more())) return undefined;
    const bytes = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return bytes;
  }

  /**
   * A DATA body up to the line holding a single dot. Lines may be as long as the whole message:
   * only the total is bounded, by `keep` (bytes kept) and the caller's size check.
   */
  async data(keep: number): Promise<DataBody | undefined> {
    const kept: Buffer[] = [];
    let size = 0;
    for (;;) {
      const line = await this.line(keep + 2);
      if (line === undefined) return undefined;
      if (line.length === 1 && line[0] === 0x2e) break;
      const unstuffed = line[0] === 0x2e ? line.subarray(1) : line;
      size += unstuffed.length + 2;
      if (size <= keep) kept.push(unstuffed, CRLF);
      else kept.length = 0;
    }
    return { message: size <= keep ? Buffer.concat(kept) : undefined, size };
  }

  private more(): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    this.socket.resume();
    return new Promise((resolve) => {
      this.wake = () => resolve(!this.ended || this.buffer.length > 0);
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
