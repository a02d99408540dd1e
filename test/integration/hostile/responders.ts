/**
 * Well-behaved IMAP, POP3 and SMTP servers as scripts for HostileServer, each answering the
 * commands the product sends the way Exchange Online does; a hostile case replaces the answer
 * to one command (or the greeting) and keeps the rest.
 */
import type { Peer, Script } from './hostile-server';

/** Answers one command; `rest` is what follows the command name. */
export type Answer = (peer: Peer, tag: string, rest: string) => Promise<void> | void;

export interface ImapBehaviour {
  /** The greeting line; `null` sends none. */
  greeting?: string | null;
  /** The CAPABILITY list (STARTTLS is added on a plain connection unless `stripStartTls`). */
  capabilities?: string;
  stripStartTls?: boolean;
  /** The message FETCH returns, as its raw bytes. */
  message?: Buffer;
  /** Replaces the answer to a command, by upper-case name (`LIST`, `STARTTLS`, `FETCH`, …). */
  answers?: Record<string, Answer>;
}

const EXCHANGE_CAPABILITIES = 'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';

export function imapServer(behaviour: ImapBehaviour = {}): Script {
  return async (peer) => {
    let tls = false;
    const capabilities = () => `${behaviour.capabilities ?? EXCHANGE_CAPABILITIES}${!tls && !behaviour.stripStartTls ? ' STARTTLS' : ''}`;
    const message = behaviour.message ?? Buffer.from('Subject: Hello\r\nFrom: bob@contoso.test\r\n\r\nHi Alice\r\n');
    const defaults: Record<string, Answer> = {
      CAPABILITY: (p, tag) => p.reply(`* CAPABILITY ${capabilities()}`, `${tag} OK CAPABILITY completed.`),
      STARTTLS: (p, tag) => {
        if (behaviour.stripStartTls) return p.reply(`${tag} BAD Command Argument Error. 11`);
        p.reply(`${tag} OK Begin TLS negotiation now.`);
        p.startTls();
        tls = true;
      },
      AUTHENTICATE: (p, tag) => p.reply(`${tag} OK AUTHENTICATE completed.`),
      ID: (p, tag) => p.reply('* ID NIL', `${tag} OK ID completed.`),
      NAMESPACE: (p, tag) => p.reply('* NAMESPACE (("" "/")) NIL NIL', `${tag} OK NAMESPACE completed.`),
      LIST: (p, tag) => p.reply('* LIST (\\Marked \\HasNoChildren) "/" INBOX', `${tag} OK LIST completed.`),
      STATUS: (p, tag, rest) => p.reply(`* STATUS ${rest.split(' (')[0]} (MESSAGES 1 UNSEEN 1)`, `${tag} OK STATUS completed.`),
      SELECT: (p, tag) => p.reply('* 1 EXISTS', '* 0 RECENT', '* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)',
        '* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)]', '* OK [UIDVALIDITY 14]', '* OK [UIDNEXT 2]',
        `${tag} OK [READ-WRITE] SELECT completed.`),
      FETCH: (p, tag) => {
        p.send(`* 1 FETCH (UID 1 BODY[] {${message.length}}\r\n`);
        p.send(message);
        p.reply(')', `${tag} OK FETCH completed.`);
      },
      LOGOUT: (p, tag) => p.reply('* BYE Microsoft Exchange Server IMAP4 server signing off.', `${tag} OK LOGOUT completed.`),
    };
    if (behaviour.greeting !== null) peer.reply(behaviour.greeting ?? '* OK The Microsoft Exchange IMAP4 service is ready.');
    for (;;) {
      const line = await peer.line();
      const [tag = '', name = '', ...rest] = line.split(' ');
      // `UID FETCH` and `UID SEARCH` are answered as FETCH and SEARCH.
      const command = name.toUpperCase() === 'UID' ? (rest.shift() ?? '').toUpperCase() : name.toUpperCase();
      const answer = behaviour.answers?.[command] ?? defaults[command === 'EXAMINE' ? 'SELECT' : command];
      if (answer) await answer(peer, tag, rest.join(' '));
      else peer.reply(`${tag} OK ${command} completed.`);
    }
  };
}

export interface LineBehaviour {
  greeting?: string | null;
  /** Replaces the answer to a command, by upper-case verb (`CAPA`, `TOP`, `EHLO`, …). */
  answers?: Record<string, Answer>;
}

/** A POP3 server like Exchange Online's; `STLS` is offered on a plain connection. */
export function pop3Server(behaviour: LineBehaviour = {}): Script {
  return async (peer) => {
    let tls = false;
    const defaults: Record<string, Answer> = {
      CAPA: (p) => p.reply('+OK', 'TOP', 'UIDL', tls ? 'SASL PLAIN XOAUTH2' : 'STLS', 'USER', '.'),
      STLS: (p) => {
        p.reply('+OK Begin TLS negotiation');
        p.startTls();
        tls = true;
      },
      AUTH: async (p, _tag, rest) => {
        if (rest.split(' ').length < 2) {
          p.reply('+ ');
          await p.line();
        }
        p.reply('+OK User successfully authenticated.');
      },
      STAT: (p) => p.reply('+OK 1 120'),
      UIDL: (p) => p.reply('+OK 1 AAQkADAwATM0MDAAMS1iZGY0'),
      TOP: (p) => p.reply('+OK', 'Subject: Hello', 'From: bob@contoso.test', '', '.'),
      QUIT: (p) => p.reply('+OK Microsoft Exchange Server POP3 server signing off.'),
    };
    await serveVerbs(peer, behaviour, { greeting: '+OK The Microsoft Exchange POP3 service is ready.', unknown: '-ERR Unknown command.' }, defaults);
  };
}

/** An SMTP submission server like Exchange Online's; `STARTTLS` is offered on a plain connection. */
export function smtpServer(behaviour: LineBehaviour = {}): Script {
  return async (peer) => {
    let tls = false;
    const defaults: Record<string, Answer> = {
      EHLO: (p) => p.reply('250-outlook.office365.com Hello [127.0.0.1]', '250-SIZE 157286400', '250-PIPELINING', '250-8BITMIME',
        tls ? '250-AUTH LOGIN XOAUTH2' : '250-STARTTLS', '250 SMTPUTF8'),
      STARTTLS: (p) => {
        p.reply('220 2.0.0 SMTP server ready');
        p.startTls();
        tls = true;
      },
      AUTH: (p) => p.reply('235 2.7.0 Authentication successful'),
      MAIL: (p) => p.reply('250 2.1.0 Sender OK'),
      RCPT: (p) => p.reply('250 2.1.5 Recipient OK'),
      DATA: async (p) => {
        p.reply('354 Start mail input; end with <CRLF>.<CRLF>');
        while ((await p.line()) !== '.');
        p.reply('250 2.0.0 OK <queued@contoso.test>');
      },
      QUIT: (p) => p.reply('221 2.0.0 Service closing transmission channel'),
    };
    await serveVerbs(peer, behaviour, { greeting: '220 outlook.office365.com Microsoft ESMTP MAIL Service ready', unknown: '502 5.3.3 Command not implemented' }, defaults);
  };
}

/** Greets, then answers each line by its first word: the case's answer, else the default, else `unknown`. */
async function serveVerbs(peer: Peer, behaviour: LineBehaviour, usual: { greeting: string; unknown: string }, defaults: Record<string, Answer>): Promise<void> {
  if (behaviour.greeting !== null) peer.reply(behaviour.greeting ?? usual.greeting);
  for (;;) {
    const [verb = '', ...rest] = (await peer.line()).split(' ');
    const answer = behaviour.answers?.[verb.toUpperCase()] ?? defaults[verb.toUpperCase()];
    if (answer) await answer(peer, '', rest.join(' '));
    else peer.reply(usual.unknown);
  }
}
