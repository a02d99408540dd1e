/**
 * One POP3 connection: a line socket of the network layer (../net: TLS from the first byte, or
 * plain until STLS; the trace; the timeouts and caps) and what its failures mean in POP3's
 * words. Commands are built on `send`, `readStatus` and `readDataLines`; what a reply means is
 * for them to say.
 */
import { ExplainedError } from '../../errors';
import { Redactor } from '../../redact';
import { LineFailure, LineSocket } from '../net/line-socket';
import { TokenChannel } from '../net/xoauth2';
import { MailLog, MailServer, silentLog } from '../server';
import {
  badGreeting, connectionDropped, lineTooLong, protocolError, replyTooLarge, replyTooSlow, serverRefused, timedOut, tlsFailure,
  unreachable,
} from './failures';
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

export class Pop3Connection {
  readonly redactor: Redactor;
  /** The log the trace goes to; steps write their events there too. */
  readonly log: MailLog;
  private readonly settings: typeof DEFAULTS;
  private socket!: LineSocket;
  private step = 'the greeting';
  private greetingText = '';

  private constructor(readonly server: MailServer, options: Pop3Options) {
    this.log = options.log ?? silentLog;
    this.redactor = options.redactor ?? new Redactor();
    this.settings = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      maxLineLength: options.maxLineLength ?? DEFAULTS.maxLineLength,
      maxReplyBytes: options.maxReplyBytes ?? DEFAULTS.maxReplyBytes,
      replyDeadlineMs: options.replyDeadlineMs ?? DEFAULTS.replyDeadlineMs,
    };
  }

  /** Connects (with TLS when the server's security is `tls`) and reads the `+OK` greeting. */
  static async open(server: MailServer, options: Pop3Options = {}): Promise<Pop3Connection> {
    const connection = new Pop3Connection(server, options);
    const { settings } = connection;
    connection.socket = await LineSocket.open(server, server.security === 'tls', {
      label: 'POP3', log: connection.log, redactor: connection.redactor, connectTimeoutMs: settings.connectTimeoutMs,
      replyDeadlineMs: settings.replyDeadlineMs, maxLineLength: settings.maxLineLength, maxUnreadBytes: settings.maxReplyBytes,
      explain: (failure) => connection.explain(failure),
    });
    try {
      await connection.readGreeting(settings.connectTimeoutMs);
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
    return this.socket.secure;
  }

  /** What the token rule (../net/xoauth2) needs to know of this connection now. */
  get tokenChannel(): TokenChannel {
    return this.socket.tokenChannel;
  }

  /** Sends one command line; the trace shows it redacted. */
  send(line: string, step = line): void {
    this.socket.send(line);
    this.step = step;
  }

  /** Reads the next status line (`+OK`, `-ERR` or `+ `). */
  async readStatus(): Promise<StatusLine> {
    const line = (await this.socket.readLine(this.settings.commandTimeoutMs)).toString('utf8');
    const status = parseStatusLine(line);
    if (!status) throw this.socket.abort(protocolError(this.server, this.step, this.redactor.redact(line)));
    return status;
  }

  /** Reads the data lines of a multi-line reply up to the lone `.`, dot-unstuffed. */
  async readDataLines(): Promise<Buffer[]> {
    const data: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const line = await this.socket.readLine(this.settings.commandTimeoutMs);
      if (isTerminator(line)) return data;
      bytes += line.length + 2;
      if (bytes > this.settings.maxReplyBytes) throw this.socket.abort(replyTooLarge(this.server, this.step, this.settings.maxReplyBytes));
      data.push(unstuff(line));
    }
  }

  /** Sends a command and expects `+OK`; `-ERR` becomes a `server-refused` error. Returns the text. */
  async expectOk(line: string, step = line): Promise<string> {
    this.send(line, step);
    const status = await this.readStatus();
    if (status.kind === 'err') throw serverRefused(this.server, step, status.text);
    if (status.kind === 'continue') throw this.socket.abort(protocolError(this.server, step, `+ ${status.text}`));
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
    this.step = 'STLS';
    await this.socket.startTls();
  }

  /** Ends the session after QUIT's reply, or abandons it: no more replies are awaited. */
  close(): void {
    this.socket.close();
  }

  private async readGreeting(timeoutMs: number): Promise<void> {
    const line = (await this.socket.readLine(timeoutMs)).toString('utf8');
    const status = parseStatusLine(line);
    if (status?.kind === 'ok') {
      this.greetingText = status.text;
      return;
    }
    const shown = this.redactor.redact(line);
    if (status?.kind === 'err') throw serverRefused(this.server, 'the connection', status.text);
    throw badGreeting(this.server, shown);
  }

  /** The network layer's failures in POP3's words. */
  private explain(failure: LineFailure): ExplainedError {
    const { server, step } = this;
    switch (failure.kind) {
      case 'handshake': {
        const { kind } = failure.failure;
        if (kind === 'unreachable') return unreachable(server, failure.failure);
        if (kind === 'timeout') return timedOut(server, 'the TLS handshake', this.settings.connectTimeoutMs);
        if (kind === 'connection-dropped') return connectionDropped(server, failure.upgrade || server.security === 'tls' ? 'the TLS handshake' : 'the connection', failure.failure);
        return tlsFailure(server, failure.failure);
      }
      case 'dropped': return connectionDropped(server, step, failure.cause);
      case 'silent': return timedOut(server, step, failure.ms);
      case 'too-slow': return replyTooSlow(server, step, failure.ms);
      case 'line-too-long': return lineTooLong(server, step, failure.limit);
      case 'too-much-unread': return replyTooLarge(server, step, failure.limit);
    }
  }
}
