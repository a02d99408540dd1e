/**
 * The user's story in the browser: add a sandbox account and a shared mailbox from the command
 * palette by typing into the wizard, see both in the Mailboxes view, sign in by device code
 * (approved through the sandbox identity platform's control API, as the person on the other
 * device would), and see the account signed in. Screenshots go to test-results/.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Locator } from 'playwright-core';
import { ensureCertificates, SandboxCertificates } from '../sandbox/certificates';
import { appByKey, CONTOSO_TENANT_ID } from '../sandbox/directory';
import { IdentityPlatform, startIdentityPlatform } from '../sandbox/identity';
import { eventually } from '../eventually';
import { openSession, Session } from './workbench-session';

describe('Accounts in the browser (UI)', function () {
  let session: Session;
  let platform: IdentityPlatform;
  let certificates: SandboxCertificates;
  let stateDir: string;

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-ui-identity-'));
    certificates = ensureCertificates(stateDir);
    platform = await startIdentityPlatform({ stateDir, certificates });
    platform.control.setDeviceCodeInterval(1);
    session = await openSession();
  });

  after(async () => {
    await session?.close();
    await platform?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const widget = () => session.quickInput();
  const answer = (expected: string, value?: string) => session.answer(expected, value);

  // By exact label: a shared mailbox's row names its account in its description.
  const accountRow = (address: string): Locator => session.mailboxRow(address);

  async function descriptionOf(row: Locator): Promise<string> {
    return (await row.locator('.label-description').innerText()).trim();
  }

  async function shows(row: Locator, description: string, timeoutMs: number): Promise<void> {
    await eventually(`the account to show "${description}"`, async () => {
      const shown = await descriptionOf(row);
      if (shown === description) return true;
      throw new Error(`it shows "${shown}"`);
    }, { timeoutMs, intervalMs: 250 });
  }

  it('adds a Custom account with a shared mailbox by typing into the wizard, refusing a bad address first', async () => {
    const { page } = session;
    await page.locator('.activitybar .action-item a[aria-label^="Mail"]').click();
    await session.runCommand('Exchange Mail: Add Account…');
    await answer('Email address of the mailbox', 'alice');
    const message = widget().locator('.quick-input-message');
    await message.filter({ hasText: 'must be an email address' }).waitFor({ timeout: 10000 });
    assert.match(await message.innerText(), /The address must be an email address such as someone@contoso.com \(got "alice"\)/);
    await session.screenshot('add-account-validation', widget());
    await answer('someone@contoso.com', 'alice@contoso.test');
    await answer('Where the mailbox is', 'Custom');
    await answer('How to sign in', 'Device code');
    await answer('Protocols to use');
    await answer('Application (client) ID', appByKey('public').clientId);
    await answer('Tenant:', CONTOSO_TENANT_ID);
    await answer('IMAP server as host:port', '127.0.0.1:10993');
    await answer('How IMAP on port 10993 is secured', 'TLS');
    await answer('POP3 server as host:port', '127.0.0.1:10995');
    await answer('How POP3 on port 10995 is secured', 'TLS');
    await answer('SMTP server as host:port', '127.0.0.1:10587');
    await answer('How SMTP on port 10587 is secured', 'STARTTLS');
    await answer('Identity platform (authority host)', platform.url);
    await answer('Exchange resource of the delegated scopes');
    await answer('Extra CA certificates to trust', certificates.caFile);
    await answer('Shared mailboxes this sign-in also opens', 'shared@contoso.test, alice@contoso.test');
    await message.filter({ hasText: 'own mailbox' }).waitFor({ timeout: 10000 });
    assert.equal((await message.innerText()).trim(), 'alice@contoso.test is the account\'s own mailbox.');
    await session.screenshot('add-account-shared-mailboxes', widget());
    // The message stands where the prompt was; the placeholder is still the input's.
    await answer('support@contoso.com, alerts@contoso.com', 'shared@contoso.test');
    const row = accountRow('alice@contoso.test');
    await row.waitFor({ timeout: 30000 });
    assert.equal(await descriptionOf(row), 'not signed in');
    const shared = accountRow('shared@contoso.test');
    await shared.waitFor({ timeout: 10000 });
    assert.equal(await descriptionOf(shared), 'shared · alice@contoso.test');
    await session.screenshot('account-added');
  });

  it('signs in by device code from the notification and shows the account signed in', async () => {
    const { page } = session;
    await session.runCommand('Exchange Mail: Sign In');
    const toast = page.locator('.notification-toast', { hasText: 'enter the code' });
    await toast.waitFor({ timeout: 60000 }).catch(async (err: Error) => {
      await session.screenshot('device-code-missing');
      const shown = await page.locator('.notification-toast').allInnerTexts();
      throw new Error(`${err.message}\nnotifications: ${shown.join(' | ')}`);
    });
    const text = await toast.innerText();
    const code = /enter the code (\S+)/.exec(text)?.[1];
    assert.ok(code, `no code in the notification: ${text}`);
    assert.match(text, /Copy and Open/);
    await page.locator('.notification-toast.notification-fade-in-done', { hasText: 'enter the code' }).waitFor({ timeout: 10000 });
    await session.screenshot('device-code-notification');
    platform.control.approveDeviceCode(code, 'alice@contoso.test');
    const row = accountRow('alice@contoso.test');
    await shows(row, 'signed in', 60_000);
    // The code is gone with the sign-in: no stale notification is left.
    await toast.waitFor({ state: 'detached', timeout: 15000 });
    await session.screenshot('account-signed-in');
  });

  it('signs out from the context menu of the account', async () => {
    const { page } = session;
    const row = accountRow('alice@contoso.test');
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10000 });
    const entries = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim());
    assert.ok(entries.includes('Sign Out') && entries.includes('Remove Account'), `the menu offers ${entries.join(', ')}`);
    assert.ok(!entries.includes('Sign In'), 'a signed-in account is offered Sign In');
    await session.screenshot('account-context-menu');
    await menu.locator('.action-label', { hasText: 'Sign Out' }).click();
    await shows(row, 'not signed in', 30_000);
  });
});
