/**
 * Reply, Forward and New Message in a real VS Code (code-server's extension host), against a
 * whole sandbox started here: alice replies to bob's mail from her Inbox and forwards the budget
 * PDF, each a Markdown draft that "Send Current Document" sends (confirmation off); bob's Inbox
 * and alice's server flags are read straight from the server. Alice signs in by device code,
 * approved through the sandbox's control API.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';
import { ParsedMail, simpleParser } from 'mailparser';
import * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import type { SendOutcome } from '../../src/ui/send/delivery';
import { readView } from './view-reader';
import { accountSettingsFor } from '../sandbox/account-settings';
import { ALICE, ApprovingSandbox, setAccounts, signInAlice, startApprovingSandbox, withMailbox } from './approving-sandbox';
import { eventually } from '../eventually';
import { answering, texts } from './window-answers';

const BOB = 'bob@contoso.test';

describe('Reply, Forward and New Message in VS Code', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let api: ExchangeMailApi;

  const { child, item } = readView(() => api.mailboxes);
  const inbox = async () => child(await child(undefined, ALICE), 'Inbox');
  const message = async (subject: string) => child(await inbox(), subject);

  /** `use` with `user`'s Inbox selected, straight to the server (not through the extension). */
  const withImap = <T>(user: string, use: (client: ImapFlow) => Promise<T>) => withMailbox(sandbox, user, async (client) => {
    await client.mailboxOpen('INBOX');
    return use(client);
  });

  /** The message of this subject in bob's Inbox once it has arrived, parsed. */
  async function arrivedAtBob(subject: string): Promise<ParsedMail> {
    return eventually(`"${subject}" in bob's Inbox`, () => withImap(BOB, async (client) => {
      const uids = await client.search({ subject }, { uid: true });
      if (!Array.isArray(uids) || uids.length === 0) return undefined;
      const fetched = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
      return fetched && fetched.source ? simpleParser(fetched.source) : undefined;
    }));
  }

  /** The flags and Message-ID of alice's Inbox message of this subject, from the server. */
  const onServer = (subject: string) => withImap(ALICE, async (client) => {
    const uids = await client.search({ subject }, { uid: true });
    if (!Array.isArray(uids) || uids.length === 0) return undefined;
    const fetched = await client.fetchOne(String(uids[0]), { flags: true, envelope: true }, { uid: true });
    return fetched ? { uid: fetched.uid, flags: [...(fetched.flags ?? [])], messageId: fetched.envelope?.messageId } : undefined;
  });

  const deleteOnServer = (subject: string) => withImap(ALICE, async (client) => {
    const uids = await client.search({ subject }, { uid: true });
    assert.ok(Array.isArray(uids) && uids.length === 1, `one "${subject}" to delete`);
    await client.messageDelete(String(uids[0]), { uid: true });
  });

  async function draftFor(command: string, subject: string): Promise<vscode.TextEditor> {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(command, await message(subject));
    assert.ok(editor, `${command} opened no draft`);
    assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the draft is the active editor');
    return editor;
  }

  /** Writes `text` where the cursor is, as the user would, and sends the draft. */
  async function typeAndSend(editor: vscode.TextEditor, text: string): Promise<SendOutcome> {
    await editor.edit((edit) => edit.insert(editor.selection.active, text));
    return vscode.commands.executeCommand<SendOutcome>('exchangeMail.sendDocument');
  }

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('replies');
    await vscode.workspace.getConfiguration('exchangeMail.send').update('confirm', false, vscode.ConfigurationTarget.Global);
    api = await signInAlice([accountSettingsFor(sandbox.box.info)[0]]);
  });

  afterEach(async () => {
    for (let i = 0; i < 10 && vscode.window.visibleTextEditors.length; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('exchangeMail.send').update('confirm', undefined, vscode.ConfigurationTarget.Global);
    await setAccounts(undefined);
    await sandbox?.stop();
  });

  it('Reply to bob\'s mail arrives at bob in the thread (In-Reply-To, References), and the original shows answered on the server and in the view', async () => {
    const subject = 'Customer call moved to 15:00';
    const original = await onServer(subject);
    assert.ok(original?.messageId && !original.flags.includes('\\Answered'), JSON.stringify(original));
    const editor = await draftFor('exchangeMail.reply', subject);
    const draft = editor.document.getText();
    assert.match(draft, new RegExp(`^---\\nfrom: ${ALICE}\\nto: Bob Okafor <${BOB}>\\nsubject: 'Re: ${subject}'\\nin-reply-to: ${original.messageId}\\n`));
    assert.match(draft, /\n> Tom from Northwind asked to move it an hour later\. Works for you\?/);

    const outcome = await typeAndSend(editor, 'Works for me.\n');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.deepEqual(outcome.status === 'sent' && outcome.original, { status: 'marked' });
    const arrived = await arrivedAtBob(`Re: ${subject}`);
    assert.deepEqual([arrived.inReplyTo, arrived.references], [original.messageId, original.messageId]);
    assert.match(arrived.text ?? '', /^Works for me\.\n/);
    assert.ok((await onServer(subject))?.flags.includes('\\Answered'), 'the original is \\Answered');
    // And shown so in the view at once, as Outlook shows it: a reply arrow, "answered" in the tooltip.
    const shown = item(await message(subject));
    assert.deepEqual([(shown.iconPath as vscode.ThemeIcon).id, (shown.tooltip as vscode.MarkdownString).value.includes('answered')], ['reply', true]);
  });

  it('Reply All from an open message\'s tab answers the sender and the other recipients, without alice', async () => {
    const tab = await vscode.commands.executeCommand<vscode.TextDocument>('exchangeMail.openMessage', await message('Team photo'));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('exchangeMail.replyAll', tab.uri);
    assert.match(editor?.document.getText() ?? '', new RegExp(`^---\\nfrom: ${ALICE}\\nto: Marco Bianchi <marco\\.bianchi@contoso\\.test>, Bob Okafor <${BOB}>\\nsubject: 'Re: Team photo'\\n`));
  });

  it('Forward of the budget mail carries budget-q3.pdf to bob', async () => {
    const subject = 'Q3 budget review: figures attached';
    const editor = await draftFor('exchangeMail.forward', subject);
    const attachment = /\nattachments:\n {2}- (.+)\n/.exec(editor.document.getText())?.[1];
    assert.ok(attachment?.endsWith('budget-q3.pdf') && existsSync(attachment), `the attachment written to a file: ${attachment}`);
    const to = editor.document.getText().indexOf('\nto:') + '\nto:'.length;
    await editor.edit((edit) => edit.insert(editor.document.positionAt(to), ` ${BOB}`));

    const outcome = await typeAndSend(editor, 'FYI, the Q3 figures.\n');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    // Exchange keeps no $Forwarded keyword (its PERMANENTFLAGS), so the forward is not marked; nothing is said.
    assert.deepEqual(outcome.status === 'sent' && outcome.original, { status: 'not-kept' });
    const arrived = await arrivedAtBob(`Fw: ${subject}`);
    assert.deepEqual(arrived.attachments.map((a) => [a.filename, a.contentType]), [['budget-q3.pdf', 'application/pdf']]);
    assert.match(arrived.attachments[0]!.content.toString('latin1'), /^%PDF-[\s\S]*Q3 budget/);
    assert.match(arrived.text ?? '', /---------- Forwarded message ----------\nFrom: Hannah Schmidt <hannah\.schmidt@contoso\.test>/);
  });

  it('a reply whose original was deleted meanwhile is sent all the same, says the original could not be marked, and keeps the draft', async () => {
    const subject = 'Slides for Monday';
    const editor = await draftFor('exchangeMail.reply', subject);
    await deleteOnServer(subject);
    const outcome = await typeAndSend(editor, 'Thanks, got them.\n');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    const mark = outcome.status === 'sent' ? outcome.original : undefined;
    assert.equal(mark?.status, 'failed');
    assert.match(mark?.status === 'failed' ? mark.message : '', /is no longer in "INBOX"/);
    assert.ok((await arrivedAtBob(`Re: ${subject}`)).text?.startsWith('Thanks, got them.'));
    assert.match(editor.document.getText(), /^---\n[\s\S]*\nThanks, got them\.\n/, 'the draft is as it was');
  });

  it('Reply on a message deleted elsewhere since the view listed it says so, and opens no draft', async () => {
    const subject = 'Coffee chat';
    const node = await message(subject);
    await deleteOnServer(subject);
    const editors = vscode.window.visibleTextEditors.length;
    const { result, asked } = await answering('showErrorMessage', () => undefined, () => vscode.commands.executeCommand<vscode.TextEditor | undefined>('exchangeMail.reply', node));
    const errors = texts(asked);
    assert.equal(result, undefined);
    assert.equal(vscode.window.visibleTextEditors.length, editors);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^Reply failed: The message \d+ is no longer in "INBOX"\. Refresh the folder/);
  });

  it('an attachment that does not exist stops the send with its name; nothing is sent and the draft is untouched', async () => {
    const subject = `Missing file ${Date.now()}`;
    const text = `---\nto: ${BOB}\nsubject: ${subject}\nattachments:\n  - /nowhere/figures-q3.xlsx\n---\nThe figures.\n`;
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    await vscode.window.showTextDocument(document);
    const outcome = await vscode.commands.executeCommand<SendOutcome>('exchangeMail.sendDocument');
    assert.deepEqual(outcome, { status: 'refused', code: 'attachment-missing', message: 'The attachment "/nowhere/figures-q3.xlsx" does not exist (/nowhere/figures-q3.xlsx).' });
    assert.equal(document.getText(), text);
    assert.equal(await withImap(BOB, async (client) => (await client.search({ subject }, { uid: true }) || []).length), 0);
  });

  it('New Message opens a draft from alice with to: and subject: to fill in', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('exchangeMail.newMessage');
    assert.deepEqual([editor.document.languageId, editor.document.getText()], ['markdown', `---\nfrom: ${ALICE}\nto:\nsubject:\n---\n\n`]);
    assert.equal(editor.document.offsetAt(editor.selection.active), `---\nfrom: ${ALICE}\nto:`.length);
  });
});
