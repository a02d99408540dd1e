/**
 * The user's story in the browser: with Alice's sandbox account in settings, sign in from the
 * palette (the device code approved through the sandbox's control API, as the person on the
 * other device would), see her folders in the Mailboxes view, open the nested Projects/2026/Q4,
 * open a message, and see the Inbox unread count in the status bar. The screenshots
 * test-results/mailboxes-tree.png and test-results/message-open.png are the README's.
 */
import * as assert from 'node:assert/strict';
import { Locator } from 'playwright-core';
import type { Sandbox } from '../sandbox';
import { ALICE, ApprovingSandbox, startApprovingSandbox } from '../sandbox/approving';
import { accountSettingsFor } from '../sandbox/account-settings';
import { openSession, Session } from './workbench-session';



describe('Reading mail in the Mailboxes view (UI)', function () {
  let sandbox: ApprovingSandbox;
  let box: Sandbox;
  let session: Session;

  before(async function () {
    this.timeout(240_000);
    sandbox = await startApprovingSandbox('ui-mailboxes', ALICE);
    box = sandbox.box;
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(box.info) });
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
  });

  const view = () => session.mailboxesView();
  const row = (label: string) => session.mailboxRow(label);

  async function description(target: Locator): Promise<string> {
    return (await target.locator('.label-description').innerText()).trim();
  }

  it('after signing in, the view shows Alice\'s folders, the unread count on Inbox, and Projects/2026/Q4 nested', async () => {
    const { page } = session;
    await page.locator('.activitybar .action-item a[aria-label^="Mail"]').click();
    await session.runCommand('Exchange Mail: Sign In');
    const inbox = row('Inbox');
    await inbox.waitFor({ timeout: 90_000 });
    assert.equal(await description(inbox), '7');
    // Exchange lists it as `Inbox`, its sub-folder as `Inbox/Team`: one Inbox, Team under it.
    await inbox.click();
    const team = row('Team');
    await team.waitFor({ timeout: 30_000 });
    assert.deepEqual([await inbox.getAttribute('aria-level'), await team.getAttribute('aria-level'), await description(team)], ['2', '3', '1']);
    await inbox.click();
    await team.waitFor({ state: 'detached', timeout: 10_000 });
    await row('Projects').click();
    await row('2026').click();
    const q4 = row('Q4');
    await q4.waitFor({ timeout: 30_000 });
    assert.deepEqual([await q4.getAttribute('aria-level'), await description(q4)], ['4', '1']);
    await q4.click();
    await row('Q4 staffing').waitFor({ timeout: 30_000 });
    await session.screenshot('mailboxes-tree', page.locator('.part.sidebar'));
  });

  it('clicking a message opens its headers and text in an editor tab', async () => {
    const { page } = session;
    await row('Projects').click();
    await row('Inbox').click();
    const newest = row('Re: Release 2.4 go/no-go');
    await newest.waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-instance .view-lines', { hasText: 'Subject: Re: Release 2.4 go/no-go' });
    // The Inbox watch may redraw the rows under the pointer: a click it swallowed is clicked again.
    for (let attempt = 1; ; attempt++) {
      await newest.click();
      const shown = await editor.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 3) {
        await session.screenshot('message-open-failed');
        throw new Error('clicking the newest message opened no editor (test-results/message-open-failed.png)');
      }
    }
    const text = (await editor.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /From: Priya Raman <priya\.raman@contoso\.test>.*the smoke tests are green/);
    // The sign-in's notifications would cover the message in the README's picture.
    await session.runCommand('Notifications: Clear All Notifications');
    await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await session.screenshot('message-open');
  });

  it('a folder whose count Exchange throttled says "count unavailable", and its Refresh button counts it', async () => {
    // The open Inbox's 30 messages would push Junk Email out of the (virtual) list.
    await row('Inbox').click();
    await row('Team').waitFor({ state: 'detached', timeout: 10_000 });
    box.mail.faults.add({ user: ALICE, fault: { kind: 'imap-throttled', command: 'STATUS', backoffMs: 20, status: 'NO' }, times: 0 });
    try {
      await session.runCommand('Exchange Mail: Refresh');
      const junk = row('Junk Email');
      await junk.locator('.label-description', { hasText: 'count unavailable' }).waitFor({ timeout: 30_000 });
      box.mail.faults.clear();
      await junk.hover();
      await junk.locator('.action-label[aria-label^="Refresh"]').click();
      await junk.locator('.label-description', { hasText: /^2$/ }).waitFor({ timeout: 30_000 });
    } finally {
      box.mail.faults.clear();
    }
  });

  it('"authenticated but not connected" shows why and the admin command; Retry brings the folders back', async () => {
    box.mail.faults.add({ user: ALICE, fault: { kind: 'imap-not-connected' }, times: 0 });
    try {
      await session.runCommand('Exchange Mail: Sign Out');
      await row('Sign in to see folders').waitFor({ timeout: 30_000 });
      await session.runCommand('Exchange Mail: Sign In');
      const failure = view().locator('.monaco-list-row', { hasText: /accepted the sign-in but cannot open the mailbox/ });
      await failure.waitFor({ timeout: 90_000 });
      await session.runCommand('Notifications: Clear All Notifications');
      await failure.hover();
      const hover = session.page.locator('.monaco-hover, .workbench-hover', { hasText: 'Set-CASMailbox -Identity alice@contoso.test -ImapEnabled $true' });
      await hover.waitFor({ timeout: 10_000 });
      await session.screenshot('mailbox-not-connected');
      box.mail.faults.clear();
      await failure.click();
      await row('Inbox').waitFor({ timeout: 60_000 });
    } finally {
      box.mail.faults.clear();
    }
  });

  it('the status bar shows Alice\'s Inbox unread count', async () => {
    const item = session.page.locator('.part.statusbar .statusbar-item', { hasText: `${ALICE}: 7 unread` });
    await item.waitFor({ timeout: 30_000 });
    assert.match(await item.innerText(), /alice@contoso\.test: 7 unread/);
  });
});
