/**
 * A shared mailbox as Exchange Online serves it to its delegates (Microsoft's "Authenticate an
 * IMAP, POP or SMTP connection using OAuth", shared mailbox section): alice holds FullAccess and
 * SendAs on shared@contoso.test, bob neither. She reads it over IMAP and POP with the shared
 * address as the XOAUTH2 user and her own token, and sends as it over SMTP signed in as herself.
 * The product's own clients do the talking; the refusals are checked in Exchange's words.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { createDraft } from '../../src/mail/compose/draft';
import { ImapSession } from '../../src/mail/imap/session';
import { authXoauth2, checkPop3Mailbox, connectPop3 } from '../../src/mail/pop3';
import { CredentialsProvider, MailServer } from '../../src/mail/server';
import { sendMessage } from '../../src/mail/smtp/send';
import { findUser } from '../sandbox/directory';
import { explainedFailure } from '../explained-failure';
import { ImapWireClient } from './imap-wire-client';
import { eventually } from '../eventually';
import { sandbox } from './sandbox';
import { withImapflow } from './sandbox-imapflow';

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const SHARED = 'shared@contoso.test';

/** A delegated Exchange token (IMAP, POP and SMTP permissions) for a person in the directory. */
function tokenOf(person: string): string {
  const user = findUser(person)!;
  return sandbox().identity.control.mintAccessToken({ upn: user.upn, unique_name: user.upn, oid: user.oid, name: user.displayName });
}

/** The XOAUTH2 user is `mailbox`; the token is `person`'s own. */
const signedIn = (mailbox: string, person: string): CredentialsProvider => async () => ({ user: mailbox, accessToken: tokenOf(person) });

const ca = () => readFileSync(sandbox().info.caFile, 'utf8');
const server = (protocol: 'imap' | 'pop3' | 'smtp'): MailServer => {
  const { host, port } = protocol === 'imap' ? sandbox().info.imap.exchange : sandbox().info[protocol];
  return { host, port, security: protocol === 'smtp' ? 'starttls' : 'tls', ca: ca() };
};
const tokenLog = () => readFileSync(sandbox().info.mailLogFile, 'utf8');

/** imapflow on a mailbox: a person's own, or the shared one as alice, its delegate, opens it. */
const imap = <T>(mailbox: string, use: (client: ImapFlow) => Promise<T>): Promise<T> =>
  withImapflow({ user: mailbox, accessToken: tokenOf(findUser(mailbox)?.shared ? ALICE : mailbox) }, use);

/** The sources of the messages in a folder whose subject is `subject`. */
const withSubject = (mailbox: string, folder: string, subject: string) => imap(mailbox, async (client) => {
  await client.mailboxOpen(folder, { readOnly: true });
  const uids = (await client.search({ subject }, { uid: true })) || [];
  const sources: Buffer[] = [];
  for (const uid of uids) {
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    if (message && message.source) sources.push(message.source);
  }
  return sources;
});

/** The message in the mailbox's Inbox, waiting for delivery (LMTP) to finish. */
function arrived(mailbox: string, subject: string): Promise<Buffer> {
  return eventually(`"${subject}" to arrive in ${mailbox}'s Inbox`, async () => (await withSubject(mailbox, 'INBOX', subject))[0], { intervalMs: 250 });
}

const note = (from: string, to: string, subject: string) => createDraft({ from, to, subject }, { text: `Body of ${subject}`, attachments: [] });

describe('Shared mailboxes: delegated access as Exchange Online allows it', function () {
  this.timeout(60_000);

  describe('reading', () => {
    it("alice opens the shared mailbox's folders and messages over IMAP with her own token", async () => {
      const session = new ImapSession({ server: server('imap'), credentials: signedIn(SHARED, ALICE) });
      try {
        const tree = await session.listFolders();
        const page = await session.messagePage('INBOX');
        const opened = await session.openMessage('INBOX', page.messages[0]!.uid);
        assert.deepEqual([tree.get('Sent Items')?.openable, page.messages.map((m) => m.subject).includes('Order 4471: delivery date'), opened.subject],
          [true, true, page.messages[0]!.subject]);
      } finally {
        await session.close();
      }
      assert.match(tokenLog(), /imap XOAUTH2 shared@contoso\.test accepted: delegated token of alice@contoso\.test with IMAP\.AccessAsUser\.All, FullAccess on shared@contoso\.test/);
    });

    it("alice reads the shared Inbox over POP3 with her own token: the same messages IMAP shows", async () => {
      const summary = await checkPop3Mailbox(server('pop3'), signedIn(SHARED, ALICE));
      const overImap = await imap(SHARED, async (client) => {
        const mailbox = await client.mailboxOpen('INBOX', { readOnly: true });
        const newest = await client.fetchOne('*', { envelope: true });
        return { messageCount: mailbox.exists, subject: newest ? newest.envelope?.subject : undefined };
      });
      assert.deepEqual({ messageCount: summary.messageCount, subject: summary.newest?.subject }, overImap);
    });

    it('bob, without FullAccess, is refused with Exchange\'s texts over IMAP and POP3, and the log says why', async () => {
      const payload = Buffer.from(`user=${SHARED}\x01auth=Bearer ${tokenOf(BOB)}\x01\x01`).toString('base64');
      const { host, port } = sandbox().info.imap.exchange;
      const wire = await ImapWireClient.connect({ host, port, ca: ca() });
      await wire.line();
      const imapReply = await wire.command('A1', `AUTHENTICATE XOAUTH2 ${payload}`);
      wire.close();
      const connected = await connectPop3(server('pop3'));
      const pop3Reply = await authXoauth2(connected.connection, { user: SHARED, accessToken: tokenOf(BOB) });
      connected.connection.close();
      assert.deepEqual([imapReply, `-ERR ${pop3Reply.text}`], [['A1 NO AUTHENTICATE failed.'], '-ERR Authentication failure: unknown user name or bad password.']);
      const reasons = tokenLog().split('\n').filter((line) => line.includes(`${SHARED} refused: token is for ${BOB}, but the login is for ${SHARED}: ${BOB} has no FullAccess on ${SHARED}`));
      assert.deepEqual(reasons.map((line) => line.split(' ')[1]).slice(-2), ['imap', 'pop3']);
    });
  });

  describe('sending', () => {
    it("refuses alice's SMTP sign-in as the shared mailbox with 535 5.7.3, although she holds FullAccess", async () => {
      const error = await explainedFailure(sendMessage(server('smtp'), signedIn(SHARED, ALICE), note(SHARED, BOB, `As shared ${randomUUID()}`)));
      assert.match(error.detail ?? '', /reply: 535 5\.7\.3 Authentication unsuccessful \[/);
    });

    it("lets alice, signed in as herself, send as the shared mailbox: bob gets it from shared@, alice's Sent Items keeps the copy", async () => {
      const subject = `Send as shared ${randomUUID()}`;
      await sendMessage(server('smtp'), signedIn(ALICE, ALICE), note(SHARED, BOB, subject));
      const received = await simpleParser(await arrived(BOB, subject));
      const copies = { alice: (await withSubject(ALICE, 'Sent Items', subject)).length, shared: (await withSubject(SHARED, 'Sent Items', subject)).length };
      assert.deepEqual([received.from?.value[0]?.address, copies], [SHARED, { alice: 1, shared: 0 }]);
    });

    it('refuses bob sending as the shared mailbox after the data with 554 5.2.252 SendAsDenied, and delivers nothing', async () => {
      const subject = `Bob as shared ${randomUUID()}`;
      const error = await explainedFailure(sendMessage(server('smtp'), signedIn(BOB, BOB), note(SHARED, ALICE, subject)));
      assert.match(error.detail ?? '', /reply: 554 5\.2\.252 SendAsDenied; bob@contoso\.test not allowed to send as shared@contoso\.test; STOREDRV\.Submission\.Exception:SendAsDeniedException\.MapiExceptionSendAsDenied/);
      assert.deepEqual(await withSubject(ALICE, 'INBOX', subject), []);
    });
  });
});
