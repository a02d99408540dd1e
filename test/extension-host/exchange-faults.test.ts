/**
 * Exchange Online's own behaviour and faults, met in a real VS Code (code-server's extension
 * host) through the sandbox's Exchange front: `Inbox` in mixed case with a sub-folder, a token
 * that expires under a listing, a page or IDLE, throttling of the STATUS burst and of FETCH,
 * "authenticated but not connected", a connection dropped under a command. Each drill ends with
 * the user able to go on: nothing to do, or Retry / Refresh.
 */
import * as assert from 'node:assert/strict';
import type { ImapFlow } from 'imapflow';
import * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import type { SendOutcome } from '../../src/ui/send/delivery';
import type { TreeNode } from '../../src/ui/tree/mailboxes-tree';
import { readView } from './view-reader';
import type { FaultRequest } from '../sandbox/exchange/faults';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, setAccounts, signInAlice, startApprovingSandbox, withMailbox } from './approving-sandbox';
import { eventually } from '../eventually';

describe('Exchange Online\'s behaviour and faults in the Mailboxes view', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let api: ExchangeMailApi;

  const { item, labelOf, children, child } = readView(() => api.mailboxes);
  const alice = () => child(undefined, ALICE);
  const arm = (request: Omit<FaultRequest, 'user'>) => sandbox.box.mail.faults.add({ user: ALICE, ...request });
  const armed = () => sandbox.box.mail.faults.list().length;
  const firstFolders = async (count: number) => (await children(await alice())).slice(0, count).map((n) => [labelOf(n), item(n).description]);

  /** Signs out and in, so that the next use opens new connections (and logs in anew). */
  async function newSession(): Promise<void> {
    assert.equal(await vscode.commands.executeCommand('exchangeMail.signOut', ALICE), true);
    assert.equal(await vscode.commands.executeCommand('exchangeMail.signIn', ALICE), true);
  }

  /** A client of alice's mailbox of its own, straight to the server (not through the extension). */
  const withImap = <T>(use: (client: ImapFlow) => Promise<T>) => withMailbox(sandbox, ALICE, use);

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('exchange-faults');
    api = await signInAlice(accountSettingsFor(sandbox.box.info));
  });

  afterEach(() => {
    sandbox.box.mail.faults.clear();
  });

  after(async () => {
    await setAccounts(undefined);
    await sandbox?.stop();
  });

  it('Exchange\'s mixed-case Inbox comes first with its sub-folder and every count, each row once', async () => {
    const root = await alice();
    const folders = await children(root);
    assert.deepEqual(folders.slice(0, 2).map((n) => [labelOf(n), item(n).description]), [['Inbox', '7'], ['Drafts', undefined]]);
    const team = await child(await child(root, 'Inbox'), 'Team');
    assert.deepEqual([item(team).contextValue, (item(team).tooltip as string).split('\n')[0]], ['folder.openable', 'Inbox/Team']);
    // VS Code refuses a tree with two rows of one id ("Element with id … is already registered").
    const ids: string[] = [];
    const walk = async (nodes: TreeNode[]) => {
      for (const node of nodes.filter((n) => n.kind === 'folder')) {
        ids.push(String(item(node).id));
        await walk((await children(node)).filter((n) => n.kind === 'folder'));
      }
    };
    await walk(folders);
    assert.deepEqual([ids.length > 10, new Set(ids).size], [true, ids.length]);
  });

  it('signing in and showing the folders logs no session out: the tree opens connections once and closes none while it renders', async () => {
    assert.equal(await vscode.commands.executeCommand('exchangeMail.signOut', ALICE), true);
    // The signed-out session logs its connections out meanwhile; count from after that.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    sandbox.box.mail.activity.reset();
    // As the open view does: every change of the tree's data makes VS Code read it again.
    const rendering = api.mailboxes.onDidChangeTreeData(() => void (async () => {
      for (const node of await children()) if (node.kind === 'account') await children(node);
    })());
    try {
      assert.equal(await vscode.commands.executeCommand('exchangeMail.signIn', ALICE), true);
    } finally {
      rendering.dispose();
    }
    assert.deepEqual(await firstFolders(1), [['Inbox', '7']]);
    await eventually('the Inbox watch is counting', () => api.unreadStatus.text === `$(mail) ${ALICE}: 7 unread`);
    // The sign-in's own events come after the token: give them time to act, as they did.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { activity } = sandbox.box.mail;
    assert.deepEqual([activity.count(ALICE, 'logout'), activity.count(ALICE, 'login') <= 3], [0, true],
      `logins ${activity.count(ALICE, 'login')}, logouts ${activity.count(ALICE, 'logout')}`);
  });

  it('a token that expires under the folder listing is renewed without a word: the folders show', async () => {
    arm({ fault: { kind: 'imap-token-expired', command: 'LIST' } });
    await vscode.commands.executeCommand('exchangeMail.refresh');
    assert.deepEqual(await firstFolders(1), [['Inbox', '7']]);
    assert.equal(armed(), 0, 'the server never said AccessTokenExpired');
  });

  it('a token that expires under a page of messages is renewed without a word: the page shows', async () => {
    arm({ fault: { kind: 'imap-token-expired', command: 'FETCH' } });
    const messages = await children(await child(await alice(), 'Archive'));
    assert.deepEqual([messages.length, messages.every((n) => n.kind === 'message'), armed()], [3, true, 0]);
  });

  it('a token that expires while the Inbox watch idles: the watch comes back and counts new mail', async () => {
    await eventually('the unread count in the status bar', () => api.unreadStatus.text === `$(mail) ${ALICE}: 7 unread`);
    arm({ fault: { kind: 'imap-token-expired', command: 'IDLE' } });
    await eventually('the watch was told its token expired', () => armed() === 0, { timeoutMs: 30_000 });
    await withImap((client) => client.append('INBOX', `From: carol@outlook.test\r\nTo: ${ALICE}\r\nSubject: After the expiry\r\n\r\nHi.\r\n`, []));
    try {
      await eventually('8 unread in the status bar', () => api.unreadStatus.text === `$(mail) ${ALICE}: 8 unread`, { timeoutMs: 30_000 });
    } finally {
      await withImap(async (client) => {
        await client.mailboxOpen('INBOX');
        await client.messageDelete({ header: { subject: 'After the expiry' } });
      });
    }
    await eventually('7 unread again', () => api.unreadStatus.text === `$(mail) ${ALICE}: 7 unread`, { timeoutMs: 30_000 });
  });

  it('a STATUS burst that stays throttled leaves no count missing silently: "count unavailable", and Refresh counts it', async () => {
    arm({ fault: { kind: 'imap-throttled', command: 'STATUS', backoffMs: 20, status: 'NO' }, times: 0 });
    await vscode.commands.executeCommand('exchangeMail.refresh');
    const junk = await child(await alice(), 'Junk Email');
    assert.deepEqual([item(junk).description, item(junk).contextValue], ['count unavailable', 'folder.openable.noCount']);
    assert.match(item(junk).tooltip as string, /Request is throttled/);
    sandbox.box.mail.faults.clear();
    await vscode.commands.executeCommand('exchangeMail.refresh', junk);
    await eventually('the Junk Email count', async () => item(await child(await alice(), 'Junk Email')).description === '2');
    await vscode.commands.executeCommand('exchangeMail.refresh');
  });

  it('a throttled STATUS is asked again after the suggested back-off: every count shows', async () => {
    arm({ fault: { kind: 'imap-throttled', command: 'STATUS', backoffMs: 300 }, times: 3 });
    await vscode.commands.executeCommand('exchangeMail.refresh');
    const folders = await children(await alice());
    assert.equal(armed(), 0, 'three STATUS were throttled');
    assert.deepEqual(folders.filter((n) => item(n).description === 'count unavailable').map(labelOf), []);
    assert.equal(item(await child(await alice(), 'Junk Email')).description, '2');
  });

  it('a throttled FETCH is waited for and sent again: the folder\'s messages show', async () => {
    arm({ fault: { kind: 'imap-throttled', command: 'FETCH', backoffMs: 200, status: 'NO' } });
    const messages = await children(await child(await alice(), 'Conversation History'));
    assert.deepEqual([messages.map((n) => n.kind), armed()], [['message'], 0]);
  });

  it('"authenticated but not connected" is explained with the admin command, and Retry works once it is fixed', async () => {
    arm({ fault: { kind: 'imap-not-connected' }, times: 0 });
    await newSession();
    const [failure, ...rest] = await children(await alice());
    assert.ok(failure);
    const shown = item(failure);
    assert.deepEqual([failure.kind, rest.length, shown.command?.command], ['mailboxError', 0, 'exchangeMail.retry']);
    assert.match(String(shown.label), /accepted the sign-in but cannot open the mailbox alice@contoso\.test/);
    assert.doesNotMatch(`${String(shown.label)} ${String(shown.tooltip)}`, /check the network/i);
    assert.match(String(shown.tooltip), /Set-CASMailbox -Identity alice@contoso\.test -ImapEnabled \$true/);
    sandbox.box.mail.faults.clear();
    await vscode.commands.executeCommand('exchangeMail.retry', failure);
    assert.deepEqual(await firstFolders(1), [['Inbox', '7']]);
  });

  /** Sends an untitled Markdown document through the real command (confirmation off). */
  async function send(subject: string): Promise<SendOutcome> {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: `---\nto: bob@contoso.test\nsubject: ${subject}\n---\nHello.\n` });
    await vscode.window.showTextDocument(document);
    try {
      return await vscode.commands.executeCommand<SendOutcome>('exchangeMail.sendDocument');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }

  for (const scope of ['tenant', 'mailbox'] as const) {
    it(`SMTP AUTH turned off for the ${scope} (535 5.7.139) is explained with the command that turns it on; once on, the same send goes`, async () => {
      await vscode.workspace.getConfiguration('exchangeMail.send').update('confirm', false, vscode.ConfigurationTarget.Global);
      try {
        arm({ fault: { kind: 'smtp-auth-disabled', scope } });
        const failed = await send(`Refused ${scope}`);
        assert.equal(failed.status, 'failed', JSON.stringify(failed));
        const shown = failed.status === 'failed' ? `${failed.message} ${failed.fix}` : '';
        assert.equal(failed.status === 'failed' && failed.code, `smtp-auth-disabled-${scope}`);
        assert.match(shown, scope === 'tenant' ? /Set-TransportConfig -SmtpClientAuthenticationDisabled \$false/
          : /Set-CASMailbox -Identity alice@contoso\.test -SmtpClientAuthenticationDisabled \$false/);
        assert.equal((await send(`Sent after ${scope}`)).status, 'sent');
      } finally {
        await vscode.workspace.getConfiguration('exchangeMail.send').update('confirm', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  }

  it('a connection dropped under LIST is made anew at once; dropped again, the view says so with Retry, which works', async () => {
    arm({ fault: { kind: 'imap-drop', command: 'LIST' } });
    await vscode.commands.executeCommand('exchangeMail.refresh');
    assert.deepEqual(await firstFolders(1), [['Inbox', '7']]);
    arm({ fault: { kind: 'imap-drop', command: 'LIST' }, times: 2 });
    await vscode.commands.executeCommand('exchangeMail.refresh');
    const [failure] = await children(await alice());
    assert.ok(failure);
    assert.deepEqual([failure.kind, item(failure).command?.command], ['mailboxError', 'exchangeMail.retry']);
    assert.match(String(item(failure).label), /connection to the IMAP server .* was lost while listing folders/);
    await vscode.commands.executeCommand('exchangeMail.retry', failure);
    assert.deepEqual(await firstFolders(1), [['Inbox', '7']]);
  });
});
