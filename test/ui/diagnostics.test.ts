import * as assert from 'node:assert/strict';
import { accountSettingsFor } from '../sandbox/account-settings';
import type { Sandbox } from '../sandbox';
import { ALICE, ApprovingSandbox, startApprovingSandbox } from '../sandbox/approving';
import { openSession, Session } from './workbench-session';



describe('Test Connection in VS Code (UI)', function () {
  let sandbox: ApprovingSandbox;
  let box: Sandbox;
  let session: Session;

  before(async function () {
    this.timeout(240_000);
    sandbox = await startApprovingSandbox('ui-diagnostics', ALICE);
    box = sandbox.box;
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(box.info) });
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
  });

  it('"Exchange Mail: Test Connection" from the palette writes the checklist to the Exchange Mail log', async () => {
    const { page } = session;
    await session.runCommand('Exchange Mail: Test Connection');
    const all = page.locator('.quick-input-list .monaco-list-row', { hasText: 'All' }).first();
    await all.waitFor({ timeout: 30000 });
    await all.click();
    const panel = page.locator('.part.panel');
    const summary = panel.locator('.view-lines', { hasText: 'IMAP ✔ POP3 ✔ SMTP ✔' });
    await summary.waitFor({ timeout: 90000 });
    const text = (await panel.locator('.view-lines').first().innerText()).replace(/\s+/g, ' ');
    assert.match(text, /✔ IMAP token \([\d.]+ ms\) connect \([\d.]+ ms\) authenticate \([\d.]+ ms\) disconnect \([\d.]+ ms\)/);
    const toast = page.locator('.notification-toast', { hasText: `${ALICE}: IMAP ✔ POP3 ✔ SMTP ✔` });
    await toast.waitFor({ timeout: 30000 });
    await page.locator('.notification-toast.notification-fade-in-done', { hasText: `${ALICE}: IMAP ✔ POP3 ✔ SMTP ✔` }).waitFor({ timeout: 10000 });
    await session.screenshot('test-connection-checklist');
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Show Log' }).count(), 1);
  });
});
