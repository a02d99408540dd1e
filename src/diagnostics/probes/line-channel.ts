/**
 * The line-based connection the IMAP and SMTP probes share: a line socket of the mail network
 * layer (mail/net: TCP or TLS from the first byte, STARTTLS, timeouts, the trace as `IMAP C:`/
 * `IMAP S:` or `SMTP …` through the Redactor), with its failures told as ProbeErrors and a cap on
 * the lines of one reply: a probe reads greetings, capability lists and one-line answers.
 */
import { Redactor } from '../../redact';
import { LineFailure, LineSocket } from '../../mail/net/line-socket';
import type { TokenChannel } from '../../mail/net/xoauth2';
import type { MailLog, MailServer } from '../../mail/server';
import { describeError } from '../../socket-failure';
import { ProbeError } from './probe-error';

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
/** Far more lines than any reply a probe reads, and than it has read ahead. */
const MAX_REPLY_LINES = 1000;
const MAX_UNREAD_BYTES = 1024 * 1024;

/** The network layer's failures as the probes' kinds. */
function probeError(label: string, failure: LineFailure): ProbeError {
  switch (failure.kind) {
    case 'handshake': {
      const { kind, message, cause } = failure.failure;
      return new ProbeError(kind, message, undefined, { cause: cause ?? failure.failure });
    }
    case 'dropped':
      return new ProbeError('connection-dropped', failure.cause ? describeError(failure.cause) : `${label} server closed the connection`, undefined, { cause: failure.cause });
    case 'silent': return new ProbeError('timeout', `${label} server went silent for ${failure.ms / 1000} s`);
    case 'too-slow': return new ProbeError('timeout', `${label} server did not finish its reply within ${failure.ms / 1000} s`);
    case 'line-too-long': return new ProbeError('line-too-long', `${label} server sent a line over ${failure.limit} bytes`);
    case 'too-much-unread': return new ProbeError('protocol-error', `${label} server sent over ${failure.limit} bytes nobody asked for`);
  }
}

export class LineChannel {
  /** Lines read of the reply to the last command (or of the greeting). */
  private replyLines = 0;

  private constructor(readonly label: string, private readonly socket: LineSocket, private readonly options: ProbeOptions) {}

  /** Connects with TLS from the first byte when `tls`, else plain TCP. */
  static async open(label: string, server: MailServer, tls: boolean, options: ProbeOptions): Promise<LineChannel> {
    const socket = await LineSocket.open(server, tls, {
      label, log: options.log, redactor: options.redactor, connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
      replyDeadlineMs: options.replyDeadlineMs ?? 60_000, maxLineLength: MAX_LINE, maxUnreadBytes: MAX_UNREAD_BYTES,
      explain: (failure) => probeError(label, failure),
    });
    return new LineChannel(label, socket, options);
  }

  get server(): MailServer {
    return this.socket.server;
  }

  get secure(): boolean {
    return this.socket.secure;
  }

  /** What the token rule (mail/net/xoauth2) needs to know of this connection now. */
  get tokenChannel(): TokenChannel {
    return this.socket.tokenChannel;
  }

  /** Strings the trace must never show (the token; the Redactor knows the XOAUTH2 payload's shape itself). */
  registerSecret(...secrets: string[]): void {
    for (const secret of secrets) this.options.redactor.register(secret);
  }

  send(line: string): void {
    this.socket.send(line);
    this.replyLines = 0;
  }

  /** The next line from the server, without its line ending; fails on silence, hang-up or garbage. */
  async readLine(timeoutMs = this.options.replyTimeoutMs ?? 30_000): Promise<string> {
    if (++this.replyLines > MAX_REPLY_LINES) {
      throw this.socket.abort(new ProbeError('protocol-error', `${this.label} server sent over ${MAX_REPLY_LINES} lines in one reply`));
    }
    return (await this.socket.readLine(timeoutMs)).toString('utf8');
  }

  /** Upgrades the open socket to TLS (after the server agreed to STARTTLS). Lines sent in the clear before are dropped. */
  startTls(): Promise<void> {
    return this.socket.startTls();
  }

  close(): void {
    this.socket.close();
  }
}
