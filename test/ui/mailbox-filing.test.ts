/**
 * Filing and writing in alice's mailbox in the browser, from the Mailboxes view as a person does
 * it: Flag and Unflag, Junk and Not Junk, Move to Folder… with its Undo from their context menus,
 * and New Message from the view's title, with an attachment that does not exist (refused, the
 * draft kept) and then one that does. What happened is read straight from the sandbox's servers.
 * (./mailbox-actions.test.ts has Reply, Forward, Archive, Delete, Search and new mail.)
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, startApprovingSandbox } from '../sandbox/approving';
import { arrivedInInbox, foldersHolding as holding, withMailbox } from '../sandbox/imapflow-client';
import { openSession, Session, TYPING_SETTINGS } from './workbench-session';

const BOB = 'bob@contoso.test';

describe('Filing and writing mail in the browser (UI)', function () {
  let sandbox: ApprovingSandbox;
  let session: Session;
  /** Where the files to attach are: a folder code-server reads as any other. */
  const files = mkdtempSync(join(tmpdir(), 'exchange-mail-ui-attachments-'));

  before(async function () {
    this.timeout(240_000);
    sandbox = await startApprovingSandbox('ui-filing', ALICE);
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(sandbox.box.info), 'exchangeMail.send.confirm': false, ...TYPING_SETTINGS });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session.reportFailure(`mailbox-filing-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
    rmSync(files, { recursive: true, force: true });
  });

  const row = (label: string) => session.mailboxRow(label);
  /** The folders of alice's mailbox that hold a message of this subject, straight from the server. */
  const foldersHolding = (subject: string, ...paths: string[]) => withMailbox(sandbox.box, ALICE, (client) => holding(client, subject, paths));
  /** Whether the server has \Flagged on the Inbox message of this subject. */
  const flaggedOnServer = (subject: string) => withMailbox(sandbox.box, ALICE, async (client) => {
    await client.mailboxOpen('INBOX', { readOnly: true });
    const uids = await client.search({ subject }, { uid: true });
    assert.ok(Array.isArray(uids) && uids.length === 1, `one "${subject}" in the Inbox`);
    const message = await client.fetchOne(String(uids[0]), { flags: true }, { uid: true });
    return message ? message.flags?.has('\\Flagged') : undefined;
  });
  /** The active editor's text as shown, its lines in the order they are drawn. */
  const editorLines = async () => {
    const lines = await Promise.all((await session.page.locator('.editor-instance .view-lines').first().locator('.view-line').all())
      .map(async (line) => ({ top: parseFloat(/top:\s*([\d.]+)px/.exec(await line.getAttribute('style') ?? '')?.[1] ?? 'NaN'), text: await line.innerText() })));
    return lines.sort((a, b) => a.top - b.top).map((line) => line.text.replace(/\u00a0/g, ' ')).join('\n');
  };

  it('signs alice in and opens her Inbox', async () => {
    await session.signInAndOpenInbox(`${ALICE}: 7 unread`, 'Customer call moved to 15:00');
  });

  it('Flag from a message\'s menu sets \\Flagged on the server and shows a star; Unflag from the same menu clears both', async () => {
    const subject = 'Scheduled maintenance: VPN gateway Saturday 06:00-08:00';
    assert.equal(await flaggedOnServer(subject), false);
    await session.contextMenu(row(subject), 'Flag');
    await row(subject).locator('.codicon-star-full').waitFor({ timeout: 30_000 });
    assert.match(await row(subject).getAttribute('aria-label') ?? '', /, flagged$/);
    assert.equal(await flaggedOnServer(subject), true);
    await session.contextMenu(row(subject), 'Unflag');
    await row(subject).locator('.codicon-mail-read').waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await row(subject).getAttribute('aria-label') ?? '', /flagged/);
    assert.equal(await flaggedOnServer(subject), false);
  });

  it('Junk from a message\'s menu moves it to Junk Email; there, Not Junk brings it back to the Inbox, not announced as new mail', async () => {
    const subject = 'Contract renewal draft';
    await session.contextMenu(row(subject), 'Junk');
    await session.toast('Moved 1 message to "Junk Email".').waitFor({ timeout: 30_000 });
    await row(subject).waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Junk Email'), ['Junk Email']);
    await session.clearNotifications();
    // The Inbox folded, so that Junk Email's row is in sight.
    await row('Inbox').click();
    await row('Team').waitFor({ state: 'detached', timeout: 10_000 });
    await row('Junk Email').click();
    await row(subject).waitFor({ timeout: 30_000 });
    await session.contextMenu(row(subject), 'Not Junk');
    await session.toast('Moved 1 message to "Inbox".').waitFor({ timeout: 30_000 });
    await row(subject).waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Junk Email'), ['INBOX']);
    // Back in the Inbox, unread, with a new UID: still not new mail (the watch would have said so within about 2 s).
    await session.page.waitForTimeout(3000);
    assert.equal(await session.toast(/new mail|new messages/i).count(), 0, 'no new-mail notification for a message back from Junk Email');
    await session.clearNotifications();
    await row('Junk Email').click();
    await row('Inbox').click();
    await row(subject).waitFor({ timeout: 30_000 });
  });

  it('Move to Folder… from a message\'s menu lists the other folders; the one picked holds it on the server; the notification\'s Undo puts it back', async () => {
    const subject = '[contoso-web] Pull request #482: Add folder paging';
    const { page } = session;
    await session.contextMenu(row(subject), 'Move to Folder…');
    const picker = session.quickInput();
    await picker.locator('.quick-input-title', { hasText: 'Move to Folder' }).waitFor({ timeout: 10_000 });
    const option = (label: string) => picker.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
    await option('Archive').waitFor({ timeout: 10_000 });
    assert.equal(await option('Deleted Items').count(), 1);
    // Filtered by "Inbox": its sub-folder is offered (by its path), the Inbox itself, where the message is, is not.
    await picker.locator('input.input').fill('Inbox');
    await option('Archive').waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual([await option('Team').count(), await option('Inbox').count()], [1, 0]);
    await option('Team').click();
    const moved = session.toast('Moved 1 message to "Inbox/Team".');
    await moved.waitFor({ timeout: 30_000 });
    await row(subject).waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'INBOX/Team'), ['INBOX/Team']);
    await moved.locator('.monaco-button', { hasText: /^Undo$/ }).click();
    await row(subject).waitFor({ timeout: 30_000 });
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'INBOX/Team'), ['INBOX']);
    await session.clearNotifications();
  });

  it('New Message from the view\'s title opens a Markdown draft; an attachment that does not exist is named, nothing is sent, the draft stays as written', async () => {
    const missing = join(files, 'budget-final.xlsx');
    await session.viewTitleAction('New Message');
    await session.editorText(`from: ${ALICE}`).waitFor({ timeout: 30_000 });
    assert.equal(await editorLines(), `---\nfrom: ${ALICE}\nto:\nsubject:\n---\n\n`);
    assert.equal((await session.page.locator('.part.statusbar [id="status.editor.mode"]').innerText()).trim(), 'Markdown');
    // Typed from where the draft puts the cursor: after `to:`.
    const { keyboard } = session.page;
    await keyboard.type(` ${BOB}`);
    await keyboard.press('ArrowDown');
    await keyboard.press('End');
    await keyboard.type(' Notes for the 2.4 release');
    await keyboard.press('Enter');
    await keyboard.type(`attachments: ${missing}`);
    await keyboard.press('Control+End');
    await keyboard.type('The notes are attached.');
    const written = `---\nfrom: ${ALICE}\nto: ${BOB}\nsubject: Notes for the 2.4 release\nattachments: ${missing}\n---\n\nThe notes are attached.`;
    await session.editorText('The notes are attached.').waitFor({ timeout: 10_000 });
    assert.equal(await editorLines(), written);

    await session.runCommand('Exchange Mail: Send Current Document…');
    await session.toast(`The attachment "${missing}" does not exist`).waitFor({ timeout: 30_000 });
    assert.equal(await editorLines(), written, 'the draft as written');
    assert.equal(await session.page.locator('.tab.active.dirty', { hasText: 'Untitled' }).count(), 1, 'the draft still open, not saved');
    await session.clearNotifications();
  });

  it('the attachment\'s path corrected, the draft is sent: bob gets it once, with the file', async () => {
    const subject = 'Notes for the 2.4 release';
    const notes = join(files, 'release-notes.txt');
    writeFileSync(notes, 'Release 2.4: folder paging, search, new-mail notifications.\n');
    // The fifth line, `attachments:`, written again.
    const { keyboard } = session.page;
    await keyboard.press('Control+Home');
    for (let line = 1; line < 5; line++) await keyboard.press('ArrowDown');
    await keyboard.press('End');
    await keyboard.press('Shift+Home');
    await keyboard.type(`attachments: ${notes}`);
    await session.editorText(`attachments: ${notes}`).waitFor({ timeout: 10_000 });

    await session.sendActiveDraft();
    const message = await arrivedInInbox(sandbox.box, BOB, subject);
    assert.deepEqual(message.attachments.map((a) => [a.filename, a.contentType, a.content.toString('utf8')]),
      [['release-notes.txt', 'text/plain', 'Release 2.4: folder paging, search, new-mail notifications.\n']]);
    // The text part is the Markdown body as written: after the draft's empty line.
    assert.equal(message.text?.trim(), 'The notes are attached.');
    const received = await withMailbox(sandbox.box, BOB, async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return client.search({ subject }, { uid: true });
    });
    assert.equal(Array.isArray(received) ? received.length : 0, 1, 'sent once: the refused attempt sent nothing');
    await session.discardEditor();
    await session.clearNotifications();
  });
});
