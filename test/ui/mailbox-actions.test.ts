/**
 * The user's story in the browser, working in alice's mailbox from the Mailboxes view the way a
 * person does it (context menus, keys, the view's title bar, notification buttons): reply to
 * bob's mail and send it, Reply All and Forward by their keys, archive two selected messages and
 * Undo, Delete and Delete Permanently by their keys, search, and hear about mail bob sends her.
 * What happened is read straight from the sandbox's servers. test-results/reply-draft.png and
 * test-results/mailbox-search.png are the README's pictures.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, startApprovingSandbox } from '../sandbox/approving';
import { arrivedInInbox, foldersHolding as holding, withMailbox } from '../sandbox/imapflow-client';
import { eventually } from '../eventually';
import { openSession, Session, TYPING_SETTINGS } from './workbench-session';

const BOB = 'bob@contoso.test';

describe('Working in the mailbox in the browser (UI)', function () {
  let sandbox: ApprovingSandbox;
  let session: Session;

  before(async function () {
    this.timeout(240_000);
    sandbox = await startApprovingSandbox('ui-actions', ALICE);
    session = await openSession({
      'exchangeMail.accounts': accountSettingsFor(sandbox.box.info),
      'exchangeMail.send.confirm': false,
      ...TYPING_SETTINGS,
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session.reportFailure(`mailbox-actions-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
  });

  const row = (label: string) => session.mailboxRow(label);
  /** The folders of alice's mailbox that hold a message of this subject, straight from the server. */
  const foldersHolding = (subject: string, ...paths: string[]) => withMailbox(sandbox.box, ALICE, (client) => holding(client, subject, paths));

  it('signs alice in and opens her Inbox', async () => {
    await session.signInAndOpenInbox(`${ALICE}: 7 unread`, 'Customer call moved to 15:00');
  });

  it('Reply from the message\'s menu opens a draft; sent, bob gets it in the thread and the original shows answered', async () => {
    const subject = 'Customer call moved to 15:00';
    const original = await withMailbox(sandbox.box, ALICE, async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      const uids = await client.search({ subject }, { uid: true });
      return Array.isArray(uids) ? (await client.fetchOne(String(uids[0]), { envelope: true }, { uid: true }) || undefined)?.envelope?.messageId : undefined;
    });
    assert.ok(original, 'the original\'s Message-ID');
    await session.contextMenu(row(subject), 'Reply');
    await session.editorText(`in-reply-to: ${original}`).waitFor({ timeout: 30_000 });
    await session.page.keyboard.type('Works for me, see you at 15:00.');
    await session.editorText('Works for me, see you at 15:00.').waitFor({ timeout: 10_000 });
    await session.screenshot('reply-draft');

    await session.sendActiveDraft();
    const reply = await arrivedInInbox(sandbox.box, BOB, `Re: ${subject}`);
    assert.deepEqual([reply.inReplyTo, reply.from?.value[0]?.address], [original, ALICE]);
    assert.match(reply.text ?? '', /^Works for me, see you at 15:00\./);
    await eventually('the original shown answered', async () => /\banswered\b/.test(await row(subject).getAttribute('aria-label') ?? ''));
    assert.equal(await row(subject).locator('.codicon-reply').count(), 1, 'a reply arrow on the original');
    await session.discardEditor();
    await session.clearNotifications();
  });

  it('Ctrl+Alt+Shift+R on a selected message opens a Reply All draft to its sender and the other recipients', async () => {
    await session.selectMessage('Team photo');
    await session.page.keyboard.press('Control+Alt+Shift+R');
    await session.editorText('subject: \'Re: Team photo\'').waitFor({ timeout: 30_000 });
    assert.ok(await session.editorText(`to: Marco Bianchi <marco.bianchi@contoso.test>, Bob Okafor <${BOB}>`).count(), 'to: the sender and bob, not alice');
    await session.discardEditor();
    await session.discardEditor();
  });

  it('Ctrl+Alt+Shift+F on the open message forwards it with its PDF; bob gets the attachment', async () => {
    const subject = 'Q3 budget review: figures attached';
    await row(subject).click();
    const opened = session.editorText('the Q3 figures are in the attached PDF');
    await opened.waitFor({ timeout: 30_000 });
    await opened.click();
    await session.page.keyboard.press('Control+Alt+Shift+F');
    await session.editorText(`subject: 'Fw: ${subject}'`).waitFor({ timeout: 30_000 });
    assert.ok(await session.editorText('budget-q3.pdf').count(), 'the PDF under attachments:');
    // The recipient goes on the empty `to:` line (the third), as a user types it.
    const { keyboard } = session.page;
    await keyboard.press('Control+Home');
    await keyboard.press('ArrowDown');
    await keyboard.press('ArrowDown');
    await keyboard.press('End');
    await keyboard.type(` ${BOB}`);
    await session.editorText(`to: ${BOB}`).waitFor({ timeout: 10_000 });
    await session.sendActiveDraft();
    const forward = await arrivedInInbox(sandbox.box, BOB, `Fw: ${subject}`);
    assert.deepEqual(forward.attachments.map((a) => [a.filename, a.contentType]), [['budget-q3.pdf', 'application/pdf']]);
    await session.discardEditor();
    await session.discardEditor();
    await session.clearNotifications();
  });

  it('Archive on two messages selected with Ctrl-click moves both; the notification\'s Undo brings them back', async () => {
    const subjects = ['Lunch on Thursday?', 'Design review notes'];
    await session.selectMessage(subjects[0]!);
    await row(subjects[1]!).click({ modifiers: ['Control'] });
    await session.contextMenu(row(subjects[1]!), 'Archive');
    const moved = session.toast('Moved 2 messages to "Archive".');
    await moved.waitFor({ timeout: 30_000 });
    await row(subjects[0]!).waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await row(subjects[1]!).count(), 0);
    for (const subject of subjects) assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Archive'), ['Archive']);
    await moved.locator('.monaco-button', { hasText: /^Undo$/ }).click();
    await row(subjects[0]!).waitFor({ timeout: 30_000 });
    await row(subjects[1]!).waitFor({ timeout: 30_000 });
    for (const subject of subjects) assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Archive'), ['INBOX']);
    // Back in the Inbox, unread, with new UIDs: still not new mail (the watch would have said so within about 2 s).
    await session.page.waitForTimeout(3000);
    assert.equal(await session.toast(/new mail|new messages/i).count(), 0, 'no new-mail notification for messages moved back');
    await session.clearNotifications();
  });

  it('Delete on a selected message moves it to Deleted Items; Ctrl+Z in the view undoes it', async () => {
    const subject = 'Coffee chat';
    await session.selectMessage(subject);
    await session.page.keyboard.press('Delete');
    await session.toast('Moved 1 message to "Deleted Items".').waitFor({ timeout: 30_000 });
    await row(subject).waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Deleted Items'), ['Deleted Items']);
    await session.focusMailboxes();
    await session.page.keyboard.press('Control+Z');
    await row(subject).waitFor({ timeout: 30_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Deleted Items'), ['INBOX']);
    await session.clearNotifications();
  });

  it('Shift+Delete asks in a dialog: Cancel keeps the message, Delete Permanently removes it for good', async () => {
    const subject = 'Reminder: submit your time sheets';
    const dialog = session.page.locator('.monaco-dialog-box');
    await session.selectMessage(subject);
    await session.page.keyboard.press('Shift+Delete');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Delete "${subject}" permanently\\?[\\s\\S]*cannot be recovered`));
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Deleted Items'), ['INBOX']);
    await session.selectMessage(subject);
    await session.page.keyboard.press('Shift+Delete');
    await dialog.locator('.monaco-button', { hasText: /^Delete Permanently$/ }).click();
    await row(subject).waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Deleted Items'), []);
  });

  it('Search Mailbox… from the Inbox\'s menu: an unclosed quote is named as it is typed, the fixed query shows "Search: …", and a match opens', async () => {
    const { page } = session;
    // The Inbox folded, so that a match is shown once: under the search.
    await row('Inbox').click();
    await row('Team').waitFor({ state: 'detached', timeout: 10_000 });
    await session.contextMenu(row('Inbox'), 'Search Mailbox…');
    await session.quickInput().locator('.quick-input-title', { hasText: 'Search INBOX' }).waitFor({ timeout: 10_000 });
    const input = session.quickInput().locator('input.input');
    await input.fill('subject:"go/no-go');
    const problem = session.quickInput().locator('.quick-input-message');
    await problem.filter({ hasText: /quote opened at character 9 is not closed/ }).waitFor({ timeout: 10_000 });
    await input.press('Enter');
    // Refused: the box stays open with the query as typed, and nothing was searched.
    assert.deepEqual([await input.isVisible(), await input.inputValue(), await row('Search: subject:"go/no-go').count()], [true, 'subject:"go/no-go', 0]);
    await input.fill('subject:"go/no-go"');
    await input.press('Enter');
    const search = row('Search: subject:"go/no-go"');
    await search.waitFor({ timeout: 30_000 });
    assert.equal((await search.locator('.label-description').innerText()).trim(), '2 found · INBOX');
    await session.clearNotifications();
    await session.screenshot('mailbox-search', page.locator('.part.sidebar'));
    assert.equal(await row('Release 2.4 go/no-go').count(), 1);
    await row('Release 2.4 go/no-go').click();
    await session.editorText('Can everyone confirm go/no-go for tomorrow by noon?').waitFor({ timeout: 30_000 });
  });

  it('mail bob sends alice raises "New mail from Bob Okafor: …", and its Open shows the message', async () => {
    const subject = `Build artefacts for 2.4 (${Date.now()})`;
    const { host, port } = sandbox.box.info.smtp;
    const transport = nodemailer.createTransport({ host, port, secure: false, requireTLS: true, tls: { ca: readFileSync(sandbox.box.info.caFile, 'utf8') },
      auth: { type: 'OAuth2', user: BOB, accessToken: sandbox.box.identity.control.mintAccessToken({ upn: BOB, unique_name: BOB }, { user: BOB }) } });
    try {
      await transport.sendMail({ from: `Bob Okafor <${BOB}>`, to: ALICE, subject, text: 'The artefacts are on the build server.' });
    } finally {
      transport.close();
    }
    const notification = session.toast(`New mail from Bob Okafor: ${subject}`);
    await notification.waitFor({ timeout: 60_000 });
    await notification.locator('.monaco-button', { hasText: /^Open$/ }).click();
    await session.editorText('The artefacts are on the build server.').waitFor({ timeout: 30_000 });
    assert.ok(await session.editorText(`Subject: ${subject}`).count(), 'the message\'s headers shown');
  });
});
