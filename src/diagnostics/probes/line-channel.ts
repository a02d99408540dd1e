/**
 * The line-based connection the IMAP and SMTP probes share: TCP or TLS from the first byte, an
 * in-place TLS upgrade (STARTTLS), one line read at a time with a timeout, and the conversation
 * written to the trace as `IMAP C:`/`IMAP S:` (or `SMTP …`) through the Redactor. The account's
 * CA is trusted beside the system's; certificate checks always stay on.
 */
import { isIP, Socket, connect as connectTcp } from 'node:net';
import { connect as connectTls, ConnectionOptions, TLSSocket } from 'node:tls';
import { Redactor } from '../../redact';
import { LineReader, LineTooLongError } from '../../mail/pop3/line-reader';
import type { MailLog, MailServer } from '../../mail/server';
import { secureContextTrusting } from '../../mail/tls-trust';
import { channelOf, TokenChannel } from '../../mail/xoauth2';
import { describeError, ProbeError, socketFailureKind } from './probe-error';

export interface ProbeOptions {
  log: MailLog;
  /** Redacts the trace; the probe registers the token it sends. */
  redactor: Redactor;
  /** TCP connect, TLS handshake and greeting, each (default 15 s). */
  connectTimeoutMs?: number;
  /** Silence from the server while a reply is awaited (default 30 s). */
  replyTimeoutMs?: number;
  /** Longest a whole reply may take, however steadily its lines come (default 60 s). */
  replyDeadlineMs?: number;
}

const MAX_LINE = 64 * 1024;
/** A probe reads greetings, capability lists and one-line answers: far fewer lines than this per command. */
const MAX_REPLY_LINES = 1000;
function tlsOptions(server: MailServer): ConnectionOptions {
  return {
    host: server.host,
    servername: isIP(server.host) ? undefined : server.host,
    secureContext: server.ca ? secureContextTrusting(server.ca) : undefined,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  };
}

export class LineChannel {
  private reader = new LineReader(MAX_LINE);
  private readonly lines: string[] = [];
  private waiter?: { resolve(line: string): void; reject(error: Error): void };
  private failure?: ProbeError;
  private detach: () => void = () => {};
  private readonly replyTimeoutMs: number;
  private readonly replyDeadlineMs: number;
  /** The reply to the last command (or the greeting): lines read and when it must be complete. */
  private replyLines = 0;
  private replyDeadline: number;

  private constructor(readonly label: string, readonly server: MailServer, private socket: Socket, private readonly options: ProbeOptions) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? 30_000;
    this.replyDeadlineMs = options.replyDeadlineMs ?? 60_000;
    this.replyDeadline = Date.now() + this.replyDeadlineMs;
    this.attach(socket);
  }

  /** Connects with TLS from the first byte when `tls`, else plain TCP. */
  static async open(label: string, server: MailServer, tls: boolean, options: ProbeOptions): Promise<LineChannel> {
    const timeoutMs = options.connectTimeoutMs ?? 15_000;
    options.log.debug(`${label} connecting to ${server.host}:${server.port} (${tls ? 'TLS' : 'plain'})`);
    const socket = tls ? connectTls({ ...tlsOptions(server), port: server.port }) : connectTcp({ host: server.host, port: server.port });
    await handshake(socket, tls, timeoutMs);
    return new LineChannel(label, server, socket, options);
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  /** What the token rule (mail/xoauth2) needs to know of this connection now. */
  get tokenChannel(): TokenChannel {
    return channelOf(this.socket, `${this.label} server ${this.server.host}:${this.server.port}`);
  }

  /** Strings the trace must never show (the token; the Redactor knows the XOAUTH2 payload's shape itself). */
  registerSecret(...secrets: string[]): void {
    for (const secret of secrets) this.options.redactor.register(secret);
  }

  send(line: string): void {
    if (this.failure) throw this.failure;
    this.replyLines = 0;
    this.replyDeadline = Date.now() + this.replyDeadlineMs;
    this.options.log.trace(`${this.label} C: ${this.options.redactor.redact(line)}`);
    this.socket.write(`${line}\r\n`);
  }

  /** The next line from the server, without its line ending; fails on silence, hang-up or garbage. */
  readLine(timeoutMs = this.replyTimeoutMs): Promise<string> {
    if (++this.replyLines > MAX_REPLY_LINES) {
      this.fail(new ProbeError('protocol-error', `${this.label} server sent over ${MAX_REPLY_LINES} lines in one reply`));
      this.socket.destroy();
    }
    const queued = this.lines.shift();
    if (queued !== undefined && !this.failure) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    const left = this.replyDeadline - Date.now();
    const slow = left < timeoutMs;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new ProbeError('timeout', slow
          ? `${this.label} server did not finish its reply within ${this.replyDeadlineMs / 1000} s`
          : `${this.label} server went silent for ${timeoutMs / 1000} s`));
        this.socket.destroy();
      }, Math.max(0, slow ? left : timeoutMs));
      this.waiter = {
        resolve: (line) => { clearTimeout(timer); resolve(line); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
    });
  }

  /** Upgrades the open socket to TLS (after the server agreed to STARTTLS). Lines sent in the clear before are dropped. */
  async startTls(): Promise<void> {
    this.detach();
    this.socket.on('error', () => {});
    const dropped = this.reader.discard() + this.lines.splice(0).length;
    if (dropped) this.options.log.warn(`${this.label} ignored ${dropped} bytes or lines sent before TLS`);
    const secure = connectTls({ ...tlsOptions(this.server), socket: this.socket });
    await handshake(secure, true, this.options.connectTimeoutMs ?? 15_000, true);
    this.socket = secure;
    this.reader = new LineReader(MAX_LINE);
    this.attach(secure);
  }

  close(): void {
    this.failure ??= new ProbeError('connection-dropped', 'closed');
    this.detach();
    this.socket.on('error', () => {});
    this.socket.end();
    this.socket.destroy();
  }

  private attach(socket: Socket): void {
    const onData = (chunk: Buffer) => this.receive(chunk);
    const onError = (error: Error) => this.fail(new ProbeError('connection-dropped', describeError(error), undefined, { cause: error }));
    const onClose = () => this.fail(new ProbeError('connection-dropped', `${this.label} server closed the connection`));
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
      this.fail(new ProbeError('line-too-long', `${this.label} server sent a line over ${error.limit} bytes`));
      this.socket.destroy();
      return;
    }
    for (const raw of lines) {
      const line = raw.toString('utf8');
      this.options.log.trace(`${this.label} S: ${this.options.redactor.redact(line)}`);
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) {
        waiter.resolve(line);
      } else if (this.lines.push(line) > MAX_REPLY_LINES) {
        this.fail(new ProbeError('protocol-error', `${this.label} server sent over ${MAX_REPLY_LINES} lines nobody asked for`));
        this.socket.destroy();
        return;
      }
    }
  }

  private fail(error: ProbeError): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }
}

/** Waits for TCP and, for TLS, the verified handshake; classifies what failed. */
function handshake(socket: Socket, tls: boolean, timeoutMs: number, tcpAlreadyUp = false): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let tcpUp = tcpAlreadyUp || socket.readyState === 'open';
    const settle = (error?: ProbeError) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('secureConnect', onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!error) return resolve();
      socket.on('error', () => {});
      socket.destroy();
      reject(error);
    };
    const onConnect = () => {
      tcpUp = true;
      if (!tls) settle();
    };
    const onReady = () => settle();
    const onError = (error: Error) => settle(new ProbeError(socketFailureKind(error, tcpUp), describeError(error), undefined, { cause: error }));
    const onClose = () => settle(new ProbeError(tcpUp ? 'connection-dropped' : 'unreachable', 'connection closed during the handshake'));
    const timer = setTimeout(() => settle(tcpUp
      ? new ProbeError('timeout', `no TLS handshake after ${timeoutMs} ms`)
      : new ProbeError('unreachable', `ETIMEDOUT: no connection after ${timeoutMs} ms`, undefined, { cause: Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }) })), timeoutMs);
    socket.on('connect', onConnect);
    socket.on('secureConnect', onReady);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
