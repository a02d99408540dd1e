/**
 * The user's story in the browser, for a team's shared mailbox: alice (who has FullAccess and
 * SendAs on shared@contoso.test in the sandbox's directory) adds it from her account's context
 * menu, sees its own folders and counts beside hers, and sends a document as shared@; bob finds
 * it in his Inbox from shared@. test-results/shared-mailbox.png is the README's picture.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, startApprovingSandbox } from '../sandbox/approving';
import { withSandboxImapflow } from '../sandbox/imapflow-client';
import { openSession, Session } from './workbench-session';

const SHARED = 'shared@contoso.test';
const BOB = 'bob@contoso.test';

describe('A shared mailbox in the browser (UI)', function () {
  let sandbox: ApprovingSandbox;
  let session: Session;

  before(async function () {
    this.timeout(240_000);
    sandbox = await startApprovingSandbox('ui-shared', ALICE);
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(sandbox.box.info), 'exchangeMail.send.confirm': false });
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
  });

  const row = (label: string) => session.mailboxRow(label);

  it('"Add Shared Mailbox…" on alice\'s account adds shared@ under its own name, with its own Inbox and count', async () => {
    const { page } = session;
    await page.locator('.activitybar .action-item a[aria-label^="Mail"]').click();
    await session.runCommand('Exchange Mail: Sign In');
    await row('Inbox').first().waitFor({ timeout: 90_000 });
    const input = page.locator('.quick-input-widget input.input');
    // Should a click still be swallowed, the menu is opened again.
    for (let attempt = 1; ; attempt++) {
      await row(ALICE).click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.waitFor({ timeout: 10_000 });
      const entries = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim());
      assert.ok(entries.includes('Add Shared Mailbox…'), entries.join(', '));
      // The workbench ignores a click on a menu that has only just opened (the right button's release).
      await page.waitForTimeout(500);
      await menu.locator('.action-label', { hasText: 'Add Shared Mailbox…' }).click();
      if (await input.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
      if (attempt === 3) assert.fail('"Add Shared Mailbox…" never asked for the address');
      await page.keyboard.press('Escape');
    }
    await input.fill(SHARED);
    await input.press('Enter');
    const shared = row(SHARED);
    await shared.waitFor({ timeout: 30_000 });
    assert.equal((await shared.locator('.label-description').innerText()).trim(), `shared · ${ALICE}`);
    // Two Inboxes now: alice's (7 unread) and shared@'s (2 unread), each under its mailbox.
    const inboxes = row('Inbox');
    const deadline = Date.now() + 60_000;
    let counts: string[] = [];
    while (Date.now() < deadline) {
      counts = (await inboxes.locator('.label-description').allInnerTexts()).map((t) => t.trim());
      if (counts.length === 2) break;
      await page.waitForTimeout(250);
    }
    assert.deepEqual(counts, ['7', '2']);
    await session.runCommand('Notifications: Clear All Notifications');
    await session.screenshot('shared-mailbox', page.locator('.part.sidebar'));
  });

  it('a document with "from: shared@" is sent as shared@ and bob gets it from shared@', async () => {
    const { page } = session;
    const folder = new URL(page.url()).searchParams.get('folder');
    assert.ok(folder, `no folder in ${page.url()}`);
    const subject = `From the team (${Date.now()})`;
    writeFileSync(join(folder, 'team-note.md'), `---\nfrom: ${SHARED}\nto: ${BOB}\nsubject: ${subject}\n---\nHello from the shared mailbox.\n`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input.input').fill('team-note.md');
    await widget.locator('.monaco-list-row', { hasText: 'team-note.md' }).first().click({ timeout: 30_000 });
    await page.locator('.tab.active', { hasText: 'team-note.md' }).waitFor({ timeout: 30_000 });
    await session.runCommand('Exchange Mail: Send Current Document…');
    await page.locator('.notification-toast', { hasText: 'Message-ID' }).waitFor({ timeout: 60_000 });
    const token = sandbox.box.identity.control.mintAccessToken({ upn: BOB, unique_name: BOB });
    const from = await withSandboxImapflow(sandbox.box.info, { user: BOB, accessToken: token }, async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      const uids = await client.search({ subject }, { uid: true });
      const message = uids && uids.length ? await client.fetchOne(String(uids[0]), { source: true }, { uid: true }) : false;
      return message && message.source ? (await simpleParser(message.source)).from?.value[0]?.address : undefined;
    });
    assert.equal(from, SHARED);
  });
});
