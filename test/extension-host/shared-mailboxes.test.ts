/**
 * Shared mailboxes in a real VS Code, against the sandbox, whose directory gives alice FullAccess
 * and SendAs on shared@contoso.test and bob neither (as Exchange's Add-MailboxPermission and
 * Add-RecipientPermission would): alice adds shared@ to her account from its node, reads its
 * folders, and sends as it; bob, who may not, is told which command grants it.
 */
import * as assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import type { TestConnectionResult } from '../../src/diagnostics/test-connection';
import type { Pop3MailboxSummary } from '../../src/mail/pop3';
import type { SendOutcome } from '../../src/ui/send/delivery';
import { readView } from './view-reader';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, setAccounts, startApprovingSandbox, withMailbox } from './approving-sandbox';

const EXTENSION_ID = 'exchange-mail.exchange-mail';
const BOB = 'bob@contoso.test';
const SHARED = 'shared@contoso.test';

describe('Shared mailboxes in VS Code', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let api: ExchangeMailApi;

  const { item, labelOf, children, child } = readView(() => api.mailboxes);

  /** Alice's (or bob's) sandbox account as the only account. */
  async function onlyAccount(address: string, extra: Record<string, unknown> = {}): Promise<void> {
    await setAccounts([{ ...accountSettingsFor(sandbox.box.info)[0], address, ...extra }]);
  }

  async function sendUntitled(text: string): Promise<SendOutcome> {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    await vscode.window.showTextDocument(document);
    try {
      return await vscode.commands.executeCommand<SendOutcome>('exchangeMail.sendDocument');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }

  /** The message of this subject in `user`'s Inbox, read straight from the server. */
  function delivered(user: string, subject: string): Promise<{ from?: string } | undefined> {
    return withMailbox(sandbox, user, async (client) => {
      await client.mailboxOpen('INBOX');
      const uids = await client.search({ subject }, { uid: true });
      if (!Array.isArray(uids) || uids.length === 0) return undefined;
      const message = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
      const parsed = message && message.source ? await simpleParser(message.source) : undefined;
      return { from: parsed?.from?.value[0]?.address };
    });
  }

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('shared-mailboxes');
    await onlyAccount(ALICE);
    await vscode.workspace.getConfiguration('exchangeMail.send').update('confirm', false, vscode.ConfigurationTarget.Global);
    api = await vscode.extensions.getExtension<ExchangeMailApi>(EXTENSION_ID)!.activate();
    assert.equal(await vscode.commands.executeCommand('exchangeMail.signIn', ALICE), true, 'alice could not sign in');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('exchangeMail.send').update('confirm', undefined, vscode.ConfigurationTarget.Global);
    await setAccounts(undefined);
    await sandbox?.stop();
  });

  it('"Add Shared Mailbox…" on alice\'s account shows shared@ after it, opened with her sign-in, with its own folders and counts', async () => {
    const alice = await child(undefined, ALICE);
    assert.equal(await vscode.commands.executeCommand('exchangeMail.addSharedMailbox', alice, SHARED), SHARED);
    const saved = vscode.workspace.getConfiguration('exchangeMail').get<{ sharedMailboxes?: string[] }[]>('accounts');
    assert.deepEqual(saved?.[0]?.sharedMailboxes, [SHARED]);
    const roots = await children();
    assert.deepEqual(roots.map((n) => [labelOf(n), item(n).description, item(n).contextValue]),
      [[ALICE, 'signed in', 'account.signedIn'], [SHARED, `shared · ${ALICE}`, 'sharedMailbox.signedIn']]);
    // shared@'s own Inbox (4 messages, 2 unread), not alice's (30, 7).
    const inbox = await child(await child(undefined, SHARED), 'Inbox');
    assert.equal(item(inbox).description, '2');
    assert.equal((await children(inbox)).filter((n) => n.kind === 'message').length, 4);
  });

  it('a document with "from: shared@" is sent as shared@ with alice\'s sign-in and arrives from shared@', async () => {
    const subject = `From the team ${Date.now()}`;
    const outcome = await sendUntitled(`---\nfrom: ${SHARED}\nto: ${BOB}\nsubject: ${subject}\n---\nHello from the shared mailbox.\n`);
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.equal(outcome.status === 'sent' && outcome.from, SHARED);
    assert.deepEqual(await delivered(BOB, subject), { from: SHARED });
  });

  it('Test Connection and Check POP3 Mailbox on shared@\'s node test shared@, signed in as alice', async () => {
    const node = await child(undefined, SHARED);
    const tested = await vscode.commands.executeCommand<TestConnectionResult>('exchangeMail.testConnection', node, 'imap');
    assert.deepEqual(tested?.protocols.map((p) => [p.protocol, p.ok, p.user, p.warnings.map((w) => w.code)]), [['imap', true, SHARED, []]]);
    const pop3 = await vscode.commands.executeCommand<Pop3MailboxSummary | undefined>('exchangeMail.checkPop3Mailbox', node);
    assert.equal(pop3?.messageCount, 4, 'shared@\'s Inbox over POP3, not alice\'s');
  });

  it('"Remove Shared Mailbox" takes it out of the view and the settings', async () => {
    assert.equal(await vscode.commands.executeCommand('exchangeMail.removeSharedMailbox', await child(undefined, SHARED)), true);
    assert.deepEqual((await children()).map(labelOf), [ALICE]);
    assert.equal(vscode.workspace.getConfiguration('exchangeMail').get<{ sharedMailboxes?: string[] }[]>('accounts')?.[0]?.sharedMailboxes, undefined);
  });

  describe('as bob, who has neither FullAccess nor SendAs on shared@', () => {
    before(async () => {
      sandbox.approveAs(BOB);
      await onlyAccount(BOB, { sharedMailboxes: [SHARED] });
      assert.equal(await vscode.commands.executeCommand('exchangeMail.signIn', BOB), true, 'bob could not sign in');
    });

    it('the shared mailbox says the server would not open it, with the Add-MailboxPermission line filled in', async () => {
      const [failure, ...rest] = await children(await child(undefined, SHARED));
      assert.ok(failure);
      assert.deepEqual([failure.kind, rest.length, item(failure).command?.command], ['mailboxError', 0, 'exchangeMail.retry']);
      assert.match(String(item(failure).label), /would not open the shared mailbox shared@contoso\.test for bob@contoso\.test/);
      assert.match(String(item(failure).tooltip),
        /Add-MailboxPermission -Identity shared@contoso\.test -User bob@contoso\.test -AccessRights FullAccess -InheritanceType All/);
    });

    it('sending as shared@ fails after the data with the Add-RecipientPermission line filled in; nothing is delivered', async () => {
      const subject = `Not allowed ${Date.now()}`;
      const outcome = await sendUntitled(`---\nfrom: ${SHARED}\nto: ${ALICE}\nsubject: ${subject}\n---\nShould not arrive.\n`);
      assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.status === 'failed' && outcome.code, 'send-as-denied');
      assert.match(outcome.status === 'failed' ? `${outcome.message} ${outcome.fix}` : '',
        /Add-RecipientPermission -Identity shared@contoso\.test -Trustee bob@contoso\.test -AccessRights SendAs/);
      assert.equal(await delivered(ALICE, subject), undefined);
    });
  });
});
