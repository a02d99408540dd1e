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
import { ALICE, ApprovingSandbox, setAccounts, signInAlice, startApprovingSandbox, withMailbox } from './approving-sandbox';
import { answering, texts } from './window-answers';

describe('Search and new mail in VS Code', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let api: ExchangeMailApi;

  const { item, labelOf, children, child } = readView(() => api.mailboxes);
  const alice = () => child(undefined, ALICE);

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('search');
    api = await signInAlice(accountSettingsFor(sandbox.box.info).slice(0, 1));
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

  it('the title bar\'s Search asks where to search, even with a folder focused (VS Code hands title commands the focused row)', async () => {
    const inbox = await child(await alice(), 'Inbox');
    const { result, asked } = await answering('showQuickPick', () => undefined,
      () => vscode.commands.executeCommand('exchangeMail.searchFromViewTitle', inbox, [inbox]));
    assert.deepEqual([result, asked.map((args) => (args[1] as vscode.QuickPickOptions).placeHolder)], [undefined, ['Where to search']]);
  });

  it('a mistyped query is named and never sent: the last search stays', async () => {
    const inbox = await child(await alice(), 'Inbox');
    const { result, asked } = await answering('showErrorMessage', () => undefined, () => vscode.commands.executeCommand('exchangeMail.searchMailbox', inbox, 'form:bob'));
    assert.equal(result, undefined);
    assert.match(texts(asked).join('\n'), /The search was not sent: Unknown search key "form:"/);
    await child(await alice(), 'Search: subject:"go/no-go"');
  });

  it('a query with an unclosed quote is named and never sent', async () => {
    const inbox = await child(await alice(), 'Inbox');
    const { result, asked } = await answering('showErrorMessage', () => undefined,
      () => vscode.commands.executeCommand('exchangeMail.searchMailbox', inbox, 'subject:"release 2.4'));
    assert.deepEqual([result, texts(asked).length], [undefined, 1]);
    assert.match(texts(asked)[0]!, /^The search was not sent: .*quote/i);
    await child(await alice(), 'Search: subject:"go/no-go"');
  });

  it('Search Mailbox… across all folders finds the matches in every folder, newest first, and each opens from its own folder', async () => {
    await vscode.commands.executeCommand('exchangeMail.searchMailbox', await alice(), 'subject:pilot', { allFolders: true });
    const search = await child(await alice(), 'Search: subject:pilot');
    const found = await children(search);
    assert.deepEqual([item(search).description, found.map(labelOf)],
      ['3 found · all folders', ['Northwind: pilot feedback', 'Q4 customer pilots', 'Fabrikam: pilot scope']]);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('exchangeMail.openMessage', found[2]);
    assert.ok(document.getText().includes('Scope as discussed.'), document.getText());
  });

  /**
   * What the extension notified while `deliver` ran and a little after (a burst's notification
   * comes within a second), each notification answered by `answer` (dismissed by default).
   */
  async function notifiedDuring(deliver: () => Promise<unknown>, expectSome: boolean, answer: (...args: unknown[]) => unknown = () => undefined): Promise<string[]> {
    const { asked } = await answering('showInformationMessage', answer, async (shown) => {
      await deliver();
      if (expectSome) await eventually('the new-mail notification', () => shown.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 2500));
    });
    return texts(asked);
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

  it('the notification\'s Mark as Read marks the new message read on the server', async () => {
    const subject = 'Budget sign-off needed';
    const markRead = (text: unknown, ...buttons: unknown[]) => (String(text).startsWith('New mail from') ? buttons.find((b) => b === 'Mark as Read') : undefined);
    assert.deepEqual(await notifiedDuring(() => deliver(subject), true, markRead), [`New mail from Dana Whitfield: ${subject}`]);
    await eventually('the new message \\Seen on the server', () => withMailbox(sandbox, ALICE, async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      const uids = await client.search({ subject }, { uid: true });
      const fetched = Array.isArray(uids) && uids.length === 1 ? await client.fetchOne(String(uids[0]), { flags: true }, { uid: true }) : false;
      return fetched && fetched.flags?.has('\\Seen');
    }));
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
