/**
 * A line-based conversation with a mail server, for the protocols whose replies are lines (POP3,
 * and the IMAP and SMTP probes of Test Connection): one line read at a time with a silence
 * timeout and a deadline on the whole reply, lines bounded in length, lines read ahead bounded
 * in bytes, an in-place TLS upgrade that drops whatever came in clear, and the conversation in
 * the trace (`POP3 C:`/`POP3 S:`) through the Redactor. What a failure means to the user is the
 * protocol's to say: each one goes through its `explain`.
 */
import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Redactor } from '../../redact';
import { MailLog, MailServer } from '../server';
import { openSocket, SocketFailure, upgradeSocket } from './connect';
import { LineReader, LineTooLongError } from './line-reader';
import { channelOf, TokenChannel } from './xoauth2';

/** What ended the conversation, for the protocol to explain. */
export type LineFailure =
  /** Connecting or the TLS handshake (also after STARTTLS) failed. */
  | { kind: 'handshake'; failure: SocketFailure; upgrade: boolean }
  /** The connection broke or the server closed it; `cause` is the socket error, if there was one. */
  | { kind: 'dropped'; cause?: Error }
  /** No line for `ms` while one was awaited. */
  | { kind: 'silent'; ms: number }
  /** The reply was still incomplete `ms` after the command. */
  | { kind: 'too-slow'; ms: number }
  | { kind: 'line-too-long'; limit: number }
  /** Lines nobody asked for passed `limit` bytes. */
  | { kind: 'too-much-unread'; limit: number };

export interface LineSocketOptions {
  /** `POP3`, `IMAP`, `SMTP`: the trace's prefix and the log's. */
  label: string;
  log: MailLog;
  /** Redacts the trace. */
  redactor: Redactor;
  /** TCP connect and TLS handshake, each. */
  connectTimeoutMs: number;
  /** Longest a whole reply may take after its command (or the greeting after connecting), however steadily its lines come. */
  replyDeadlineMs: number;
  /** Longest line accepted, in bytes. */
  maxLineLength: number;
  /** Most bytes of lines read ahead of the reads that will take them. */
  maxUnreadBytes: number;
  /** The error a failure becomes; every later read fails with it too. */
  explain(failure: LineFailure): Error;
}

interface LineWaiter {
  resolve(line: Buffer): void;
  reject(error: Error): void;
}

export class LineSocket {
  private reader: LineReader;
  private readonly lines: Buffer[] = [];
  private unreadBytes = 0;
  private waiter?: LineWaiter;
  private failure?: Error;
  private closed = false;
  private detach: () => void = () => {};
  /** When the reply to the last command (or the greeting) must be complete. */
  private replyDeadline: number;

  private constructor(readonly server: MailServer, private socket: Socket, private readonly options: LineSocketOptions) {
    this.reader = new LineReader(options.maxLineLength);
    this.replyDeadline = Date.now() + options.replyDeadlineMs;
    this.attach(socket);
  }

  /** Connects, with TLS from the first byte when `tls`; a failure comes explained. */
  static async open(server: MailServer, tls: boolean, options: LineSocketOptions): Promise<LineSocket> {
    options.log.debug(`${options.label} connecting to ${server.host}:${server.port} (${tls ? 'TLS' : 'plain'})`);
    let socket: Socket;
    try {
      socket = await openSocket(server, tls, options.connectTimeoutMs);
    } catch (error) {
      if (error instanceof SocketFailure) throw options.explain({ kind: 'handshake', failure: error, upgrade: false });
      throw error;
    }
    if (socket instanceof TLSSocket) options.log.debug(`${options.label} TLS established with ${server.host}:${server.port} (${socket.getProtocol() ?? 'unknown protocol'})`);
    return new LineSocket(server, socket, options);
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  /** What the token rule (./xoauth2) needs to know of this connection now. */
  get tokenChannel(): TokenChannel {
    return channelOf(this.socket, `${this.options.label} server ${this.server.host}:${this.server.port}`);
  }

  /** Sends one line; the trace shows it redacted. The reply's deadline starts now. */
  send(line: string): void {
    if (this.failure) throw this.failure;
    this.replyDeadline = Date.now() + this.options.replyDeadlineMs;
    this.options.log.trace(`${this.options.label} C: ${this.options.redactor.redact(line)}`);
    this.socket.write(`${line}\r\n`);
  }

  /** The next line, without its line ending; fails on `timeoutMs` of silence, the reply's deadline, a hang-up or a failure. */
  readLine(timeoutMs: number): Promise<Buffer> {
    const queued = this.lines.shift();
    if (queued) {
      this.unreadBytes -= queued.length;
      return Promise.resolve(queued);
    }
    if (this.failure) return Promise.reject(this.failure);
    const left = this.replyDeadline - Date.now();
    const slow = left < timeoutMs;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.abort(this.options.explain(slow ? { kind: 'too-slow', ms: this.options.replyDeadlineMs } : { kind: 'silent', ms: timeoutMs }));
      }, Math.max(0, slow ? left : timeoutMs));
      this.waiter = {
        resolve: (line) => { clearTimeout(timer); resolve(line); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
    });
  }

  /**
   * Starts TLS on the open socket after the server agreed to STARTTLS/STLS. Bytes and lines the
   * server sent in the clear after its agreement are dropped: they could be an attacker's.
   */
  async startTls(): Promise<void> {
    this.detach();
    const dropped = this.reader.discard() + this.lines.splice(0).length;
    this.unreadBytes = 0;
    const where = `${this.server.host}:${this.server.port}`;
    if (dropped) this.options.log.warn(`${this.options.label} ignored ${dropped} unexpected bytes or lines sent before TLS by ${where}`);
    let secure: TLSSocket;
    try {
      secure = await upgradeSocket(this.server, this.socket, this.options.connectTimeoutMs);
    } catch (error) {
      throw this.abort(error instanceof SocketFailure ? this.options.explain({ kind: 'handshake', failure: error, upgrade: true }) : error as Error);
    }
    this.options.log.debug(`${this.options.label} TLS established with ${where} (${secure.getProtocol() ?? 'unknown protocol'})`);
    this.socket = secure;
    this.reader = new LineReader(this.options.maxLineLength);
    this.attach(secure);
  }

  /** Ends the conversation for a reason of the protocol's (a reply too large, too many lines): later reads fail with `error`. */
  abort(error: Error): Error {
    this.fail(error);
    this.socket.destroy();
    return error;
  }

  /** Ends the session, or abandons it: no more lines are awaited. */
  close(): void {
    this.closed = true;
    this.failure ??= new Error(`${this.options.label} connection closed`);
    this.detach();
    this.socket.on('error', () => {});
    this.socket.end();
    this.socket.destroy();
  }

  private attach(socket: Socket): void {
    const onData = (chunk: Buffer) => this.receive(chunk);
    const onError = (error: Error) => this.fail(this.options.explain({ kind: 'dropped', cause: error }));
    const onClose = () => this.fail(this.options.explain({ kind: 'dropped' }));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    this.detach = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
  }

  private receive(chunk: Buffer): void {
    let lines: Buffer[];
    try {
      lines = this.reader.push(chunk);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      this.abort(this.options.explain({ kind: 'line-too-long', limit: error.limit }));
      return;
    }
    for (const line of lines) {
      this.options.log.trace(`${this.options.label} S: ${this.options.redactor.redact(line.toString('utf8'))}`);
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter.resolve(line);
        continue;
      }
      this.lines.push(line);
      this.unreadBytes += line.length;
      if (this.unreadBytes > this.options.maxUnreadBytes) {
        this.abort(this.options.explain({ kind: 'too-much-unread', limit: this.options.maxUnreadBytes }));
        return;
      }
    }
  }

  /** Records the first reason the conversation cannot go on; later reads fail with it. */
  private fail(error: Error): void {
    if (this.closed) return;
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }
}
