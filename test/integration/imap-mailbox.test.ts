/**
 * Alice's mailbox through an ImapSession, on both sandbox profiles: Exchange-like (no
 * LIST-STATUS, no SPECIAL-USE) and modern Dovecot. Both profiles open the same Maildirs, so
 * tests that change mail put it back.
 */
import * as assert from 'node:assert/strict';
import { ImapSession } from '../../src/mail/imap/session';
import { renderMessageDocument } from '../../src/mail/imap/message-document';
import { MessageSummary } from '../../src/mail/imap/message-page';
import { aliceMailbox, ATTACHMENT_FILE, NON_ASCII_SENDER, SPECIAL_SUBJECTS } from '../sandbox/mail/mailbox-content';
import { BULK_FOLDER, BULK_MESSAGE_COUNT, HIERARCHY_ONLY_FOLDER } from '../sandbox/mail/mailbox-layout';
import { cachedCredentials, ImapSandbox, imapSandbox, Profile, recordingLog } from './imap-sandbox';

const seeded = aliceMailbox(Date.now(), false);
const seededUnread = (folder: string) => seeded.messages.filter((m) => m.folder === folder && !m.seen).length;
const seededTotal = (folder: string) => seeded.messages.filter((m) => m.folder === folder).length;

for (const profile of ['exchange', 'modern'] as Profile[]) {
  describe(`IMAP mailbox (${profile} profile)`, function () {
    this.timeout(60_000);
    let sandbox: ImapSandbox;
    let session: ImapSession;
    let log: ReturnType<typeof recordingLog>;

    before(async () => {
      sandbox = imapSandbox();
      log = recordingLog();
      session = new ImapSession({ server: sandbox.server(profile), credentials: cachedCredentials(sandbox), log });
      await session.connect();
    });

    after(async () => {
      await session?.close();
    });

    async function inboxMessage(subject: string): Promise<MessageSummary> {
      const page = await session.messagePage('INBOX');
      const found = page.messages.find((m) => m.subject === subject);
      assert.ok(found, `no "${subject}" in the Inbox`);
      return found;
    }

    it('shows the folder tree with Projects/2026/Q4 nested, special folders by flag and by name, and Clients not openable', async () => {
      const tree = await session.listFolders();
      const q4 = tree.get('Projects/2026/Q4');
      assert.deepEqual({
        order: tree.roots.slice(0, 7).map((f) => f.name),
        nested: tree.get('Projects')?.children[0]?.children[0]?.path,
        q4: [q4?.name, q4?.unread, q4?.total],
        sent: [tree.special('sent')?.path, tree.special('sent')?.specialUseSource],
        outbox: [tree.get('Outbox')?.specialUse, tree.get('Outbox')?.specialUseSource],
        clients: [tree.get(HIERARCHY_ONLY_FOLDER)?.openable, tree.get(HIERARCHY_ONLY_FOLDER)?.children.length],
      }, {
        order: ['Inbox', 'Drafts', 'Sent Items', 'Deleted Items', 'Archive', 'Junk Email', 'Outbox'],
        nested: 'Projects/2026/Q4',
        q4: ['Q4', seededUnread('Projects/2026/Q4'), seededTotal('Projects/2026/Q4')],
        sent: ['Sent Items', 'flag'],
        outbox: ['outbox', 'name'],
        clients: [false, 2],
      });
    });

    it('gives every openable folder its unread count: Inbox and Notifications as seeded', async () => {
      const tree = await session.listFolders();
      assert.deepEqual([tree.get('INBOX')?.unread, tree.get(BULK_FOLDER)?.unread, tree.get(BULK_FOLDER)?.total],
        [seededUnread('INBOX'), seededUnread(BULK_FOLDER), BULK_MESSAGE_COUNT]);
      assert.deepEqual(tree.all().filter((f) => f.openable && f.unread === undefined).map((f) => f.path), []);
    });

    it('opens the 5,000-message folder with one FETCH of the newest 50, newest first, and more available', async () => {
      const before = log.commands().length;
      const page = await session.messagePage(BULK_FOLDER);
      const fetches = log.commands().slice(before).filter((c) => /FETCH/i.test(c));
      assert.deepEqual(fetches.map((c) => c.split(' (')[0]), [`FETCH ${BULK_MESSAGE_COUNT - 49}:${BULK_MESSAGE_COUNT}`]);
      assert.deepEqual([page.messages.length, page.total, page.moreAvailable, page.messages[0]?.subject],
        [50, BULK_MESSAGE_COUNT, true, 'Build #20000 succeeded: contoso-web main']);
      const next = await session.messagePage(BULK_FOLDER, page.next);
      assert.equal(next.messages[0]?.uid, page.messages[49]!.uid - 1);
    });

    it('lists the sender, date, unread and attachment marks of Inbox messages', async () => {
      const newest = await inboxMessage(SPECIAL_SUBJECTS.newest);
      const attachment = await inboxMessage(SPECIAL_SUBJECTS.attachment);
      assert.deepEqual([newest.from?.name, newest.unread, newest.hasAttachment, attachment.hasAttachment, attachment.unread],
        ['Priya Raman', true, false, true, false]);
      assert.ok(newest.date && newest.size > 0);
    });

    it('reads the HTML-only newsletter as text with its list and link', async () => {
      const message = await inboxMessage(SPECIAL_SUBJECTS.htmlOnly);
      const document = await session.openMessage('INBOX', message.uid);
      assert.equal(document.bodySource, 'html');
      assert.match(document.text, /^- Release 2\.4 shipped\.$/m);
      assert.match(document.text, /Lunch & learn on OAuth2 \(https:\/\/contoso\.test\/oauth\)/);
      assert.doesNotMatch(document.text, /[<>]|&amp;/);
    });

    it('lists the PDF attachment and saves its bytes, and a second open asks the server nothing', async () => {
      const message = await inboxMessage(SPECIAL_SUBJECTS.attachment);
      const document = await session.openMessage('INBOX', message.uid);
      const sent = log.commands().length;
      const again = await session.openMessage('INBOX', message.uid);
      const saved = await session.saveAttachment('INBOX', message.uid, 0);
      assert.deepEqual(document.attachments.map((a) => [a.filename, a.contentType]), [[ATTACHMENT_FILE, 'application/pdf']]);
      assert.equal(saved.subarray(0, 5).toString(), '%PDF-');
      assert.deepEqual([again, log.commands().length], [document, sent]);
      assert.match(renderMessageDocument(document), new RegExp(`Attachments \\(1\\):\\n  1\\. ${ATTACHMENT_FILE.replace('.', '\\.')}`));
    });

    it('decodes the German subject and sender', async () => {
      const message = await inboxMessage(SPECIAL_SUBJECTS.nonAscii);
      const document = await session.openMessage('INBOX', message.uid);
      assert.deepEqual([message.from?.name, document.subject, document.from[0]?.name], [NON_ASCII_SENDER, SPECIAL_SUBJECTS.nonAscii, NON_ASCII_SENDER]);
      assert.match(renderMessageDocument(document), /^From: Jürgen Müller <juergen\.mueller@fabrikam\.test>$/m);
    });

    it('marks a message read and unread again, and the Inbox count follows through IDLE', async () => {
      const counts: number[] = [];
      const changed = (n: number) => new Promise<void>((resolve) => {
        const poll = setInterval(() => { if (counts.length >= n) { clearInterval(poll); resolve(); } }, 20);
      });
      const watch = session.onInboxUnreadChanged((count) => counts.push(count));
      try {
        await changed(1);
        const message = await inboxMessage(SPECIAL_SUBJECTS.newest);
        await session.setSeen('INBOX', message.uid, true);
        assert.equal((await inboxMessage(SPECIAL_SUBJECTS.newest)).unread, false);
        await changed(2);
        await session.setSeen('INBOX', message.uid, false);
        await changed(3);
        assert.deepEqual(counts, [counts[0], counts[0]! - 1, counts[0]]);
        assert.equal((await inboxMessage(SPECIAL_SUBJECTS.newest)).unread, true);
      } finally {
        watch.dispose();
      }
    });

    it('keeps a sent copy in Sent Items', async () => {
      const subject = `Sent copy test ${profile} ${Date.now()}`;
      const raw = `From: Alice Lindqvist <alice@contoso.test>\r\nTo: bob@contoso.test\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${Date.now()}@imap.test>\r\n\r\nHello Bob.\r\n`;
      const result = await session.appendToSent(raw);
      const page = await session.messagePage(result.folder);
      assert.deepEqual([result.folder, page.messages[0]?.subject, page.messages[0]?.unread], ['Sent Items', subject, false]);
    });

    it('never writes the token or the XOAUTH2 payload to the log', () => {
      const secrets = log.lines.filter((l) => /eyJ|dXNlcj1/.test(l));
      assert.deepEqual(secrets, []);
      assert.ok(log.lines.some((l) => /AUTHENTICATE XOAUTH2 \[redacted/.test(l) || /AUTHENTICATE (XOAUTH2|OAUTHBEARER)/.test(l)));
    });
  });
}
