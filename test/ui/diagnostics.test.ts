import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountSettingsFor } from '../sandbox/account-settings';
import { Sandbox, startSandbox } from '../sandbox';
import { openSession, Session } from './workbench-session';

const ALICE = 'alice@contoso.test';

describe('Test Connection in VS Code (UI)', function () {
  let stateDir: string;
  let box: Sandbox;
  let session: Session;
  let approving: NodeJS.Timeout | undefined;

  before(async function () {
    this.timeout(240_000);
    stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-ui-diagnostics-'));
    box = await startSandbox({ stateDir });
    box.identity.control.setDeviceCodeInterval(1);
    // The person at the browser approves the device code the sign-in shows.
    approving = setInterval(() => {
      for (const pending of box.identity.control.pendingDeviceCodes()) {
        try {
          box.identity.control.approveDeviceCode(pending.userCode, ALICE);
        } catch {
          // Approved or expired meanwhile.
        }
      }
    }, 200);
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(box.info) });
  });

  after(async () => {
    clearInterval(approving);
    await session?.close();
    await box?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
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
