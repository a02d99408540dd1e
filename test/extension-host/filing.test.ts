/**
 * Filing messages in a real VS Code (code-server's extension host), against a sandbox started
 * here: Move to Folder… with its folder pick, Junk and Not Junk, Delete Permanently with its
 * modal confirmation (cancelled, then accepted), and a move to a folder Outlook removed
 * meanwhile. The prompts are answered as the user would (./window-answers); what happened is
 * read straight from the server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/mailboxes-tree';
import { readView } from './view-reader';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, setAccounts, signInAlice, startApprovingSandbox, withMailbox } from './approving-sandbox';
import { answering, texts } from './window-answers';
import { foldersHolding as holding } from '../sandbox/imapflow-client';

describe('Filing messages in VS Code', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let api: ExchangeMailApi;

  const { item, labelOf, children, child } = readView(() => api.mailboxes);
  const alice = () => child(undefined, ALICE);
  const folder = async (path: string) => {
    let node: TreeNode | undefined;
    for (const name of path.split('/')) node = await child(node ?? await alice(), name);
    return node!;
  };
  const message = async (path: string, subject: string) => child(await folder(path), subject);

  /** Which folders hold a message of this subject, straight from the server. */
  const foldersHolding = (subject: string, ...paths: string[]) => withMailbox(sandbox, ALICE, (client) => holding(client, subject, paths));

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('filing');
    api = await signInAlice(accountSettingsFor(sandbox.box.info).slice(0, 1));
  });

  after(async () => {
    await setAccounts(undefined);
    await sandbox?.stop();
  });

  it('Move to Folder… offers the openable folders but the message\'s own, and moves it to the one picked', async () => {
    const subject = 'Offsite agenda';
    const picked = await answering('showQuickPick', (items) => (items as { path: string }[]).find((i) => i.path === 'Projects/2026/Q4'),
      async () => vscode.commands.executeCommand<unknown[]>('exchangeMail.moveToFolder', await message('Inbox', subject)));
    const offered = (picked.asked[0]![0] as { path: string }[]).map((i) => i.path);
    assert.deepEqual([offered.includes('INBOX'), offered.includes('Clients'), offered.includes('Clients/Fabrikam'), offered.includes('Projects/2026/Q4')],
      [false, false, true, true], offered.join(', '));
    assert.equal(picked.result?.length, 1, 'one move');
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Projects/2026/Q4'), ['Projects/2026/Q4']);
    assert.ok((await children(await folder('Projects/2026/Q4'))).some((n) => labelOf(n) === subject), 'shown in Q4');
  });

  it('Move to Folder… dismissed moves nothing', async () => {
    const subject = 'Benefits enrollment opens next week';
    const { result } = await answering('showQuickPick', () => undefined,
      async () => vscode.commands.executeCommand('exchangeMail.moveToFolder', await message('Inbox', subject)));
    assert.equal(result, undefined);
    assert.deepEqual(await foldersHolding(subject, 'INBOX'), ['INBOX']);
  });

  it('Junk moves a message to Junk Email, where its menu offers Not Junk, which takes it back to the Inbox', async () => {
    const subject = 'Kickoff follow-up';
    await vscode.commands.executeCommand('exchangeMail.markJunk', await message('Inbox', subject));
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Junk Email'), ['Junk Email']);
    const junked = await message('Junk Email', subject);
    assert.match(item(junked).contextValue ?? '', /^message\.read\.junk$/);
    await vscode.commands.executeCommand('exchangeMail.markNotJunk', junked);
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Junk Email'), ['INBOX']);
  });

  it('Delete Permanently asks first, in a modal dialog; Cancel deletes nothing', async () => {
    const subject = 'New laptop ready for pickup';
    const { result, asked } = await answering('showWarningMessage', () => undefined,
      async () => vscode.commands.executeCommand('exchangeMail.deletePermanently', await message('Inbox', subject)));
    assert.deepEqual([result, texts(asked), (asked[0]![1] as vscode.MessageOptions).modal, asked[0]!.slice(2)],
      [undefined, [`Delete "${subject}" permanently?`], true, ['Delete Permanently']]);
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Deleted Items'), ['INBOX']);
  });

  it('Delete Permanently confirmed removes the message for good: not in the Inbox, not in Deleted Items', async () => {
    const subject = 'New laptop ready for pickup';
    const { result } = await answering('showWarningMessage', () => 'Delete Permanently',
      async () => vscode.commands.executeCommand('exchangeMail.deletePermanently', await message('Inbox', subject)));
    assert.equal(result, true);
    assert.deepEqual(await foldersHolding(subject, 'INBOX', 'Deleted Items'), []);
    assert.ok(!(await children(await folder('Inbox'))).some((n) => labelOf(n) === subject), 'gone from the view');
  });

  it('a move to a folder removed meanwhile names the folder, and the message stays where it was', async () => {
    const subject = 'Invoice 2026-118';
    await withMailbox(sandbox, ALICE, (client) => client.mailboxCreate('Invoices 2026'));
    await vscode.commands.executeCommand('exchangeMail.refresh', await alice());
    await folder('Invoices 2026');
    const node = await message('Inbox', subject);
    // Outlook removes the folder while the view still shows it.
    await withMailbox(sandbox, ALICE, (client) => client.mailboxDelete('Invoices 2026'));
    const { result, asked } = await answering('showErrorMessage', () => undefined,
      () => vscode.commands.executeCommand('exchangeMail.moveToFolder', node, undefined, 'Invoices 2026'));
    assert.equal(result, undefined);
    assert.equal(asked.length, 1);
    assert.match(texts(asked)[0]!, /^Moving "Invoice 2026-118" to "Invoices 2026" failed: The folder "Invoices 2026" no longer exists; the messages stay where they were\. Refresh the account/);
    assert.deepEqual(await foldersHolding(subject, 'INBOX'), ['INBOX']);
    assert.ok((await children(await folder('Inbox'))).some((n) => labelOf(n) === subject), 'still shown in the Inbox');
  });
});
