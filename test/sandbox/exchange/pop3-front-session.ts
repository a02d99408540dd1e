/**
 * One client's POP3 session at the front. Until login the front answers in Exchange Online's
 * words (./pop3-texts) and asks Dovecot only to judge the AUTH payload: the client's two-step
 * `AUTH XOAUTH2` reaches Dovecot as one line with the payload, and Dovecot's token check decides.
 * After login the front steps aside: bytes flow both ways unchanged (STAT, UIDL, RETR, QUIT are
 * Dovecot's, which no Exchange Online capture contradicts).
 */
import { TLSSocket } from 'node:tls';
import { LineTooLong, SmtpLines } from './smtp-lines';
import * as TEXT from './pop3-texts';

export interface Pop3SessionSettings {
  client: TLSSocket;
  /** Dovecot's POP3, connected; its greeting is read and dropped. */
  upstream: TLSSocket;
  idleTimeoutMs: number;
}

/** RFC 2449 allows 255 octets; an XOAUTH2 payload is far longer (a token is about 2 KB, base64 a third more). */
const LINE_BYTES = 16 * 1024;
const SASL_MECHANISMS = ['XOAUTH2', 'PLAIN'];

type Next = 'read' | 'authenticated' | 'close';

export class Pop3FrontSession {
  private readonly client: TLSSocket;
  private readonly upstream: TLSSocket;
  private readonly fromClient: SmtpLines;
  private readonly fromUpstream: SmtpLines;

  constructor(settings: Pop3SessionSettings) {
    this.client = settings.client;
    this.upstream = settings.upstream;
    for (const socket of [this.client, this.upstream]) {
      socket.on('error', () => { /* either side going away ends the session */ });
      socket.once('close', () => this.close());
    }
    this.client.setTimeout(settings.idleTimeoutMs, () => this.close());
    this.fromClient = new SmtpLines(this.client, LINE_BYTES);
    this.fromUpstream = new SmtpLines(this.upstream, LINE_BYTES);
  }

  async run(): Promise<void> {
    try {
      if (!(await this.fromUpstream.text())?.startsWith('+OK')) return this.close();
      this.reply(TEXT.GREETING);
      for (;;) {
        const line = await this.fromClient.text();
        const next = line === undefined ? 'close' : await this.command(line);
        if (next === 'authenticated') return this.stepAside();
        if (next === 'close') return this.close();
      }
    } catch (error) {
      if (!(error instanceof LineTooLong)) throw error;
      this.close();
    }
  }

  close(): void {
    this.client.destroySoon();
    this.upstream.destroy();
  }

  private reply(...lines: string[]): void {
    if (!this.client.destroyed) this.client.write(`${lines.join('\r\n')}\r\n`);
  }

  private async command(line: string): Promise<Next> {
    const [verb = '', ...rest] = line.split(' ');
    switch (verb.toUpperCase()) {
      case 'CAPA': this.reply(...TEXT.CAPA); return 'read';
      case 'AUTH': return this.authenticate(rest);
      // Basic authentication is off: USER is taken, PASS refused, as Exchange answered then.
      case 'USER': this.reply('+OK'); return 'read';
      case 'PASS': this.reply(TEXT.LOGON_FAILED); return 'read';
      case 'QUIT': this.reply(await this.askUpstream('QUIT') ?? '+OK'); return 'close';
      default: this.reply(TEXT.INVALID_STATE); return 'read';
    }
  }

  /** Exchange takes AUTH in two steps only: a response on the AUTH line ends the connection. */
  private async authenticate([mechanism = '', initial, ...extra]: string[]): Promise<Next> {
    const name = mechanism.toUpperCase();
    if (!SASL_MECHANISMS.includes(name)) {
      this.reply(TEXT.UNRECOGNIZED_AUTH_TYPE);
      return 'read';
    }
    if (initial !== undefined || extra.length > 0) {
      this.reply(TEXT.PROTOCOL_ERROR);
      return 'close';
    }
    this.reply(TEXT.SASL_CONTINUATION);
    const response = await this.fromClient.text();
    if (response === undefined) return 'close';
    const accepted = response !== '' && response !== '*' && await this.upstreamAccepts(`AUTH ${name} ${response}`);
    this.reply(accepted ? TEXT.AUTHENTICATED : TEXT.AUTHENTICATION_FAILED);
    return accepted ? 'authenticated' : 'read';
  }

  /** Dovecot refuses XOAUTH2 with a `+ <base64 JSON>` challenge, which an empty line ends. */
  private async upstreamAccepts(auth: string): Promise<boolean> {
    let answer = await this.askUpstream(auth);
    if (answer?.startsWith('+ ')) answer = await this.askUpstream('');
    return answer?.startsWith('+OK') ?? false;
  }

  private async askUpstream(line: string): Promise<string | undefined> {
    if (this.upstream.destroyed) return undefined;
    this.upstream.write(`${line}\r\n`);
    return this.fromUpstream.text();
  }

  /** Logged in: whatever either side sent ahead goes on, then the sockets are piped together. */
  private stepAside(): void {
    const toUpstream = this.fromClient.release();
    const toClient = this.fromUpstream.release();
    if (toUpstream.length) this.upstream.write(toUpstream);
    if (toClient.length) this.client.write(toClient);
    this.client.pipe(this.upstream);
    this.upstream.pipe(this.client);
  }
}
