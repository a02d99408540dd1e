/**
 * Send current document, against the sandbox's Postfix and Dovecot: what the user writes in the
 * editor arrives in the recipients' Inboxes as written, and every kind of bad input ends in its
 * own clear error with nothing sent. Tokens come from the sandbox identity platform.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ImapFlow } from 'imapflow';
import { ParsedMail, simpleParser } from 'mailparser';
import { composeFromDocument, DocumentToSend } from '../../src/mail/compose/document';
import { createDraft, DraftHeaders, DraftMessage } from '../../src/mail/compose/draft';
import { CredentialsProvider, MailServer } from '../../src/mail/server';
import { sendMessage } from '../../src/mail/smtp/send';
import { eventually } from '../eventually';
import { explainedFailure as failure } from '../explained-failure';
import { sandbox } from './sandbox';

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const CAROL = 'carol@outlook.test';

const now = () => Math.floor(Date.now() / 1000);

describe('Send current document (sandbox SMTP submission)', function () {
  this.timeout(120_000);
  let ca: string;
  let smtpServer: MailServer;

  function token(user: string, scp: string, extra: Record<string, unknown> = {}): string {
    return sandbox().identity.control.mintAccessToken({ scp, ...extra }, { user });
  }

  /** Alice's SMTP token source; records each request. */
  function alice(tokens: string[] = [token(ALICE, 'SMTP.Send')]): CredentialsProvider & { calls: unknown[] } {
    const calls: unknown[] = [];
    const provider = async (options?: { renew?: boolean }) => {
      calls.push(options);
      return { user: ALICE, accessToken: tokens[Math.min(calls.length, tokens.length) - 1] };
    };
    return Object.assign(provider, { calls });
  }

  async function inbox<T>(user: string, use: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({
      host: sandbox().mail.imap.exchange.host, port: sandbox().mail.imap.exchange.port, secure: true, tls: { ca },
      auth: { user, accessToken: token(user, 'IMAP.AccessAsUser.All') }, logger: false,
    });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return await use(client);
    } finally {
      await client.logout();
    }
  }

  const inboxCount = (user: string) => inbox(user, async (client) => {
    const status = await client.status('INBOX', { messages: true });
    assert.ok(status && status.messages !== undefined, 'STATUS INBOX failed');
    return status.messages;
  });

  /** The message with this Message-ID in the user's Inbox, waiting for delivery (LMTP) to finish. */
  async function received(user: string, messageId: string): Promise<{ parsed: ParsedMail; source: Buffer }> {
    const source = await eventually(`${messageId} to arrive in ${user}'s Inbox`, () => inbox(user, async (client) => {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      if (!uids || !uids.length) return undefined;
      const message = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
      return message ? message.source : undefined;
    }), { intervalMs: 250 });
    return { parsed: await simpleParser(source), source };
  }

  function draftOf(document: DocumentToSend, headers: Partial<DraftHeaders> = {}): DraftMessage {
    const composed = composeFromDocument(document);
    return createDraft({
      from: ALICE,
      ...composed.headers,
      subject: composed.headers.subject ?? composed.suggestedSubject,
      ...headers,
    }, composed.body);
  }

  before(() => {
    ca = readFileSync(sandbox().info.caFile, 'utf8');
    smtpServer = { ...sandbox().mail.smtp, security: 'starttls', ca };
  });

  describe('what arrives', () => {
    const SOURCE = `# Release 1.4 for ${randomUUID()}\n\nThe **new** parts:\n\n- sending from the editor\n- \`code\` stays code\n\n| a | b |\n|---|---|\n| 1 | 2 |\n`;
    const MARKDOWN = `---\nto: Bob Okafor <${BOB}>\ncc: [Carol Personal <${CAROL}>]\n---\n${SOURCE}`;

    it('a sent Markdown document arrives with From/To/Cc/Subject, an HTML part from the Markdown and the Markdown as text', async () => {
      const draft = draftOf({ text: MARKDOWN, languageId: 'markdown', fileName: '/work/release.md' }, { from: `Alice Lindqvist <${ALICE}>` });
      const result = await sendMessage(smtpServer, alice(), draft);
      assert.deepEqual(result.accepted.sort(), [BOB, CAROL].sort());
      const { parsed } = await received(BOB, result.messageId);
      assert.deepEqual(parsed.from?.value, [{ address: ALICE, name: 'Alice Lindqvist' }]);
      const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
      const cc = Array.isArray(parsed.cc) ? parsed.cc[0] : parsed.cc;
      assert.deepEqual(to?.value, [{ address: BOB, name: 'Bob Okafor' }]);
      assert.deepEqual(cc?.value, [{ address: CAROL, name: 'Carol Personal' }]);
      assert.equal(parsed.subject, SOURCE.split('\n')[0].slice(2));
      assert.equal(parsed.text?.trimEnd(), SOURCE.trimEnd());
      assert.match(String(parsed.html), /<h1>(<a [^>]*class="anchor"[^>]*><\/a>)?Release 1\.4 for [-0-9a-f]+<\/h1>/);
      assert.match(String(parsed.html), /<(strong|b)>new<\/\1>/);
      assert.match(String(parsed.html), /<td>1<\/td>/);
      await received(CAROL, result.messageId);
    });

    it('Bcc recipients receive it and do not appear in the headers', async () => {
      const draft = draftOf({ text: `# Bcc ${randomUUID()}\n\nHello.\n`, languageId: 'markdown', fileName: 'bcc.md' }, { to: BOB, bcc: CAROL });
      const result = await sendMessage(smtpServer, alice(), draft);
      const atBob = await received(BOB, result.messageId);
      const atCarol = await received(CAROL, result.messageId);
      for (const { parsed, source } of [atBob, atCarol]) {
        assert.equal(parsed.bcc, undefined);
        assert.ok(!source.toString('latin1').split('\r\n\r\n')[0].includes(CAROL), 'the Bcc address is in the headers');
      }
    });

    it('a non-ASCII subject and names survive', async () => {
      const subject = `Grüße — 你好 🚀 ${randomUUID().slice(0, 8)}`;
      const draft = draftOf({ text: 'Ünïcödé body, 你好.\n', languageId: 'plaintext', fileName: 'note.txt' },
        { from: `Åsa Lindqvist <${ALICE}>`, to: `"Økafor, Bøb" <${BOB}>`, subject });
      const result = await sendMessage(smtpServer, alice(), draft);
      const { parsed } = await received(BOB, result.messageId);
      assert.equal(parsed.subject, subject);
      assert.equal(parsed.from?.value[0].name, 'Åsa Lindqvist');
      const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
      assert.equal(to?.value[0].name, 'Økafor, Bøb');
      assert.equal(parsed.text, 'Ünïcödé body, 你好.\n');
    });

    it('a 10 MB document arrives whole', async () => {
      // 10,000,000 characters of a plain-text report; the sandbox takes Exchange Online's 35 MB limit.
      const line = 'A line of a long report, short enough for 7bit transfer encoding.\n';
      const text = `${randomUUID()}\n${line.repeat(Math.ceil(10_000_000 / line.length))}`.slice(0, 9_999_999) + '\n';
      const draft = draftOf({ text, languageId: 'plaintext', fileName: 'report.log' }, { to: BOB });
      const result = await sendMessage(smtpServer, alice(), draft);
      const { parsed } = await received(BOB, result.messageId);
      assert.equal(parsed.text?.length, text.length);
      assert.ok(parsed.text === text, 'the text arrived changed');
    });

    it('the returned bytes are the message as delivered, for the Sent copy', async () => {
      const draft = draftOf({ text: `# Copy ${randomUUID()}\n\nBody.\n`, languageId: 'markdown', fileName: 'copy.md' }, { to: BOB });
      const result = await sendMessage(smtpServer, alice(), draft);
      const { source } = await received(BOB, result.messageId);
      // The servers only prepend trace headers (Return-Path, Delivered-To, Received).
      assert.ok(source.subarray(source.length - result.raw.length).equals(result.raw), 'the delivered message differs from the returned bytes');
    });

    it('an expired token is renewed once and the message sent', async () => {
      const expired = token(ALICE, 'SMTP.Send', { exp: now() - 10, nbf: now() - 3600 });
      const provider = alice([expired, token(ALICE, 'SMTP.Send')]);
      const draft = draftOf({ text: `Renewed ${randomUUID()}\n`, languageId: 'plaintext', fileName: 'renew.txt' }, { to: BOB });
      const result = await sendMessage(smtpServer, provider, draft);
      assert.deepEqual(provider.calls, [undefined, { renew: true }]);
      await received(BOB, result.messageId);
    });
  });

  describe('bad input: its own clear error, nothing sent', () => {
    const note = (headers: Partial<DraftHeaders>) => () => draftOf({ text: 'Hello\n', languageId: 'plaintext', fileName: 'n.txt' }, headers);

    it('an invalid address is named, before connecting', async () => {
      const before = await inboxCount(BOB);
      const error = await failure((async () => sendMessage(smtpServer, alice(), note({ to: `${BOB}, carol@` })()))());
      assert.equal(error.message, '"carol@" is not a valid email address (in To)');
      assert.equal(await inboxCount(BOB), before);
    });

    it('an empty To', async () => {
      const error = await failure((async () => sendMessage(smtpServer, alice(), note({ to: '' })()))());
      assert.equal(error.code, 'no-recipient');
    });

    it('a recipient the server refuses: named with the reply, and the other recipients get nothing', async () => {
      const before = await inboxCount(BOB);
      const error = await failure(sendMessage(smtpServer, alice(), note({ to: `${BOB}, dan@fabrikam.example` })()));
      assert.equal(error.code, 'recipient-refused');
      assert.match(error.message, /dan@fabrikam\.example: 5\d\d /);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await inboxCount(BOB), before);
    });

    it('a token without SMTP.Send: renewed once, then explained', async () => {
      const before = await inboxCount(BOB);
      const imapOnly = token(ALICE, 'IMAP.AccessAsUser.All');
      const provider = alice([imapOnly, imapOnly]);
      const error = await failure(sendMessage(smtpServer, provider, note({ to: BOB })()));
      assert.equal(error.code, 'smtp-token-refused');
      assert.match(error.fix, /SMTP\.Send/);
      assert.deepEqual(provider.calls, [undefined, { renew: true }]);
      assert.equal(await inboxCount(BOB), before);
    });

    it('sending as someone else', async () => {
      const error = await failure(sendMessage(smtpServer, alice(), note({ from: BOB, to: BOB })()));
      assert.equal(error.code, 'send-as-denied');
      assert.match(error.fix, /Send As/);
    });

    it('an unreachable server', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = probe.address() as { port: number };
          probe.close(() => resolve(free));
        });
      });
      const error = await failure(sendMessage({ ...smtpServer, port }, alice(), note({ to: BOB })()));
      assert.equal(error.code, 'server-unreachable');
      assert.ok(error.message.includes(`127.0.0.1:${port}`));
    });
  });
});
