/**
 * The diagnostics commands in a real VS Code (code-server's extension host), run the way the
 * palette runs them, against a whole sandbox this suite starts (identity platform, Dovecot,
 * Postfix) and the account settings a user would write for it. The device-code sign-in is
 * approved through the sandbox's control API, as the person at the browser would.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestConnectionResult } from '../../src/diagnostics/test-connection';
import type { Pop3MailboxSummary } from '../../src/mail/pop3';
import { accountSettingsFor } from '../sandbox/account-settings';
import type { Sandbox } from '../sandbox';
import { ALICE, ApprovingSandbox, setAccounts, startApprovingSandbox } from './approving-sandbox';

describe('Diagnostics commands in VS Code', function () {
  this.timeout(120_000);
  let sandbox: ApprovingSandbox;
  let box: Sandbox;
  let account: Record<string, unknown>;

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('diagnostics', ALICE);
    box = sandbox.box;
    account = accountSettingsFor(box.info)[0]!;
    await setAccounts([account]);
  });

  after(async () => {
    await setAccounts(undefined);
    await sandbox?.stop();
  });

  it('Test Connection passes token, connect, authenticate and disconnect for IMAP, POP3 and SMTP', async () => {
    const result = await vscode.commands.executeCommand<TestConnectionResult | undefined>('exchangeMail.testConnection', ALICE, 'all');
    assert.deepEqual(result?.protocols.map((r) => [r.protocol, r.ok, r.steps.map((s) => s.step).join(',')]), [
      ['imap', true, 'token,connect,authenticate,disconnect'],
      ['pop3', true, 'token,connect,authenticate,disconnect'],
      ['smtp', true, 'token,connect,authenticate,disconnect'],
    ]);
  });

  it('Test Connection stops SMTP at connect, unreachable, when the account names a port nothing listens on', async () => {
    await setAccounts([{ ...account, smtp: { ...(account.smtp as object), port: 9 } }]);
    try {
      const result = await vscode.commands.executeCommand<TestConnectionResult | undefined>('exchangeMail.testConnection', ALICE, 'smtp');
      assert.deepEqual(result?.protocols.map((r) => [r.protocol, r.failedStep, r.error?.code]), [['smtp', 'connect', 'server-unreachable']]);
    } finally {
      await setAccounts([account]);
    }
  });

  it('Show Token Details opens the decoded claims with the expiry, never the token', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('exchangeMail.showTokenDetails', ALICE, 'imap');
    const text = document?.getText() ?? '';
    assert.ok(text.includes('IMAP.AccessAsUser.All') && text.includes('Expires (exp)') && !/eyJ[A-Za-z0-9_-]{20,}/.test(text), text);
  });

  it('Check POP3 Mailbox counts the messages of alice\'s inbox', async () => {
    const summary = await vscode.commands.executeCommand<Pop3MailboxSummary | undefined>('exchangeMail.checkPop3Mailbox', ALICE);
    assert.ok(summary && summary.messageCount > 0 && summary.totalBytes > 0, JSON.stringify(summary));
  });

  it('Copy Exchange Admin Setup Commands puts the filled-in PowerShell on the clipboard', async () => {
    const script = await vscode.commands.executeCommand<string | undefined>('exchangeMail.copyAdminSetupCommands', ALICE);
    const clipboard = await vscode.env.clipboard.readText();
    // Alice signs in as herself: the protocols for her mailbox, and the app's admin-consent link.
    assert.ok(script?.includes(`Set-CASMailbox -Identity ${ALICE} -ImapEnabled $true`) && script.includes(`Connect-ExchangeOnline -Organization ${box.info.tenantId}`)
      && script.includes(`${box.info.authorityHost}/${box.info.tenantId}/adminconsent?client_id=${box.info.apps.public.clientId}`), script);
    assert.equal(clipboard, script);
  });
});
