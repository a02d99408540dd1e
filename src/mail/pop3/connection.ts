/**
 * One POP3 connection: the socket (TLS from the first byte, or plain until STLS), the lines it
 * reads, the protocol trace, and the timeouts. Commands are built on `send`, `readStatus` and
 * `readDataLines`; what a reply means is for them to say.
 */
import { isIP, Socket, connect as connectTcp } from 'node:net';
import { connect as connectTls, ConnectionOptions, TLSSocket } from 'node:tls';
import { ExplainedError } from '../../errors';
import { Redactor } from '../../redact';
import { MailLog, MailServer, silentLog } from '../server';
import { secureContextTrusting } from '../tls-trust';
import { channelOf, TokenChannel } from '../xoauth2';
import {
  address, badGreeting, connectionDropped, isUnreachableError, lineTooLong, protocolError, replyTooLarge, replyTooSlow,
  serverRefused, timedOut, tlsFailure, unreachable,
} from './failures';
import { LineReader, LineTooLongError } from './line-reader';
import { isTerminator, parseStatusLine, StatusLine, unstuff } from './reply';

export interface Pop3Options {
  /** Where the protocol trace (`POP3 C:`/`POP3 S:`, at trace level) and connection events go. */
  log?: MailLog;
  /** Redacts the trace; the connection registers the access token it sends. One per session is typical. */
  redactor?: Redactor;
  /** TCP connect, TLS handshake and greeting, each (default 15 s). */
  connectTimeoutMs?: number;
  /** Silence from the server while a reply is awaited (default 30 s). */
  commandTimeoutMs?: number;
  /** Longest line accepted from the server, in bytes (default 64 KiB). */
  maxLineLength?: number;
  /** Largest multi-line reply (CAPA, UIDL, TOP), in bytes (default 16 MiB). */
  maxReplyBytes?: number;
  /** Longest a whole reply may take, however steadily its lines come (default 120 s). */
  replyDeadlineMs?: number;
}

/**
 * A multi-line reply here is a header (TOP n 0), a capability list or a mailbox's UIDs: a
 * 100,000-message UIDL is about 3 MB, so 16 MiB leaves room and stops a server that never ends.
 */
const DEFAULTS = { connectTimeoutMs: 15_000, commandTimeoutMs: 30_000, maxLineLength: 64 * 1024, maxReplyBytes: 16 * 1024 * 1024, replyDeadlineMs: 120_000 };

interface LineWaiter {
  resolve(line: Buffer): void;
  reject(error: Error): void;
}

/** The account's CA is trusted beside the system's, never instead of it; verification stays on. */
function tlsOptions(server: MailServer): ConnectionOptions {
  return {
    host: server.host,
    servername: isIP(server.host) ? undefined : server.host,
    secureContext: server.ca ? secureContextTrusting(server.ca) : undefined,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  };
}

export class Pop3Connection {
  readonly redactor: Redactor;
  /** The log the trace goes to; steps write their events there too. */
  readonly log: MailLog;
  private readonly settings: typeof DEFAULTS;
  private reader: LineReader;
  private readonly lines: Buffer[] = [];
  private waiter?: LineWaiter;
  private failure?: Error;
  private step = 'the greeting';
  private closing = false;
  private detach: () => void = () => {};
  private greetingText = '';
  /** Bytes of the lines read ahead of the commands that will take them. */
  private queuedBytes = 0;
  /** When the reply to the last command must be complete. */
  private replyDeadline = Infinity;

  private constructor(readonly server: MailServer, private socket: Socket, options: Pop3Options) {
    this.log = options.log ?? silentLog;
    this.redactor = options.redactor ?? new Redactor();
    this.settings = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      maxLineLength: options.maxLineLength ?? DEFAULTS.maxLineLength,
      maxReplyBytes: options.maxReplyBytes ?? DEFAULTS.maxReplyBytes,
      replyDeadlineMs: options.replyDeadlineMs ?? DEFAULTS.replyDeadlineMs,
    };
    this.reader = new LineReader(this.settings.maxLineLength);
  }

  /** Connects (with TLS when the server's security is `tls`) and reads the `+OK` greeting. */
  static async open(server: MailServer, options: Pop3Options = {}): Promise<Pop3Connection> {
    const log = options.log ?? silentLog;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    log.debug(`POP3 connecting to ${address(server)} (${server.security === 'tls' ? 'TLS' : 'plain, then STLS'})`);
    const socket = server.security === 'tls'
      ? connectTls({ ...tlsOptions(server), port: server.port })
      : connectTcp({ host: server.host, port: server.port });
    await handshake(server, socket, socket instanceof TLSSocket, timeoutMs);
    if (socket instanceof TLSSocket) log.debug(`POP3 TLS established with ${address(server)} (${socket.getProtocol() ?? 'unknown protocol'})`);
    const connection = new Pop3Connection(server, socket, options);
    connection.attach(socket);
    try {
      await connection.readGreeting(timeoutMs);
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  /** The server's greeting text, after `+OK`. */
  get greeting(): string {
    return this.greetingText;
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  /** What the token rule (../xoauth2) needs to know of this connection now. */
  get tokenChannel(): TokenChannel {
    return channelOf(this.socket, `POP3 server ${address(this.server)}`);
  }

  /** Sends one command line; the trace shows it redacted. */
  send(line: string, step = line): void {
    if (this.failure) throw this.failure;
    this.step = step;
    this.replyDeadline = Date.now() + this.settings.replyDeadlineMs;
    this.log.trace(`POP3 C: ${this.redactor.redact(line)}`);
    this.socket.write(`${line}\r\n`);
  }

  /** Reads the next status line (`+OK`, `-ERR` or `+ `). */
  async readStatus(): Promise<StatusLine> {
    const line = (await this.nextLine(this.settings.commandTimeoutMs)).toString('utf8');
    const status = parseStatusLine(line);
    if (!status) throw this.fail(protocolError(this.server, this.step, this.redactor.redact(line)));
    return status;
  }

  /** Reads the data lines of a multi-line reply up to the lone `.`, dot-unstuffed. */
  async readDataLines(): Promise<Buffer[]> {
    const data: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const line = await this.nextLine(this.settings.commandTimeoutMs);
      if (isTerminator(line)) return data;
      bytes += line.length + 2;
      if (bytes > this.settings.maxReplyBytes) {
        this.socket.destroy();
        throw this.fail(replyTooLarge(this.server, this.step, this.settings.maxReplyBytes));
      }
      data.push(unstuff(line));
    }
  }

  /** Sends a command and expects `+OK`; `-ERR` becomes a `server-refused` error. Returns the text. */
  async expectOk(line: string, step = line): Promise<string> {
    this.send(line, step);
    const status = await this.readStatus();
    if (status.kind === 'err') throw serverRefused(this.server, step, status.text);
    if (status.kind === 'continue') throw this.fail(protocolError(this.server, step, `+ ${status.text}`));
    return status.text;
  }

  /** Sends a command whose `+OK` is followed by data lines, and returns them. */
  async expectData(line: string, step = line): Promise<{ text: string; lines: Buffer[] }> {
    const text = await this.expectOk(line, step);
    return { text, lines: await this.readDataLines() };
  }

  /**
   * Starts TLS on the open socket after the server's `+OK` to STLS. Bytes the server sent in the
   * clear after that `+OK` are dropped: they could be an attacker's injected replies.
   */
  async upgradeToTls(): Promise<void> {
    this.detach();
    // From here on the TLS socket reports the plain socket's failures; this only keeps them from going unhandled.
    this.socket.on('error', () => {});
    const dropped = this.reader.discard() + this.lines.splice(0).length;
    this.queuedBytes = 0;
    if (dropped) this.log.warn(`POP3 ignored ${dropped} unexpected bytes or lines sent before TLS by ${address(this.server)}`);
    const secure = connectTls({ ...tlsOptions(this.server), socket: this.socket });
    this.step = 'STLS';
    await handshake(this.server, secure, true, this.settings.connectTimeoutMs);
    this.log.debug(`POP3 TLS established with ${address(this.server)} (${secure.getProtocol() ?? 'unknown protocol'})`);
    this.socket = secure;
    this.reader = new LineReader(this.settings.maxLineLength);
    this.attach(secure);
  }

  /** Ends the session after QUIT's reply, or abandons it: no more replies are awaited. */
  close(): void {
    this.closing = true;
    this.failure ??= new Error('POP3 connection closed');
    this.socket.end();
    this.socket.destroy();
  }

  private async readGreeting(timeoutMs: number): Promise<void> {
    const line = (await this.nextLine(timeoutMs)).toString('utf8');
    const status = parseStatusLine(line);
    if (status?.kind === 'ok') {
      this.greetingText = status.text;
      return;
    }
    const shown = this.redactor.redact(line);
    if (status?.kind === 'err') throw serverRefused(this.server, 'the connection', status.text);
    throw badGreeting(this.server, shown);
  }

  private attach(socket: Socket): void {
    const onData = (chunk: Buffer) => this.receive(chunk);
    const onError = (error: Error) => this.fail(connectionDropped(this.server, this.step, error));
    const onClose = () => this.fail(connectionDropped(this.server, this.step));
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
      this.fail(lineTooLong(this.server, this.step, error.limit));
      this.socket.destroy();
      return;
    }
    for (const line of lines) {
      this.log.trace(`POP3 S: ${this.redactor.redact(line.toString('utf8'))}`);
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter.resolve(line);
      } else {
        this.lines.push(line);
        this.queuedBytes += line.length;
        if (this.queuedBytes > this.settings.maxReplyBytes) {
          this.fail(replyTooLarge(this.server, this.step, this.settings.maxReplyBytes));
          this.socket.destroy();
          return;
        }
      }
    }
  }

  /** Records the first reason the connection cannot go on; later reads fail with it. */
  private fail(error: ExplainedError): ExplainedError {
    if (this.closing) return error;
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
    return error;
  }

  private nextLine(timeoutMs: number): Promise<Buffer> {
    const queued = this.lines.shift();
    if (queued) {
      this.queuedBytes -= queued.length;
      return Promise.resolve(queued);
    }
    if (this.failure) return Promise.reject(this.failure);
    const left = this.replyDeadline - Date.now();
    const slow = left < timeoutMs;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(slow ? replyTooSlow(this.server, this.step, this.settings.replyDeadlineMs) : timedOut(this.server, this.step, timeoutMs));
        this.socket.destroy();
      }, Math.max(0, slow ? left : timeoutMs));
      this.waiter = {
        resolve: (line) => { clearTimeout(timer); resolve(line); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
    });
  }
}

/** Waits for the TCP connection and, for TLS, the verified handshake; explains what failed. */
function handshake(server: MailServer, socket: Socket, tls: boolean, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let tcpUp = socket.readyState === 'open';
    const settle = (error?: ExplainedError) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('secureConnect', onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!error) return resolve();
      socket.destroy();
      reject(error);
    };
    const onConnect = () => {
      tcpUp = true;
      if (!tls) settle();
    };
    const onReady = () => settle();
    const onError = (error: Error) => {
      if (!tcpUp && isUnreachableError(error)) settle(unreachable(server, error));
      else settle(tls ? tlsFailure(server, error) : connectionDropped(server, 'the connection', error));
    };
    const onClose = () => settle(tcpUp
      ? connectionDropped(server, tls ? 'the TLS handshake' : 'the connection')
      : unreachable(server, new Error('connection closed before it was established')));
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`no connection after ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      settle(tcpUp ? timedOut(server, 'the TLS handshake', timeoutMs) : unreachable(server, error));
    }, timeoutMs);
    socket.on('connect', onConnect);
    socket.on('secureConnect', onReady);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
