/**
 * The user's story in the browser: new mail is counted while Alice's Inbox opens (Exchange
 * throttling its first FETCH keeps it opening for 4 s, so the count comes in the middle), then
 * again while it is open. The Inbox row shows each count, the new message is at the top of its
 * rows, the other rows stay, and each still opens when clicked; the workbench logs no tree failure.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALICE, ApprovingSandbox, startApprovingSandbox } from '../sandbox/approving';
import { accountSettingsFor } from '../sandbox/account-settings';
import { withMailbox } from '../sandbox/imapflow-client';
import { openSession, Session } from './workbench-session';

describe('New mail in the open Inbox (UI)', function () {
  let sandbox: ApprovingSandbox;
  let session: Session;

  before(async function () {
    this.timeout(240_000);
    sandbox = await startApprovingSandbox('ui-inbox-new-mail', ALICE);
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(sandbox.box.info) });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session.reportFailure('inbox-new-mail-failed');
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
  });

  const row = (label: string) => session.mailboxRow(label);
  /** New unread mail in Alice's Inbox, delivered straight to the server. */
  const deliver = (subject: string) => withMailbox(sandbox.box, ALICE, (client) => client.append('INBOX',
    `From: Priya Raman <priya.raman@contoso.test>\r\nTo: ${ALICE}\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\n\r\nAgenda attached.\r\n`, []));
  /** Lines of the workbench's logs that tell of a tree failing to render. */
  const treeFailures = () => readdirSync(session.server.userDataDir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.log'))
    .flatMap((e) => readFileSync(join(e.parentPath, e.name), 'utf8').split('\n'))
    .filter((line) => /already registered|actual command not found/i.test(line));

  async function opens(subject: string): Promise<void> {
    await row(subject).click();
    await session.page.locator('.editor-instance .view-lines', { hasText: `Subject: ${subject}` }).waitFor({ timeout: 15_000 });
  }

  it('mail counted while the Inbox opens: the row shows the count, and the messages come and open', async () => {
    await session.page.locator('.activitybar .action-item a[aria-label^="Mail"]').click();
    await session.runCommand('Exchange Mail: Sign In');
    await row('Inbox').waitFor({ timeout: 90_000 });
    await session.page.locator('.part.statusbar .statusbar-item', { hasText: `${ALICE}: 7 unread` }).waitFor({ timeout: 30_000 });
    sandbox.box.mail.faults.add({ user: ALICE, fault: { kind: 'imap-throttled', command: 'FETCH', backoffMs: 4000 } });
    await row('Inbox').click();
    await deliver('Release 2.5 planning');
    await row('Inbox').locator('.label-description', { hasText: /^8$/ }).waitFor({ timeout: 30_000 });
    await row('Release 2.5 planning').waitFor({ timeout: 30_000 });
    await opens('Re: Release 2.4 go/no-go');
  });

  it('mail counted while the Inbox is open: the new message is first among the rows, and the other rows still open', async () => {
    await deliver('Release 2.5 retro');
    await row('Inbox').locator('.label-description', { hasText: /^9$/ }).waitFor({ timeout: 30_000 });
    await row('Release 2.5 retro').waitFor({ timeout: 15_000 });
    await row('Re: Release 2.4 go/no-go').waitFor({ timeout: 5_000 });
    const labels = await session.mailboxesView().locator('.monaco-list-row[aria-level="3"]').allInnerTexts();
    const team = labels.findIndex((label) => label.startsWith('Team'));
    assert.ok(labels[team + 1]?.startsWith('Release 2.5 retro'), `the new message first after the Inbox's folders: ${JSON.stringify(labels)}`);
    await opens('Release 2.5 retro');
    await opens('Re: Release 2.4 go/no-go');
    assert.deepEqual(treeFailures(), []);
  });
});
