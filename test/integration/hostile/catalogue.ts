/**
 * The hostile replies, one entry each: which server (a script for HostileServer or a token
 * endpoint for HostileIdentity), which of the product's operations meets it, and how it must
 * end — an error saying what happened, or a harmless result — within its time and memory bound.
 * hostile.test.ts runs every entry and checks, besides, that no token crossed in clear.
 */
import * as assert from 'node:assert/strict';
import type { ListedFolder } from '../../../src/mail/imap/folder-model';
import type { MessageDocument } from '../../../src/mail/imap/message-document';
import type { MailServer, XOAuth2Credentials } from '../../../src/mail/server';
import type { Script } from './hostile-server';
import type { HostileIdentity, TokenEndpoint } from './hostile-identity';
import {
  clientCredentialsToken, commandLogin, imapProbe, listFolders, messagePage, openMessage, pop3Check, smtpProbe, smtpSend, tokenRequest,
} from './operations';
import { imapServer, pop3Server, smtpServer } from './responders';

export interface Target {
  server: MailServer;
  credentials: XOAuth2Credentials;
  identity?: HostileIdentity;
}

export interface HostileCase {
  protocol: 'IMAP' | 'POP3' | 'SMTP' | 'identity';
  title: string;
  /** `plain`: the server starts in clear and the account says STARTTLS; else TLS from the first byte. */
  listen?: 'tls' | 'plain';
  /** Leave the throwaway CA out of the account: the certificate is not trusted. */
  untrusted?: boolean;
  script?: Script;
  tokenEndpoint?: TokenEndpoint;
  run(target: Target): Promise<unknown>;
  /** An error whose name, message, detail or code matches; or a check of the result. */
  expect: RegExp | ((result: unknown) => void);
  /** Default 3 s. */
  withinMs?: number;
  /** Largest growth of the heap while the case runs, in MiB (default 48). */
  maxHeapMiB?: number;
  /** A defect this case shows that is fixed on another branch: the case is reported, not failed, until it passes. */
  knownDefect?: string;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FLOOD = 48 * MiB;

const listsInbox = (result: unknown) => assert.ok((result as ListedFolder[]).some((f) => f.path.toUpperCase() === 'INBOX'), 'INBOX listed');
const isTrue = (result: unknown) => assert.equal(result, true);

function message(headers: string, body: string): Buffer {
  return Buffer.from(`From: bob@contoso.test\r\nTo: alice@contoso.test\r\nSubject: Hostile\r\n${headers}\r\n${body}`);
}

function htmlOnly(items: number): Buffer {
  return message('MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n', `<html><body><ul>${'<li>item</li>'.repeat(items)}</ul></body></html>\r\n`);
}

function nestedMultipart(depth: number): string {
  let body = 'Content-Type: text/plain\r\n\r\ninnermost\r\n';
  for (let i = depth; i > 0; i--) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  return body;
}

function manyParts(count: number, partBytes: number): Buffer {
  const part = `--p\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${'QUFB'.repeat(partBytes / 4)}\r\n`;
  return message('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="p"\r\n', `${part.repeat(count)}--p--\r\n`);
}

const imap: HostileCase[] = [
  {
    protocol: 'IMAP', title: 'command connection: STARTTLS missing from CAPABILITY (stripped) — refuses, token never sent',
    listen: 'plain', script: imapServer({ stripStartTls: true }), run: (t) => commandLogin(t.server, t.credentials), expect: /STARTTLS/i,
  },
  {
    protocol: 'IMAP', title: 'command connection: STARTTLS advertised but answered BAD — refuses, token never sent',
    listen: 'plain', script: imapServer({ answers: { STARTTLS: (p, tag) => p.reply(`${tag} BAD not now`) } }),
    run: (t) => commandLogin(t.server, t.credentials), expect: /STARTTLS/i,
  },
  {
    protocol: 'IMAP', title: 'command connection: PREAUTH greeting on a STARTTLS account (no way to start TLS) — refuses',
    listen: 'plain', script: imapServer({ greeting: '* PREAUTH welcome' }), run: (t) => commandLogin(t.server, t.credentials), expect: /PREAUTH|STARTTLS/i,
  },
  {
    protocol: 'IMAP', title: 'command connection: bytes injected after the STARTTLS OK, before TLS — refuses',
    listen: 'plain',
    script: imapServer({ answers: { STARTTLS: (p, tag) => { p.reply(`${tag} OK Begin TLS`, '* CAPABILITY IMAP4rev1 AUTH=PLAIN'); p.startTls(); } } }),
    run: (t) => commandLogin(t.server, t.credentials), expect: /STARTTLS|injection|TLS/i,
  },
  {
    protocol: 'IMAP', title: 'listing connection: STARTTLS stripped — refuses, token never sent',
    listen: 'plain', script: imapServer({ stripStartTls: true }), run: (t) => listFolders(t.server, t.credentials), expect: /STARTTLS/,
  },
  {
    protocol: 'IMAP', title: 'listing connection: bytes injected after the STARTTLS OK, before TLS — ends the connection',
    listen: 'plain',
    script: imapServer({ answers: { STARTTLS: (p, tag) => { p.reply(`${tag} OK Begin TLS`, '* CAPABILITY IMAP4rev1 AUTH=PLAIN'); p.startTls(); } } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /before TLS began/,
  },
  {
    protocol: 'IMAP', title: 'listing connection: STARTTLS OK, then the server goes on in clear — never sends the token',
    // The server reads the ClientHello as a command: it answers in clear (a TLS error) only when the
    // hello's random bytes happen to hold a line end; otherwise it waits, and the handshake times out.
    listen: 'plain', script: imapServer({ answers: { STARTTLS: (p, tag) => p.reply(`${tag} OK Begin TLS`) } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /SSL|TLS|in time/,
  },
  {
    protocol: 'IMAP', title: 'probe: STARTTLS stripped — refuses, token never sent',
    listen: 'plain', script: imapServer({ stripStartTls: true }), run: (t) => imapProbe(t.server, t.credentials), expect: /STARTTLS/,
  },
  {
    protocol: 'IMAP', title: 'probe: bytes injected after the STARTTLS OK are dropped, the sign-in goes over TLS',
    listen: 'plain',
    script: imapServer({ answers: { STARTTLS: (p, tag) => { p.reply(`${tag} OK Begin TLS`, '* CAPABILITY IMAP4rev1 AUTH=PLAIN'); p.startTls(); } } }),
    run: (t) => imapProbe(t.server, t.credentials), expect: isTrue,
  },
  {
    protocol: 'IMAP', title: 'listing connection: a negative literal {-5} in LIST — no freeze, the line is ignored',
    script: imapServer({ answers: { LIST: (p, tag) => p.reply('* LIST () "/" {-5}', '* LIST () "/" INBOX', `${tag} OK LIST completed.`) } }),
    run: (t) => listFolders(t.server, t.credentials), expect: listsInbox,
  },
  {
    protocol: 'IMAP', title: 'listing connection: a literal of 4,294,967,295 bytes announced — refused at once, nothing buffered',
    script: imapServer({ answers: { LIST: async (p) => { p.send('* LIST () "/" {4294967295}\r\n'); await p.flood('x', 4 * MiB); } } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /over 1048576 bytes/, withinMs: 1000,
  },
  {
    protocol: 'IMAP', title: 'listing connection: a non-digit literal {1a} and an 11-digit literal — ignored',
    script: imapServer({ answers: { LIST: (p, tag) => p.reply('* LIST () "/" {1a}', '* LIST () "/" {99999999999}', '* LIST () "/" INBOX', `${tag} OK done`) } }),
    run: (t) => listFolders(t.server, t.credentials), expect: listsInbox,
  },
  {
    protocol: 'IMAP', title: 'listing connection: 48 MiB without a line end — refused after 64 KiB, in linear time',
    script: imapServer({ answers: { LIST: (p) => p.flood('x', FLOOD) } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /line over 65536 bytes/, withinMs: 1500, maxHeapMiB: 16,
  },
  {
    protocol: 'IMAP', title: 'listing connection: endless LIST replies — ended by the burst cap',
    script: imapServer({ answers: { LIST: (p) => p.flood('* LIST (\\HasNoChildren) "/" "Folder"\r\n', FLOOD) } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /over \d+ (bytes|replies) in answer to one burst/, maxHeapMiB: 64,
  },
  {
    protocol: 'IMAP', title: 'listing connection: a server that never greets — ends on the deadline',
    script: imapServer({ greeting: null }), run: (t) => listFolders(t.server, t.credentials), expect: /answer|in time/,
  },
  {
    protocol: 'IMAP', title: 'listing connection: a greeting trickled one byte every 100 ms — ends on the deadline',
    script: async (p) => { await p.trickle('* OK The Microsoft Exchange IMAP4 service is ready, eventually.\r\n', 100); },
    run: (t) => listFolders(t.server, t.credentials), expect: /no complete answer to the greeting within 1.5 s/,
  },
  {
    protocol: 'IMAP', title: 'listing connection: LIST answered one byte every 100 ms — ends on the deadline',
    script: imapServer({ answers: { LIST: (p, tag) => p.trickle(`* LIST () "/" INBOX\r\n${tag} OK LIST completed.\r\n`, 100) } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /no complete answer to LIST within/,
  },
  {
    protocol: 'IMAP', title: 'listing connection: malformed LIST lines (unbalanced, garbage, deep nesting) are skipped',
    script: imapServer({
      answers: {
        LIST: (p, tag) => p.reply('* LIST (\\HasNoChildren "/" Broken', '* LIST ))) "/" x', `* LIST ${'('.repeat(10_000)} "/" Deep`,
          '* LIST () "/" INBOX', `${tag} OK LIST completed.`),
      },
    }),
    run: (t) => listFolders(t.server, t.credentials), expect: listsInbox,
  },
  {
    protocol: 'IMAP', title: 'listing connection: malformed STATUS counts (negative, not numbers) are not shown',
    script: imapServer({ answers: { STATUS: (p, tag) => p.reply('* STATUS INBOX (MESSAGES -3 UNSEEN abc)', `${tag} OK STATUS completed.`) } }),
    run: (t) => listFolders(t.server, t.credentials),
    expect: (result) => {
      const inbox = (result as ListedFolder[]).find((f) => f.path === 'INBOX');
      assert.deepEqual([inbox?.total, inbox?.unread], [undefined, undefined]);
    },
  },
  {
    protocol: 'IMAP', title: 'listing connection: a non-canonical modified UTF-7 name (&AGE- for "a") is shown as it came',
    script: imapServer({ answers: { LIST: (p, tag) => p.reply('* LIST () "/" a', '* LIST () "/" &AGE-', `${tag} OK LIST completed.`) } }),
    run: (t) => listFolders(t.server, t.credentials),
    expect: (result) => assert.deepEqual((result as ListedFolder[]).map((f) => f.path).sort(), ['&AGE-', 'a']),
  },
  {
    protocol: 'IMAP', title: 'listing connection: BYE and hang-up in the middle of LIST — a clear lost-connection error',
    script: imapServer({ answers: { LIST: async (p) => { p.reply('* LIST () "/" INBOX', '* BYE Server shutting down'); await sleep(10); throw new Error('hang up'); } } }),
    run: (t) => listFolders(t.server, t.credentials), expect: /Server shutting down|connection lost/,
  },
  {
    protocol: 'IMAP', title: 'listing connection: a certificate no CA trusts — refuses before any byte of IMAP',
    untrusted: true, script: imapServer(), run: (t) => listFolders(t.server, t.credentials), expect: /certificate|self.signed|unable to verify/i,
  },
  {
    protocol: 'IMAP', title: 'command connection: a server that never greets — ends on the greeting timeout',
    script: imapServer({ greeting: null }), run: (t) => commandLogin(t.server, t.credentials), expect: /greeting|timeout/i,
  },
  {
    protocol: 'IMAP', title: 'command connection: a greeting trickled one byte every 100 ms — ends on the greeting timeout',
    script: async (p) => { await p.trickle('* OK The Microsoft Exchange IMAP4 service is ready, eventually.\r\n', 100); },
    run: (t) => commandLogin(t.server, t.credentials), expect: /greeting|timeout/i,
  },
  {
    protocol: 'IMAP', title: 'command connection: 48 MiB without a line end after login — refused at the line cap',
    script: imapServer({ answers: { NAMESPACE: (p) => p.flood('x', FLOOD) } }),
    run: (t) => commandLogin(t.server, t.credentials), expect: /Line length|LineTooLarge|exceeds/i, maxHeapMiB: 48,
  },
  {
    protocol: 'IMAP', title: 'message open: a FETCH literal of 2 GB announced — refused by the literal cap',
    script: imapServer({ answers: { FETCH: async (p) => { p.send('* 1 FETCH (UID 1 BODY[] {2000000000}\r\n'); await p.flood('x', 4 * MiB); } } }),
    run: (t) => openMessage(t.server, t.credentials), expect: /was lost while opening a message/,
  },
  {
    protocol: 'IMAP', title: 'message open: malformed FETCH (unbalanced parentheses) — an error, no hang',
    script: imapServer({ answers: { FETCH: (p, tag) => p.reply('* 1 FETCH (UID 1 BODY[] ((((', `${tag} OK FETCH completed.`) } }),
    run: (t) => openMessage(t.server, t.credentials), expect: /no longer|failed|parse|message/i,
  },
  {
    protocol: 'IMAP', title: 'message page: malformed BODYSTRUCTURE and ENVELOPE — a page or an error, no hang',
    script: imapServer({
      answers: {
        FETCH: (p, tag) => p.reply('* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 12 INTERNALDATE "bad date" ENVELOPE (NIL NIL (("a" NIL)) NIL) BODYSTRUCTURE ("text" NIL NIL (((("x")))) 1))',
          `${tag} OK FETCH completed.`),
      },
    }),
    run: (t) => messagePage(t.server, t.credentials).then(() => 'page'), expect: (result) => assert.equal(result, 'page'),
  },
  {
    protocol: 'IMAP', title: 'message open: a header of 1 MB — refused by the MIME parser\'s header cap',
    script: imapServer({ message: message(`X-Padding: ${'a'.repeat(1024 * 1024)}\r\n`, 'body\r\n') }),
    run: (t) => openMessage(t.server, t.credentials), expect: /Max header size/, maxHeapMiB: 64,
  },
  {
    protocol: 'IMAP', title: 'message open: MIME nested 500 deep — read within the bound',
    script: imapServer({ message: Buffer.from(`From: bob@contoso.test\r\nSubject: Nested\r\nMIME-Version: 1.0\r\n${nestedMultipart(500)}`) }),
    run: (t) => openMessage(t.server, t.credentials), expect: (document) => assert.equal(typeof (document as MessageDocument).text, 'string'),
  },
  {
    protocol: 'IMAP', title: 'message open: 2,000 attachments in 8 MB — refused by the MIME parser\'s part cap',
    script: imapServer({ message: manyParts(2000, 4096) }),
    run: (t) => openMessage(t.server, t.credentials), expect: /Max allowed child nodes/, maxHeapMiB: 160,
  },
  {
    protocol: 'IMAP', title: 'message open: 200 attachments in 8 MB — read within the bound',
    script: imapServer({ message: manyParts(200, 40 * 1024) }),
    run: (t) => openMessage(t.server, t.credentials), expect: (document) => assert.equal(typeof (document as MessageDocument).text, 'string'), maxHeapMiB: 160,
  },
  {
    protocol: 'IMAP', title: 'message open: an HTML-only message of 200,000 <li> (2.6 MB) — opened within 3 s, the HTML kept as an attachment',
    script: imapServer({ message: htmlOnly(200_000) }),
    run: (t) => openMessage(t.server, t.credentials), maxHeapMiB: 256,
    expect: (document) => assert.ok((document as MessageDocument).attachments.some((a) => a.filename === 'message.html')),
  },
  {
    protocol: 'IMAP', title: 'message open: an HTML-only message of 60,000 <li> (under the 1 MiB conversion cap) — shown as text within 3 s',
    script: imapServer({ message: htmlOnly(60_000) }),
    run: (t) => openMessage(t.server, t.credentials), maxHeapMiB: 256,
    expect: (document) => assert.match((document as MessageDocument).text, /item/),
  },
  {
    protocol: 'IMAP', title: 'command connection: endless untagged replies to SELECT — ends on a command deadline',
    script: imapServer({ answers: { SELECT: (p) => p.flood('* 1 EXISTS\r\n', FLOOD) } }),
    run: (t) => messagePage(t.server, t.credentials), expect: /within|deadline|time/i, withinMs: 3000,
  },
  {
    protocol: 'IMAP', title: 'probe: endless untagged lines to CAPABILITY — ended by the reply line cap',
    script: imapServer({ answers: { CAPABILITY: (p) => p.flood('* OK still here\r\n', 4 * MiB) } }),
    run: (t) => imapProbe(t.server, t.credentials), expect: /over 1000 lines/,
  },
  {
    protocol: 'IMAP', title: 'probe: a line of 48 MiB — refused at 64 KiB',
    script: imapServer({ answers: { CAPABILITY: (p) => p.flood('x', FLOOD) } }),
    run: (t) => imapProbe(t.server, t.credentials), expect: /line over 65536 bytes/, maxHeapMiB: 16,
  },
  {
    protocol: 'IMAP', title: 'probe: a server that never greets — ends on the connect timeout',
    script: imapServer({ greeting: null }), run: (t) => imapProbe(t.server, t.credentials), expect: /silent|timeout/i,
  },
];

const pop3: HostileCase[] = [
  {
    protocol: 'POP3', title: 'STLS missing from CAPA (stripped) — refuses, token never sent',
    listen: 'plain', script: pop3Server({ answers: { CAPA: (p) => p.reply('+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', '.') } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /does not offer STLS/,
  },
  {
    protocol: 'POP3', title: 'CAPA refused and STLS refused — refuses, token never sent',
    listen: 'plain', script: pop3Server({ answers: { CAPA: (p) => p.reply('-ERR no'), STLS: (p) => p.reply('-ERR no TLS here') } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /does not offer STLS/,
  },
  {
    protocol: 'POP3', title: 'STLS +OK, then the server goes on in clear — never sends the token',
    listen: 'plain', script: pop3Server({ answers: { STLS: (p) => p.reply('+OK go ahead') } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /secure connection|TLS|closed|silent/i,
  },
  {
    protocol: 'POP3', title: 'bytes injected after STLS +OK are dropped, the sign-in goes over TLS',
    listen: 'plain', script: pop3Server({ answers: { STLS: (p) => { p.reply('+OK Begin TLS', '+OK injected'); p.startTls(); } } }),
    run: async (t) => {
      // The server's TLS side answers nothing until the client speaks, so the injected line can only have been read in clear.
      return pop3Check(t.server, t.credentials);
    },
    expect: (count) => assert.equal(count, 1),
  },
  {
    protocol: 'POP3', title: 'a TOP reply of 80 MiB — refused at the reply cap',
    script: pop3Server({ answers: { TOP: async (p) => { p.reply('+OK'); await p.flood('X-Header: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n', 80 * MiB); } } }),
    // The deadline is lifted so that the size cap, not the clock, stops it even on a busy machine.
    run: (t) => pop3Check(t.server, t.credentials, { replyDeadlineMs: 10_000 }), expect: /more than 16777216 bytes/, withinMs: 10_000, maxHeapMiB: 64,
  },
  {
    protocol: 'POP3', title: 'a multi-line reply that never ends, one line every 100 ms — ends on the reply deadline',
    script: pop3Server({ answers: { CAPA: async (p) => { p.reply('+OK'); while (p.open) { p.reply('X-MORE'); await sleep(100); } } } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /did not finish its reply to CAPA within 1.5 s/,
  },
  {
    protocol: 'POP3', title: 'a server that never greets — ends on the connect timeout',
    script: pop3Server({ greeting: null }), run: (t) => pop3Check(t.server, t.credentials), expect: /went silent/,
  },
  {
    protocol: 'POP3', title: 'a greeting trickled one byte every 100 ms — ends on the timeout',
    script: async (p) => { await p.trickle('+OK The Microsoft Exchange POP3 service is ready, eventually.\r\n', 100); },
    run: (t) => pop3Check(t.server, t.credentials), expect: /went silent/,
  },
  {
    protocol: 'POP3', title: 'a line of 48 MiB — refused at 64 KiB',
    script: pop3Server({ answers: { STAT: (p) => p.flood('+', FLOOD) } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /longer than 65536 bytes/, maxHeapMiB: 16,
  },
  {
    protocol: 'POP3', title: 'a greeting that is not POP3 — a clear bad-greeting error',
    script: async (p) => { p.reply('HTTP/1.1 400 Bad Request'); await p.gone; },
    run: (t) => pop3Check(t.server, t.credentials), expect: /did not greet as a POP3 server/,
  },
  {
    protocol: 'POP3', title: 'AUTH answered with continuations forever — a protocol error',
    script: pop3Server({ answers: { AUTH: async (p) => { while (p.open) { p.reply('+ '); await p.line(); } } } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /not POP3/,
  },
  {
    protocol: 'POP3', title: 'STAT with a malformed answer — a protocol error',
    script: pop3Server({ answers: { STAT: (p) => p.reply('+OK lots') } }), run: (t) => pop3Check(t.server, t.credentials), expect: /not POP3/,
  },
  {
    protocol: 'POP3', title: 'lines nobody asked for, 48 MiB of them — taken as the next reply and refused',
    script: pop3Server({ answers: { STAT: async (p) => { p.reply('+OK 1 120'); await p.flood('+OK spam\r\n', FLOOD); } } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: /not POP3|more than 16777216 bytes/, maxHeapMiB: 64,
  },
  {
    protocol: 'POP3', title: 'a header of 1 MB in TOP — summarised within the bound',
    script: pop3Server({ answers: { TOP: (p) => p.reply('+OK', 'Subject: Big', ...Array.from({ length: 16 }, (_, i) => `X-Pad-${i}: ${'a'.repeat(64 * 1024 - 16)}`), '', '.') } }),
    run: (t) => pop3Check(t.server, t.credentials), expect: (count) => assert.equal(count, 1),
  },
  {
    protocol: 'POP3', title: 'a certificate no CA trusts — refuses before any byte of POP3',
    untrusted: true, script: pop3Server(), run: (t) => pop3Check(t.server, t.credentials), expect: /not trusted/,
  },
];

const smtp: HostileCase[] = [
  {
    protocol: 'SMTP', title: 'send: STARTTLS missing from EHLO (stripped) — refuses, token never sent',
    listen: 'plain', script: smtpServer({ answers: { EHLO: (p) => p.reply('250-outlook.office365.com', '250 AUTH LOGIN XOAUTH2'), STARTTLS: (p) => p.reply('502 5.3.3 not here') } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /STARTTLS|TLS|secure/i,
  },
  {
    protocol: 'SMTP', title: 'send: STARTTLS refused with 454 — refuses, token never sent',
    listen: 'plain', script: smtpServer({ answers: { STARTTLS: (p) => p.reply('454 4.7.0 TLS not available') } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /STARTTLS|TLS|secure/i,
  },
  {
    protocol: 'SMTP', title: 'send: STARTTLS 220, then the server goes on in clear — never sends the token',
    listen: 'plain', script: smtpServer({ answers: { STARTTLS: (p) => p.reply('220 go ahead') } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /TLS|secure|time/i,
  },
  {
    protocol: 'SMTP', title: 'send: bytes injected after STARTTLS 220 are dropped, the sign-in goes over TLS',
    listen: 'plain', script: smtpServer({ answers: { STARTTLS: (p) => { p.reply('220 go ahead', '250 AUTH PLAIN'); p.startTls(); } } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: (response) => assert.match(String(response), /^250/),
  },
  {
    protocol: 'SMTP', title: 'send: half a reply injected after STARTTLS 220 — the send fails on its deadline, token never sent',
    listen: 'plain', script: smtpServer({ answers: { STARTTLS: (p) => { p.reply('220 go ahead', '250-AUTH PLAIN'); p.startTls(); } } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /timed out/,
  },
  {
    protocol: 'SMTP', title: 'send: a server that never greets — ends on the connect timeout',
    script: smtpServer({ greeting: null }), run: (t) => smtpSend(t.server, t.credentials), expect: /greeting|time/i,
  },
  {
    protocol: 'SMTP', title: 'send: a greeting trickled one byte every 100 ms — ends on the connect deadline',
    script: async (p) => { await p.trickle('220 outlook.office365.com Microsoft ESMTP MAIL Service ready at some point\r\n', 100); },
    run: (t) => smtpSend(t.server, t.credentials), expect: /greeting|time/i,
  },
  {
    protocol: 'SMTP', title: 'send: an EHLO reply that never ends — refused at nodemailer\'s 1 MB response cap',
    script: smtpServer({ answers: { EHLO: (p) => p.flood('250-PIPELINING\r\n', FLOOD) } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /response|size|exceed|large/i, maxHeapMiB: 64,
  },
  {
    protocol: 'SMTP', title: 'send: a line of 48 MiB without CRLF — refused at the response cap',
    script: smtpServer({ answers: { EHLO: (p) => p.flood('2', FLOOD) } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /response|size|exceed|large/i, maxHeapMiB: 64,
  },
  {
    protocol: 'SMTP', title: 'send: silence after EHLO — ends on the reply timeout',
    script: smtpServer({ answers: { EHLO: () => undefined } }), run: (t) => smtpSend(t.server, t.credentials), expect: /time/i,
  },
  {
    protocol: 'SMTP', title: 'send: the EHLO reply after STARTTLS trickled one byte every 50 ms — ends on the dialogue deadline, nothing sent',
    listen: 'plain',
    script: smtpServer({ answers: { STARTTLS: async (p) => { p.reply('220 go ahead'); p.startTls(); await p.line(); await p.trickle('250-outlook.office365.com Hello\r\n250-AUTH XOAUTH2\r\n250 SMTPUTF8\r\n', 50); } } }),
    run: (t) => smtpSend(t.server, t.credentials), expect: /no answer up to DATA within 1.5 s/,
  },
  {
    protocol: 'SMTP', title: 'send: a certificate no CA trusts — refuses before any byte of SMTP',
    untrusted: true, script: smtpServer(), run: (t) => smtpSend(t.server, t.credentials), expect: /certificate|trusted/i,
  },
  {
    protocol: 'SMTP', title: 'probe: STARTTLS stripped — refuses, token never sent',
    listen: 'plain', script: smtpServer({ answers: { EHLO: (p) => p.reply('250-outlook.office365.com', '250 AUTH LOGIN XOAUTH2') } }),
    run: (t) => smtpProbe(t.server, t.credentials), expect: /does not offer STARTTLS/,
  },
  {
    protocol: 'SMTP', title: 'probe: an EHLO reply that never ends — ended by the reply line cap',
    script: smtpServer({ answers: { EHLO: (p) => p.flood('250-PIPELINING\r\n', 4 * MiB) } }),
    run: (t) => smtpProbe(t.server, t.credentials), expect: /over 1000 lines/,
  },
  {
    protocol: 'SMTP', title: 'probe: an EHLO reply of one line every 100 ms, forever — ends on the reply deadline',
    script: smtpServer({ answers: { EHLO: async (p) => { while (p.open) { p.reply('250-STILL'); await sleep(100); } } } }),
    run: (t) => smtpProbe(t.server, t.credentials), expect: /did not finish its reply within 1.5 s/,
  },
  {
    protocol: 'SMTP', title: 'probe: a line of 48 MiB — refused at 64 KiB',
    script: smtpServer({ answers: { EHLO: (p) => p.flood('2', FLOOD) } }),
    run: (t) => smtpProbe(t.server, t.credentials), expect: /line over 65536 bytes/, maxHeapMiB: 16,
  },
];

const SECRET = 'hostile-client-secret-9f3b';
const jsonReply = (res: Parameters<TokenEndpoint>[1], body: string) => { res.setHeader('content-type', 'application/json'); res.end(body); };

const identity: HostileCase[] = [
  {
    protocol: 'identity', title: 'token endpoint that never answers — ends on the request timeout',
    tokenEndpoint: () => undefined, run: (t) => tokenRequest(t.identity!.tokenUrl, SECRET), expect: /ETIMEDOUT/,
  },
  {
    protocol: 'identity', title: 'token endpoint answering one byte every 100 ms — ends on a deadline',
    tokenEndpoint: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const char of '{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln"}') {
        if (res.destroyed) return;
        res.write(char);
        await sleep(100);
      }
      res.end();
    },
    run: (t) => tokenRequest(t.identity!.tokenUrl, SECRET), expect: /ETIMEDOUT|deadline|time/i,
  },
  {
    protocol: 'identity', title: 'token endpoint answering 200 MiB — refused at a size cap',
    tokenEndpoint: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(MiB, 0x20);
      for (let i = 0; i < 200 && !res.destroyed; i++) if (!res.write(block)) await new Promise((resolve) => res.once('drain', resolve));
      res.end();
    },
    run: (t) => tokenRequest(t.identity!.tokenUrl, SECRET), expect: /large|size|cap|exceed/i, maxHeapMiB: 64,
  },
  {
    protocol: 'identity', title: 'token endpoint answering garbage instead of JSON — an empty body, no crash',
    tokenEndpoint: (_req, res) => jsonReply(res, '{"access_token": <<<not json'),
    run: (t) => tokenRequest(t.identity!.tokenUrl, SECRET), expect: (body) => assert.deepEqual(body, {}),
  },
  {
    protocol: 'identity', title: 'token endpoint with headers that never end — refused by the HTTP parser',
    tokenEndpoint: async (req) => {
      const socket = req.socket;
      socket.write('HTTP/1.1 200 OK\r\n');
      for (let i = 0; i < 2000 && !socket.destroyed; i++) socket.write(`X-Padding-${i}: ${'a'.repeat(100)}\r\n`);
    },
    run: (t) => tokenRequest(t.identity!.tokenUrl, SECRET), expect: /HPE_HEADER_OVERFLOW|header|cannot reach/i,
  },
  {
    protocol: 'identity', title: 'token endpoint hanging up mid-answer — a clear network error',
    tokenEndpoint: (req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' }); res.write('{"access'); req.socket.destroy(); },
    run: (t) => tokenRequest(t.identity!.tokenUrl, SECRET), expect: /cannot reach|ECONNRESET|aborted/i,
  },
  {
    protocol: 'identity', title: 'an http:// token endpoint — refused, the secret never sent in clear',
    tokenEndpoint: () => undefined, run: (t) => tokenRequest(t.identity!.tokenUrl.replace('https:', 'http:'), SECRET), expect: /http:|protocol/i,
  },
  {
    protocol: 'identity', title: 'MSAL client credentials: a token endpoint that never answers — a clear sign-in error',
    tokenEndpoint: () => undefined, run: (t) => clientCredentialsToken(t.identity!.origin, SECRET), expect: /reach|network|time|answer/i, withinMs: 5000,
  },
  {
    protocol: 'identity', title: 'MSAL client credentials: a token response without a token — a clear sign-in error',
    tokenEndpoint: (_req, res) => jsonReply(res, '{"token_type":"Bearer","expires_in":3599}'),
    run: (t) => clientCredentialsToken(t.identity!.origin, SECRET), expect: /token|sign/i,
  },
];

export const CATALOGUE: HostileCase[] = [...imap, ...pop3, ...smtp, ...identity];
