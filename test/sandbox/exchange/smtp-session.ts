/**
 * One client's SMTP session at the front, command by command, in Exchange Online's order of
 * checks: hello first, then TLS, then authentication. Tokens are judged by Postfix (and through
 * it Dovecot's token check) on a relay connection opened at the first AUTH; recipients by
 * Postfix at RCPT; the message is held until its end and only then relayed, refused as
 * SendAsDenied, or refused for its size. Postfix's own words never reach the client.
 */
import { Socket } from 'node:net';
import { SecureContext, TLSSocket } from 'node:tls';
import { Endpoint } from '../mail/ports';
import { MailFaults } from './faults';
import { sendAsRefusal } from './send-as';
import { ehlo, greeting, helo, REPLY, ADVERTISED_SIZE } from './smtp-replies';
import { DataBody, LineTooLong, SmtpLines } from './smtp-lines';
import { RelayFailed, RelayReply, SmtpRelay } from './smtp-relay';
import { readSubmittedMessage } from './submitted-message';
import { parseXoauth2, submitterOf, Xoauth2Response } from './xoauth2';
import { Submitter } from './send-as';

export interface SessionSettings {
  upstream: Endpoint;
  /** PEM the relay trusts for Postfix's certificate. */
  ca: string;
  secureContext: SecureContext;
  faults: MailFaults;
  /** Largest message the mailbox may submit (Exchange's default 35 MB); larger ones are refused after DATA. */
  maxSendSize: number;
  idleTimeoutMs: number;
  /** Keeps the submitted bytes in the authenticated mailbox's Sent Items. */
  keepSentCopy(user: string, message: Buffer): Promise<void> | void;
}

/** A command line, AUTH's included (a token is about 2 KB, base64 a third more). */
const COMMAND_LINE_BYTES = 16 * 1024;
/** BDAT chunks are read this much at a time, so a huge chunk is counted without being held. */
const BDAT_PIECE_BYTES = 1024 * 1024;

interface Transaction {
  recipients: number;
  /** BDAT chunks so far; undefined until the first. */
  chunks?: { kept: Buffer[]; size: number };
}

export class SmtpSession {
  private socket: Socket;
  private readonly lines: SmtpLines;
  private secure = false;
  /** EHLO or HELO since the connection or STARTTLS. */
  private greeted = false;
  private auth?: { user: string; submitter: Submitter };
  private relay?: SmtpRelay;
  private transaction?: Transaction;
  private open = true;

  constructor(private readonly raw: Socket, private readonly settings: SessionSettings) {
    this.socket = raw;
    raw.setTimeout(settings.idleTimeoutMs, () => raw.destroy());
    raw.on('error', () => { /* a client that vanishes ends its session; nothing to report */ });
    this.lines = new SmtpLines(raw, COMMAND_LINE_BYTES);
  }

  async run(): Promise<void> {
    this.reply(greeting(new Date()));
    try {
      while (this.open) {
        const line = await this.lines.text();
        if (line === undefined) break;
        await this.command(line);
      }
    } catch (error) {
      if (!(error instanceof LineTooLong)) throw error;
      this.reply(REPLY.unrecognizedCommand('line too long'));
    } finally {
      this.close();
    }
  }

  /** Ends the session once its last reply is written; `now` does not wait (the front stops). */
  close(now = false): void {
    this.open = false;
    this.relay?.close();
    this.relay = undefined;
    if (now) this.socket.destroy();
    else this.socket.destroySoon();
  }

  private reply(...lines: string[]): void {
    if (!this.socket.destroyed) this.socket.write(`${lines.join('\r\n')}\r\n`);
  }

  private async command(line: string): Promise<void> {
    const verb = /^\S*/.exec(line)![0];
    const argument = line.slice(verb.length).trim();
    const command = verb.toUpperCase();
    if (this.settings.faults.take(this.auth?.user, ['smtp-drop'], command)) return this.drop();
    try {
      switch (command) {
        case 'EHLO': return await this.hello(ehlo(this.raw.remoteAddress ?? '127.0.0.1', this.secure));
        case 'HELO': return await this.hello([helo(this.raw.remoteAddress ?? '127.0.0.1')]);
        case 'STARTTLS': return this.startTls();
        case 'AUTH': return await this.authenticate(argument);
        case 'MAIL': return await this.mail(argument);
        case 'RCPT': return await this.recipient(argument);
        case 'DATA': return await this.data();
        case 'BDAT': return await this.chunk(argument);
        case 'RSET': await this.endTransaction(); return this.reply(REPLY.resetting);
        case 'NOOP': return this.reply(REPLY.ok);
        case 'QUIT': this.reply(REPLY.closing); this.open = false; return;
        default: return this.reply(REPLY.unrecognizedCommand(verb));
      }
    } catch (error) {
      if (!(error instanceof RelayFailed)) throw error;
      // Postfix went away or answered nonsense: a temporary failure, as Exchange's proxy reports
      // its own, and the session ends (its authentication lived on that relay connection).
      this.reply(REPLY.temporaryError);
      this.open = false;
    }
  }

  private drop(): void {
    this.open = false;
    this.socket.destroy();
  }

  private async hello(lines: string[]): Promise<void> {
    this.greeted = true;
    await this.endTransaction();
    this.reply(...lines);
  }

  private startTls(): void {
    if (!this.greeted) return this.reply(REPLY.sendHelloFirst);
    if (this.secure) return this.reply(REPLY.badSequence);
    this.reply(REPLY.startTls);
    // Synchronously after the reply: the client's handshake must reach the TLS socket, not the reader.
    const tls = new TLSSocket(this.raw, { isServer: true, secureContext: this.settings.secureContext });
    // The TLS socket reads the connection from now on, so only its idle timer sees the traffic.
    this.raw.setTimeout(0);
    tls.setTimeout(this.settings.idleTimeoutMs, () => tls.destroy());
    tls.on('error', () => { /* a failed handshake ends the session */ });
    this.lines.switchTo(tls);
    this.socket = tls;
    this.secure = true;
    this.greeted = false;
  }

  private async authenticate(argument: string): Promise<void> {
    if (!this.greeted) return this.reply(REPLY.sendHelloFirst);
    if (!this.secure) return this.reply(REPLY.startTlsRequired);
    if (this.auth) return this.reply(REPLY.alreadyAuthenticated);
    const [mechanism = '', initial] = argument.split(/\s+/);
    switch (mechanism.toUpperCase()) {
      case 'XOAUTH2': return this.xoauth2(initial ?? await this.answerTo(REPLY.xoauth2Challenge));
      case 'LOGIN': return this.login(initial);
      default: return this.reply(REPLY.unrecognizedAuthType);
    }
  }

  /** The client's next line after a 334 challenge. */
  private async answerTo(challenge: string): Promise<string | undefined> {
    this.reply(challenge);
    return this.lines.text();
  }

  private async xoauth2(payload: string | undefined): Promise<void> {
    const response = payload === undefined ? undefined : parseXoauth2(payload);
    if (!response || payload === undefined) return this.reply(REPLY.invalidXoauth2);
    const faults = this.settings.faults;
    if (faults.take(response.user, ['smtp-drop'], 'AUTH')) return this.drop();
    if (faults.take(response.user, ['smtp-starttls-required'])) return this.reply(REPLY.startTlsRequired);
    const disabled = faults.take(response.user, ['smtp-auth-disabled']);
    if (disabled) return this.reply(REPLY.smtpAuthDisabled(disabled.scope === 'tenant' ? 'Tenant' : 'Mailbox'));
    if (!(await this.tokenAccepted(payload))) return this.reply(REPLY.authUnsuccessful);
    this.auth = { user: response.user, submitter: submitterOf(response as Xoauth2Response) };
    this.reply(REPLY.authenticated);
  }

  /** Postfix asks Dovecot, whose token check judges the token. */
  private async tokenAccepted(payload: string): Promise<boolean> {
    this.relay ??= await SmtpRelay.open(this.settings.upstream, this.settings.ca);
    let answer = await this.relay.command(`AUTH XOAUTH2 ${payload}`);
    // Dovecot refuses with an error challenge (`334 <base64 JSON>`); an empty response ends it with 535.
    if (answer.code === 334) answer = await this.relay.command('');
    return answer.code === 235;
  }

  /** AUTH LOGIN is basic authentication, off on Exchange Online: both prompts, then 5.7.139. */
  private async login(initial: string | undefined): Promise<void> {
    if (initial === undefined && (await this.answerTo(REPLY.loginUsername)) === undefined) return;
    if ((await this.answerTo(REPLY.loginPassword)) === undefined) return;
    this.reply(REPLY.basicAuthDisabled);
  }

  private async mail(argument: string): Promise<void> {
    if (!this.greeted) return this.reply(REPLY.sendHelloFirst);
    if (!this.secure || this.settings.faults.take(this.auth?.user, ['smtp-starttls-required'])) return this.reply(REPLY.startTlsRequired);
    if (!this.auth) return this.reply(REPLY.notAuthenticated);
    if (this.transaction) return this.reply(REPLY.senderAlreadySpecified);
    const match = /^FROM:\s*(<[^>]*>)(.*)$/i.exec(argument);
    if (!match) return this.reply(REPLY.syntaxError);
    const parameters = match[2]!.trim().split(/\s+/).filter(Boolean);
    const size = parameters.find((p) => /^SIZE=/i.test(p));
    if (size && Number(size.slice(5)) > ADVERTISED_SIZE) return this.reply(REPLY.sizeExceedsFixedMaximum);
    // The front judges the size (Postfix would refuse SIZE above its limit at once, where Exchange
    // waits for the data), and Postfix knows no BINARYMIME; what reaches it has been through DATA's framing.
    const relayed = parameters.filter((p) => !/^SIZE=/i.test(p)).map((p) => (/^BODY=BINARYMIME$/i.test(p) ? 'BODY=8BITMIME' : p));
    const answer = await this.relay!.command(['MAIL FROM:' + match[1], ...relayed].join(' '));
    if (answer.code !== 250) return this.reply(translated(answer));
    this.transaction = { recipients: 0 };
    this.reply(REPLY.senderOk);
  }

  private async recipient(argument: string): Promise<void> {
    if (!this.greeted) return this.reply(REPLY.sendHelloFirst);
    if (!this.transaction || !this.relay) return this.reply(REPLY.needMail);
    if (!/^TO:\s*<[^>]*>/i.test(argument)) return this.reply(REPLY.syntaxError);
    const answer = await this.relay.command(`RCPT ${argument}`);
    if (answer.code !== 250) return this.reply(translated(answer));
    this.transaction.recipients++;
    this.reply(REPLY.recipientOk);
  }

  private async data(): Promise<void> {
    if (!this.transaction) return this.reply(this.greeted ? REPLY.needMail : REPLY.sendHelloFirst);
    if (this.transaction.chunks) return this.reply(REPLY.badSequence);
    if (this.transaction.recipients === 0) return this.reply(REPLY.needRcpt);
    this.reply(REPLY.startMailInput);
    const body = await this.lines.data(this.settings.maxSendSize);
    if (body === undefined) return;
    await this.submit(body);
  }

  /** BDAT (CHUNKING, which Exchange advertises): chunks add up to the message, LAST submits it. */
  private async chunk(argument: string): Promise<void> {
    const match = /^(\d+)(\s+LAST)?$/i.exec(argument);
    if (!match) return this.reply(REPLY.syntaxError);
    const count = Number(match[1]);
    const chunks = this.transaction?.chunks ?? { kept: [], size: 0 };
    for (let left = count; left > 0;) {
      const piece = await this.lines.bytes(Math.min(left, BDAT_PIECE_BYTES));
      if (piece === undefined) return;
      left -= piece.length;
      chunks.size += piece.length;
      if (chunks.size <= this.settings.maxSendSize) chunks.kept.push(piece);
      else chunks.kept = [];
    }
    // Assumed: refusals come after the chunk is read, so the client and the front stay in step.
    if (!this.transaction) return this.reply(this.greeted ? REPLY.needMail : REPLY.sendHelloFirst);
    if (this.transaction.recipients === 0) return this.reply(REPLY.needRcpt);
    this.transaction.chunks = chunks;
    if (!match[2]) return this.reply(`250 2.0.0 ${count} octets received`);
    const size = chunks.size;
    await this.submit({ message: size <= this.settings.maxSendSize ? Buffer.concat(chunks.kept) : undefined, size });
  }

  /** The end of a message: refused for its size or for send-as, or relayed and kept in Sent Items. */
  private async submit(body: DataBody): Promise<void> {
    const auth = this.auth!;
    const relay = this.relay!;
    this.transaction = undefined;
    const refuse = async (reply: string) => {
      await relay.command('RSET');
      this.reply(reply);
    };
    if (body.size > ADVERTISED_SIZE) return refuse(REPLY.sizeExceedsFixedMaximum);
    if (!body.message) return refuse(REPLY.maxSubmissionExceeded);
    const message = await readSubmittedMessage(body.message);
    const refused = this.settings.faults.take(auth.user, ['smtp-send-as-denied'])
      ? message.from[0] ?? auth.user
      : sendAsRefusal(auth.submitter, message.from);
    if (refused !== undefined) return refuse(REPLY.sendAsDenied(auth.user, refused));
    const answer = await relay.data(message.bytes);
    if (answer.code !== 250) return this.reply(translated(answer));
    try {
      await this.settings.keepSentCopy(auth.user, message.bytes);
    } catch (error) {
      // Delivered all the same: the client must hear so, or it would send the message again.
      process.stderr.write(`smtp-front: no Sent Items copy for ${auth.user}: ${(error as Error).message}\n`);
    }
    this.reply(REPLY.queued(message.messageId));
  }

  private async endTransaction(): Promise<void> {
    if (this.transaction && this.relay) await this.relay.command('RSET');
    this.transaction = undefined;
  }
}

/** Postfix's refusals in Exchange's words; anything unforeseen is Exchange's temporary error. */
function translated(answer: RelayReply): string {
  if (answer.enhanced === '5.1.1') return REPLY.recipientNotFound;
  if (answer.enhanced === '5.7.54') return REPLY.nonAcceptedDomain;
  return REPLY.temporaryError;
}
