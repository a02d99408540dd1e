/**
 * A bare IMAP client over TLS for tests that compare a server's lines byte for byte: it writes
 * what it is told and hands back each line exactly as received (trailing spaces included),
 * literals included as raw bytes. No imapflow: a library would hide the wire being tested.
 */
import { connect, TLSSocket } from 'node:tls';

export interface WireTarget {
  host: string;
  port: number;
  ca: string;
}

export class ImapWireClient {
  private buffer = Buffer.alloc(0);
  private waiting?: () => void;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.ended = true;
      this.wake();
      resolve();
    }));
    socket.on('error', () => undefined);
  }

  static async connect(target: WireTarget): Promise<ImapWireClient> {
    const socket = connect({ host: target.host, port: target.port, ca: target.ca });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    return new ImapWireClient(socket);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private async more(timeoutMs: number): Promise<void> {
    if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer.toString('latin1'))}`);
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      this.waiting = resolve;
      timer = setTimeout(() => reject(new Error(`no reply in ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer.toString('latin1'))}`)), timeoutMs);
    }).finally(() => clearTimeout(timer));
  }

  /** The next line, without CRLF. */
  async line(timeoutMs = 10_000): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.toString('latin1', 0, end);
        this.buffer = this.buffer.subarray(end + 2);
        return line;
      }
      await this.more(timeoutMs);
    }
  }

  /** The next `size` bytes (a literal's). */
  async bytes(size: number, timeoutMs = 10_000): Promise<Buffer> {
    while (this.buffer.length < size) await this.more(timeoutMs);
    const bytes = this.buffer.subarray(0, size);
    this.buffer = this.buffer.subarray(size);
    return bytes;
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends `<tag> <command>` and returns every line up to and including the tagged one. */
  async command(tag: string, command: string): Promise<string[]> {
    this.write(`${tag} ${command}\r\n`);
    return this.until(tag);
  }

  /** Lines up to and including the one tagged `tag`. */
  async until(tag: string): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line();
      lines.push(line);
      if (line.startsWith(`${tag} `)) return lines;
    }
  }

  /** Whatever the server still says before it closes the connection. */
  async rest(timeoutMs = 5000): Promise<string[]> {
    const lines: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        lines.push(await this.line(Math.max(1, deadline - Date.now())));
      } catch (error) {
        if (this.ended) return lines;
        throw error;
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
