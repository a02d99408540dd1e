/**
 * One client's session through the Exchange IMAP front: what the client says is read command by
 * command, answered here where Exchange answers without the mailbox (CAPABILITY, ID, NAMESPACE,
 * LOGIN, LOGOUT, a fault) or passed on to Dovecot with INBOX names made Dovecot's; what Dovecot
 * answers is rewritten into Exchange's words on the way back. Literals stream through as they
 * are, both ways.
 *
 * Replies stay in command order: an answer given here waits for the commands before it that
 * Dovecot has not completed yet, so a pipelined burst reads back in the order it was written.
 */
import { Socket } from 'node:net';
import { MailActivity } from './activity';
import { ImapFault, MailFaults } from './faults';
import { exchangeCompletion } from './imap-completion';
import { compareLikeExchange, exchangeListed, ListedMailbox, readListed } from './imap-list';
import { upstreamCommandLine } from './imap-mailbox-arguments';
import { SelectReply } from './imap-select';
import { exchangeStatus, readStatusReply, readStatusRequest, StatusReply, StatusRequest } from './imap-status';
import * as texts from './imap-texts';
import { ImapWireReader, WireLine } from './imap-wire-reader';
import { parseXoauth2 } from './xoauth2';
import { CommandLine, readCommand, readWords, upstreamMailbox } from './imap-words';

export interface FrontSessionOptions {
  client: Socket;
  /** A connection to Dovecot, not yet greeted. */
  upstream: Socket;
  faults: MailFaults;
  /** Where logins and LOGOUTs are counted, for tests. */
  activity?: MailActivity;
  maxLineBytes: number;
  idleTimeoutMs: number;
}

interface PendingCommand {
  tag: string;
  verb: string;
  /** STATUS: what was asked, to answer in the client's name and item order. */
  status?: StatusRequest & { answered?: boolean };
  select?: SelectReply;
  /** AUTHENTICATE XOAUTH2: the `user=` of the payload, whose faults the session takes. */
  user?: string;
  /** IDLE: whether Dovecot's continuation came. */
  accepted?: boolean;
  /** Answers given here for later commands, and closes, waiting for this one to complete. */
  after: (() => void)[];
}

/** How often an idling session looks for a fault armed meanwhile. */
const IDLE_FAULT_POLL_MS = 100;
/** Untagged `* OK [CODE]` lines a client needs; Dovecot's others (HIGHESTMODSEQ, "Still here") go. */
const KEPT_UNTAGGED_CODES = new Set(['ALERT', 'COPYUID', 'UIDNEXT', 'UIDVALIDITY']);
const CLOSE_GRACE_MS = 1000;

export class ImapFrontSession {
  private readonly client: Socket;
  private readonly upstream: Socket;
  private readonly faults: MailFaults;
  private readonly activity?: MailActivity;
  private readonly clientReader: ImapWireReader;
  private readonly upstreamReader: ImapWireReader;
  private greeted = false;
  private user?: string;
  private authenticated = false;
  private notConnected = false;
  /** Nothing more the client sends is read; a close is coming once earlier commands complete. */
  private closing = false;
  private closed = false;
  private readonly pending: PendingCommand[] = [];
  /** Where the literals and continuation lines of the client's current command go. */
  private currentGoesUp = false;
  /** Two-step AUTHENTICATE: the client's next line is its SASL response. */
  private saslFor?: { tag: string; mechanism: string };
  /** The IDLE passed on, until its completion; `idling` until the client's DONE. */
  private idle?: PendingCommand;
  private idling = false;
  private idleWatch?: NodeJS.Timeout;
  /** LIST and LSUB replies, gathered until their completion to be sorted. */
  private listed: ListedMailbox[] = [];

  constructor(options: FrontSessionOptions) {
    this.client = options.client;
    this.upstream = options.upstream;
    this.faults = options.faults;
    this.activity = options.activity;
    this.clientReader = new ImapWireReader({
      line: (line) => this.onClientLine(line),
      literal: (bytes) => { if (this.currentGoesUp) this.upstream.write(bytes); },
      overflow: () => this.close([texts.CONNECTION_CLOSED]),
    }, options.maxLineBytes);
    this.upstreamReader = new ImapWireReader({
      line: (line) => this.onUpstreamLine(line),
      literal: (bytes) => { this.client.write(bytes); },
      overflow: () => this.close([texts.CONNECTION_CLOSED]),
    }, options.maxLineBytes);
    this.relay(this.client, this.upstream, this.clientReader);
    this.relay(this.upstream, this.client, this.upstreamReader);
    this.client.setTimeout(options.idleTimeoutMs, () => this.close([texts.CONNECTION_CLOSED]));
    const end = () => this.end();
    this.client.on('close', end).on('error', end);
    this.upstream.on('close', end).on('error', end);
  }

  /** Reads `from` into its reader; waits while `to` cannot take more (a large FETCH to a slow client). */
  private relay(from: Socket, to: Socket, reader: ImapWireReader): void {
    from.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      if (to.writableNeedDrain) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
  }

  private toClient(lines: string[]): void {
    if (this.client.writable) this.client.write(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
  }

  private toUpstream(line: string): void {
    if (this.upstream.writable) this.upstream.write(`${line}\r\n`, 'latin1');
  }

  /** Runs once every command already passed on has completed. */
  private inOrder(action: () => void): void {
    const last = this.pending[this.pending.length - 1];
    if (last) last.after.push(action);
    else action();
  }

  /** Says `lines` (in order) and closes; nothing the client sends after this is read. */
  private close(lines: string[] = []): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.stopIdleWatch();
    this.clientReader.stop();
    this.upstreamReader.stop();
    this.toClient(lines);
    this.client.end();
    this.upstream.destroy();
    setTimeout(() => this.client.destroy(), CLOSE_GRACE_MS).unref();
  }

  private end(): void {
    this.close();
  }

  // ---- from the client ----

  private onClientLine(line: WireLine): boolean {
    if (this.closing) return false;
    if (line.continued) {
      if (this.currentGoesUp) this.toUpstream(line.text);
      return this.currentGoesUp;
    }
    if (this.saslFor) return this.onSaslResponse(line.text);
    if (this.idling) {
      // DONE (or anything else: Dovecot judges it) ends the IDLE.
      this.stopIdleWatch();
      this.toUpstream(line.text);
      return false;
    }
    const command = readCommand(line.text);
    if (!command) return this.answer([texts.commandError(line.text.split(' ')[0] || '*')]);
    return this.dispatch(command, line);
  }

  private dispatch(command: CommandLine, line: WireLine): boolean {
    const { tag, verb } = command;
    if (this.authenticated) {
      // §4: CAPABILITY is still answered; the first command that needs the mailbox is refused.
      if (this.notConnected && verb !== 'CAPABILITY') {
        this.closing = true;
        return this.answer([texts.notConnected(tag)], () => this.close([texts.CONNECTION_CLOSED]));
      }
      const fault = this.faults.take(this.user, ['imap-token-expired', 'imap-throttled', 'imap-drop'], verb);
      if (fault) return this.applyFault(fault, tag);
    }
    switch (verb) {
      case 'CAPABILITY':
        return this.answer([`* CAPABILITY ${this.authenticated ? texts.CAPABILITY_AFTER_LOGIN : texts.CAPABILITY_BEFORE_LOGIN}`, texts.completed(tag, verb)]);
      case 'ID':
        return this.answer([texts.ID, texts.completed(tag, verb)]);
      case 'LOGOUT':
        this.activity?.record(this.user, 'logout');
        return this.answer([texts.LOGOUT_BYE, texts.completed(tag, verb)], () => this.close());
      case 'NAMESPACE':
        return this.answer(this.authenticated ? [texts.NAMESPACE, texts.completed(tag, verb)] : [texts.invalidState(tag)]);
      case 'LOGIN':
        return this.answer([this.authenticated ? texts.invalidState(tag) : texts.loginFailed(tag)]);
      case 'AUTHENTICATE':
        return this.authenticated ? this.answer([texts.invalidState(tag)]) : this.authenticate(command, line);
      // Exchange offers none of these, and the front could not follow a changed stream (TLS, DEFLATE).
      case 'STARTTLS': case 'ENABLE': case 'COMPRESS':
        return this.answer([texts.commandError(tag)]);
      case 'NOOP':
        return this.authenticated ? this.forward(command, line) : this.answer([texts.completed(tag, verb)]);
      default:
        return this.authenticated ? this.forward(command, line) : this.answer([texts.invalidState(tag)]);
    }
  }

  /**
   * Answers the client's current command here. Returns false: a synchronizing literal of the
   * command will not come (no continuation is sent); a LITERAL+ one is read and dropped.
   */
  private answer(lines: string[], then?: () => void): boolean {
    this.currentGoesUp = false;
    this.inOrder(() => {
      this.toClient(lines);
      then?.();
    });
    return false;
  }

  private applyFault(fault: ImapFault, tag: string): boolean {
    switch (fault.kind) {
      case 'imap-drop':
        this.close();
        return false;
      case 'imap-token-expired':
        this.closing = true;
        return this.answer([], () => this.close([texts.ACCESS_TOKEN_EXPIRED]));
      case 'imap-throttled': {
        const refusal = texts.throttled(tag, fault.status ?? 'BAD', fault.backoffMs);
        if (!fault.bye) return this.answer([refusal]);
        this.closing = true;
        return this.answer([], () => this.close([refusal, texts.CONNECTION_CLOSED]));
      }
      default:
        return this.answer([texts.commandError(tag)]);
    }
  }

  private forward(command: CommandLine, line: WireLine): boolean {
    const pending: PendingCommand = { tag: command.tag, verb: command.verb, after: [] };
    if (command.verb === 'STATUS') pending.status = readStatusRequest(line.text, command);
    if (command.verb === 'SELECT' || command.verb === 'EXAMINE') pending.select = new SelectReply();
    if (command.verb === 'IDLE') this.startIdle(pending);
    this.pending.push(pending);
    this.currentGoesUp = true;
    this.toUpstream(upstreamCommandLine(line.text, command));
    return true;
  }

  // ---- AUTHENTICATE ----

  private authenticate(command: CommandLine, line: WireLine): boolean {
    const [mechanism, initial] = readWords(line.text, command.rest);
    const name = mechanism?.value.toUpperCase() ?? '';
    if (name !== 'XOAUTH2' && name !== 'PLAIN') return this.answer([texts.authenticateFailed(command.tag)]);
    if (initial) return name === 'XOAUTH2' ? this.sendXoauth2(command.tag, initial.value) : this.answer([texts.authenticateFailed(command.tag)]);
    // §1: the two-step form gets a bare continuation, then the client's SASL response.
    this.saslFor = { tag: command.tag, mechanism: name };
    return this.answer([texts.SASL_CONTINUATION]);
  }

  private onSaslResponse(response: string): boolean {
    const { tag, mechanism } = this.saslFor!;
    this.saslFor = undefined;
    // PLAIN is basic authentication, off on Exchange Online; `*` cancels (RFC 3501).
    if (mechanism !== 'XOAUTH2' || response === '*') return this.answer([texts.authenticateFailed(tag)]);
    return this.sendXoauth2(tag, response);
  }

  /** Dovecot judges the token; the payload goes up as a SASL-IR one-liner whichever form the client used. */
  private sendXoauth2(tag: string, payload: string): boolean {
    this.pending.push({ tag, verb: 'AUTHENTICATE', user: parseXoauth2(payload)?.user, after: [] });
    this.currentGoesUp = false;
    this.toUpstream(`${tag} AUTHENTICATE XOAUTH2 ${payload}`);
    return false;
  }

  private becomeAuthenticated(command: PendingCommand): void {
    this.authenticated = true;
    this.user = command.user;
    this.activity?.record(this.user, 'login');
    this.notConnected = this.faults.take(this.user, ['imap-not-connected']) !== undefined;
  }

  // ---- IDLE ----

  /** A session idling when a fault is armed gets it at once, as Exchange's own sessions do. */
  private startIdle(pending: PendingCommand): void {
    this.idle = pending;
    this.idling = true;
    this.idleWatch = setInterval(() => {
      const fault = this.faults.take(this.user, ['imap-token-expired', 'imap-drop'], 'IDLE');
      if (fault?.kind === 'imap-drop') this.close();
      else if (fault) this.close([texts.ACCESS_TOKEN_EXPIRED]);
    }, IDLE_FAULT_POLL_MS);
  }

  private stopIdleWatch(): void {
    if (this.idleWatch) clearInterval(this.idleWatch);
    this.idleWatch = undefined;
    this.idling = false;
  }

  // ---- from Dovecot ----

  private onUpstreamLine(line: WireLine): boolean {
    if (!this.greeted) {
      // Dovecot's greeting (and its [CAPABILITY] code) is never shown: Exchange's instead.
      this.greeted = true;
      this.toClient([texts.greeting()]);
    } else if (line.continued || (line.literal && line.text.startsWith('* '))) {
      // A response carrying a literal (FETCH bodies) goes on as it is, byte for byte.
      this.toClient([line.text]);
    } else if (line.text.startsWith('+')) {
      this.onContinuation();
    } else if (line.text.startsWith('* ')) {
      this.onUntagged(line.text);
    } else {
      this.onTagged(line.text);
    }
    return true;
  }

  private onContinuation(): void {
    if (this.pending[0]?.verb === 'AUTHENTICATE') {
      // XOAUTH2's error challenge (`+ <base64 JSON>`): an empty response, and Dovecot says NO.
      this.toUpstream('');
    } else if (this.idle && !this.idle.accepted) {
      this.idle.accepted = true;
      this.toClient([texts.IDLE_CONTINUATION]);
    } else {
      this.toClient([texts.LITERAL_CONTINUATION]);
    }
  }

  private onUntagged(text: string): void {
    if (this.pending[0]?.select?.take(text)) return;
    const name = /^\* (?:\d+ )?([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
    switch (name) {
      case 'CAPABILITY':
        return; // Exchange's CAPABILITY is answered by the front.
      case 'LIST': case 'LSUB': {
        const listed = readListed(text);
        if (listed) return void this.listed.push(listed);
        break;
      }
      case 'STATUS': {
        const reply = readStatusReply(text);
        const request = reply && this.statusRequestFor(reply);
        if (reply && request) return this.toClient([exchangeStatus(request, reply)]);
        break;
      }
      case 'BYE':
        // Dovecot ending the session (shutdown, kick): Exchange's words for a dropped connection.
        return this.close([texts.CONNECTION_CLOSED]);
      case 'OK': {
        const code = /^\* OK \[([A-Za-z-]+)/.exec(text)?.[1]?.toUpperCase();
        if (!code || !KEPT_UNTAGGED_CODES.has(code)) return;
        break;
      }
    }
    this.toClient([text]);
  }

  /** The pending STATUS this reply answers: Dovecot names the mailbox as it was asked. */
  private statusRequestFor(reply: StatusReply): StatusRequest | undefined {
    const open = this.pending.filter((p) => p.status && !p.status.answered).map((p) => p.status!);
    const request = open.find((s) => upstreamMailbox(s.name) === reply.name)
      ?? open.find((s) => upstreamMailbox(s.name).toUpperCase() === reply.name.toUpperCase());
    if (request) request.answered = true;
    return request;
  }

  private onTagged(text: string): void {
    const tag = text.slice(0, text.indexOf(' '));
    const index = this.pending.findIndex((p) => p.tag === tag);
    if (index < 0) return this.toClient([text]);
    const [command] = this.pending.splice(index, 1) as [PendingCommand];
    const listed = this.listed.splice(0);
    if (command.verb === 'LIST') listed.sort(compareLikeExchange);
    const completion = exchangeCompletion(text, command.verb);
    const ok = completion.startsWith(`${tag} OK `);
    if (command.verb === 'AUTHENTICATE' && ok) this.becomeAuthenticated(command);
    if (command === this.idle) {
      this.stopIdleWatch();
      this.idle = undefined;
    }
    this.toClient([...listed.map(exchangeListed), ...(ok ? command.select?.lines() ?? [] : []), completion]);
    for (const action of command.after) action();
  }
}
