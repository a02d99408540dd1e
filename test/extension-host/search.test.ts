/**
 * Search and new-mail notifications in a real VS Code, against a sandbox started here: alice
 * searches her Inbox by subject and opens a match; a message delivered from outside (APPENDed
 * straight to her Inbox) raises one notification naming its sender and subject.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import { readView } from './view-reader';
import { accountSettingsFor } from '../sandbox/account-settings';
import { eventually } from '../eventually';
import { ALICE, ApprovingSandbox, setAccounts, startApprovingSandbox, withMailbox } from './approving-sandbox';

const EXTENSION_ID = 'exchange-mail.exchange-mail';

describe('Search and new mail in VS Code', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let api: ExchangeMailApi;

  const { item, labelOf, children, child } = readView(() => api.mailboxes);
  const alice = () => child(undefined, ALICE);

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('search');
    await setAccounts(accountSettingsFor(sandbox.box.info).slice(0, 1));
    api = await vscode.extensions.getExtension<ExchangeMailApi>(EXTENSION_ID)!.activate();
    assert.equal(await vscode.commands.executeCommand('exchangeMail.signIn', ALICE), true, 'alice could not sign in');
  });

  after(async () => {
    await setAccounts(undefined);
    await sandbox?.stop();
  });

  it('Search Mailbox… on the Inbox by subject shows "Search: …" under alice with both matches, newest first, and opens one', async () => {
    const inbox = await child(await alice(), 'Inbox');
    await vscode.commands.executeCommand('exchangeMail.searchMailbox', inbox, 'subject:"go/no-go"');
    const search = await child(await alice(), 'Search: subject:"go/no-go"');
    const found = await children(search);
    assert.deepEqual([item(search).description, found.map(labelOf)], ['2 found · INBOX', ['Re: Release 2.4 go/no-go', 'Release 2.4 go/no-go']]);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('exchangeMail.openMessage', found[1]);
    assert.ok(document.getText().includes('Can everyone confirm go/no-go for tomorrow by noon?'), document.getText());
  });

  it('a mistyped query is named and never sent: the last search stays', async () => {
    const showErrorMessage = vscode.window.showErrorMessage;
    const shown: string[] = [];
    vscode.window.showErrorMessage = (async (message: string) => { shown.push(message); return undefined; }) as typeof showErrorMessage;
    try {
      assert.equal(await vscode.commands.executeCommand('exchangeMail.searchMailbox', await child(await alice(), 'Inbox'), 'form:bob'), undefined);
    } finally {
      vscode.window.showErrorMessage = showErrorMessage;
    }
    assert.match(shown.join('\n'), /The search was not sent: Unknown search key "form:"/);
    await child(await alice(), 'Search: subject:"go/no-go"');
  });

  /** What the extension notified while `deliver` ran and a little after (a burst's notification comes within a second). */
  async function notifiedDuring(deliver: () => Promise<unknown>, expectSome: boolean): Promise<string[]> {
    const showInformationMessage = vscode.window.showInformationMessage;
    const shown: string[] = [];
    vscode.window.showInformationMessage = (async (message: string) => { shown.push(message); return undefined; }) as typeof showInformationMessage;
    try {
      await deliver();
      if (expectSome) await eventually('the new-mail notification', () => shown.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 2500));
    } finally {
      vscode.window.showInformationMessage = showInformationMessage;
    }
    return shown;
  }
  const deliver = (...subjects: string[]) => withMailbox(sandbox, ALICE, async (client) => {
    for (const subject of subjects) {
      await client.append('INBOX', `From: Dana Whitfield <dana@fabrikam.test>\r\nTo: alice@contoso.test\r\nSubject: ${subject}\r\n\r\nSee the portal.\r\n`, []);
    }
  });

  it('mail delivered to the Inbox from outside raises "New mail from <sender>: <subject>" once', async () => {
    await eventually('the Inbox watch counting', () => api.unreadStatus.text.endsWith('7 unread'));
    // The first count's look at the Inbox sets where new mail starts: let it finish.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(await notifiedDuring(() => deliver('Quarterly numbers are in'), true), ['New mail from Dana Whitfield: Quarterly numbers are in']);
  });

  it('three messages delivered together make one notification that counts them', async () => {
    assert.deepEqual(await notifiedDuring(() => deliver('Part 1', 'Part 2', 'Part 3'), true), [`3 new messages in ${ALICE}`]);
  });

  it('with exchangeMail.notifications.newMail off, new mail raises none', async () => {
    await vscode.workspace.getConfiguration().update('exchangeMail.notifications.newMail', false, vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(await notifiedDuring(() => deliver('Quiet please'), false), []);
    } finally {
      await vscode.workspace.getConfiguration().update('exchangeMail.notifications.newMail', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
