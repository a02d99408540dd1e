/**
 * "Send Current Document…" and "Send Selection…" in a real VS Code (code-server's extension
 * host), against the sandbox started here (identity platform, Postfix, Dovecot): what the editor
 * holds — saved or not, untitled too — arrives in the recipient's Inbox, front matter replaces
 * the prompts, the prompts refuse bad addresses while the user types, and the document is never
 * touched. Prompts are answered from a script, except through the real command, which runs
 * with its front matter and the confirmation turned off.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { ParsedMail, simpleParser } from 'mailparser';
import * as vscode from 'vscode';
import type { Account } from '../../src/accounts/account';
import { secretKeys } from '../../src/auth/token-source';
import { AccountSettings } from '../../src/ui/accounts/account-settings';
import { createAuthPorts } from '../../src/ui/accounts/auth-ports';
import { SendCommandContext, SendOutcome } from '../../src/ui/send/delivery';
import { sendDocumentCommand, SendScope } from '../../src/ui/send/send-document';
import { AddressRequest, SendPrompts, SendSummary, SubjectRequest } from '../../src/ui/send/send-prompts';
import { SignIns } from '../../src/ui/accounts/sign-ins';
import { eventually } from '../eventually';
import { Sandbox, startSandbox } from '../sandbox';
import { accountSettingsFor } from '../sandbox/account-settings';
import { MemorySecrets } from './memory-secrets';

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const SHARED = 'shared@contoso.test';


class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys() {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : defaultValue) as T | undefined;
  }
  async update(key: string, value: unknown) {
    this.values.set(key, value);
  }
}

type Scripted = string | null;

/**
 * Answers the send prompts from a script, as a person would: an address the input refuses is
 * recorded in `refusals` and the next scripted answer is typed. `null` presses Escape.
 */
class ScriptedSendPrompts implements SendPrompts {
  readonly asked: string[] = [];
  readonly refusals: string[] = [];
  readonly summaries: SendSummary[] = [];
  suggestedSubject?: string;
  offeredAccounts: string[] = [];

  constructor(private readonly answers: Scripted[], private readonly confirmWith = true) {}

  private next(what: string): Scripted {
    if (this.answers.length === 0) throw new Error(`asked more than the script answers: ${what}`);
    return this.answers.shift() as Scripted;
  }

  async addresses(request: AddressRequest) {
    this.asked.push(request.field);
    for (;;) {
      const answer = this.next(request.field);
      if (answer === null) return undefined;
      const problem = request.validate(answer);
      if (!problem) return answer;
      this.refusals.push(problem);
    }
  }

  async subject(request: SubjectRequest) {
    this.asked.push('Subject');
    this.suggestedSubject = request.suggested;
    const answer = this.next('Subject');
    return answer === null ? undefined : answer || request.suggested;
  }

  async account(accounts: Account[]) {
    this.asked.push('Account');
    this.offeredAccounts = accounts.map((a) => a.address);
    const answer = this.next('Account');
    return accounts.find((a) => a.address === answer);
  }

  async confirm(summary: SendSummary) {
    this.summaries.push(summary);
    return this.confirmWith;
  }
}

async function setUserSetting(key: string, value: unknown): Promise<void> {
  const dot = key.lastIndexOf('.');
  await vscode.workspace.getConfiguration(key.slice(0, dot)).update(key.slice(dot + 1), value, vscode.ConfigurationTarget.Global);
}

async function closeAllEditors(): Promise<void> {
  // Reverts unsaved documents so that closing them asks nothing.
  for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Send Current Document in VS Code', function () {
  this.timeout(120_000);
  let stateDir: string;
  let sandbox: Sandbox;
  let settings: AccountSettings;
  let secrets: MemorySecrets;
  let log: vscode.LogOutputChannel;
  let signIns: SignIns;
  let memento: MemoryMemento;

  /** Alice by device code (the settings `npm run sandbox` prints) and the shared mailbox by client credentials. */
  function sandboxAccounts(): Record<string, unknown>[] {
    const [alice] = accountSettingsFor(sandbox.info);
    const shared = { ...alice, address: SHARED, authMode: 'client-credentials', clientId: sandbox.info.apps.daemon.clientId, credential: 'secret' };
    return [alice, shared];
  }

  function context(): SendCommandContext {
    return { settings, signIns, secrets, log, memento };
  }

  function send(scope: SendScope, prompts: SendPrompts): Promise<SendOutcome> {
    return sendDocumentCommand(context(), scope, undefined, prompts);
  }

  async function withMailbox<T>(user: string, folder: string, use: (client: ImapFlow) => Promise<T>): Promise<T> {
    const imap = sandbox.info.imap.exchange;
    const client = new ImapFlow({
      host: imap.host, port: imap.port, secure: true, tls: { ca: readFileSync(sandbox.info.caFile, 'utf8') }, logger: false,
      auth: { user, accessToken: sandbox.identity.control.mintAccessToken({ upn: user, unique_name: user }) },
    });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.mailboxOpen(folder, { readOnly: true });
      return await use(client);
    } finally {
      await client.logout();
    }
  }

  /** The message with this Message-ID in the user's folder, waiting for delivery to finish. */
  async function received(user: string, messageId: string, folder = 'INBOX'): Promise<ParsedMail> {
    return simpleParser(await eventually(`${messageId} to arrive in ${user}'s ${folder}`, () => withMailbox(user, folder, async (client) => {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      if (!uids || !uids.length) return undefined;
      const message = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
      return message ? message.source : undefined;
    }), { intervalMs: 250 }));
  }

  async function untitled(content: string, language = 'markdown'): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument({ language, content });
    return vscode.window.showTextDocument(document);
  }

  function sent(outcome: SendOutcome): Extract<SendOutcome, { status: 'sent' }> {
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    return outcome as Extract<SendOutcome, { status: 'sent' }>;
  }

  before(async function () {
    this.timeout(240_000);
    stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-send-'));
    sandbox = await startSandbox({ stateDir });
    sandbox.identity.control.setDeviceCodeInterval(1);
  });

  after(async () => {
    await setUserSetting('exchangeMail.accounts', undefined);
    await setUserSetting('exchangeMail.send.confirm', undefined);
    await setUserSetting('files.autoSave', undefined);
    await setUserSetting('exchangeMail.send.asAttachment', undefined);
    await sandbox?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await setUserSetting('exchangeMail.accounts', sandboxAccounts());
    settings = new AccountSettings();
    secrets = new MemorySecrets();
    await secrets.store(secretKeys.clientSecret(SHARED), sandbox.info.apps.daemon.clientSecret);
    log = vscode.window.createOutputChannel('Exchange Mail send test', { log: true });
    signIns = new SignIns(createAuthPorts({ secrets } as unknown as vscode.ExtensionContext, log));
    memento = new MemoryMemento();
  });

  afterEach(async () => {
    await closeAllEditors();
    settings.dispose();
    signIns.dispose();
    log.dispose();
  });

  it('the real command refuses an invalid address, naming it, and leaves the unsaved document as it was', async () => {
    const text = `---\nto: bob@contoso.test, bob@@contoso.test\nsubject: Typo\n---\n# Notes\n\nNot sent.\n`;
    const editor = await untitled(text);
    assert.equal(editor.document.isDirty, true);
    const outcome = await vscode.commands.executeCommand<SendOutcome>('exchangeMail.sendDocument');
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.status === 'refused' ? outcome.message : '', /"bob@@contoso\.test" is not a valid email address \(in To\)/);
    assert.equal(editor.document.getText(), text);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.isClosed, false);
  });

  it('the prompts refuse a bad To address as the user types, naming it, and an empty To; Cc may stay empty', async () => {
    await untitled('# Weekly report\n\nAll good.\n');
    const prompts = new ScriptedSendPrompts([SHARED, 'bob@', '', BOB, '', ''], false);
    const outcome = await send('document', prompts);
    assert.equal(outcome.status, 'cancelled', 'the script declines the confirmation');
    assert.deepEqual(prompts.asked, ['Account', 'To', 'Cc', 'Subject']);
    assert.deepEqual(prompts.refusals, ['"bob@" is not a valid email address (in To)', 'Enter at least one address for To']);
    assert.equal(prompts.suggestedSubject, 'Weekly report');
    assert.match(prompts.summaries[0].detail, /^From: shared@contoso\.test\nTo: bob@contoso\.test\nSubject: Weekly report\nSize: about \d+(\.\d)? KB, HTML from the Markdown/);
  });

  it('front matter gives From, To, Cc and Subject: nothing is asked and the message arrives as written', async () => {
    const body = `# Release 1.4\n\nSent at ${Date.now()}.\n`;
    await untitled(`---\nfrom: Contoso Shared <${SHARED}>\nto: Bob Okafor <${BOB}>\ncc: [${ALICE}]\nsubject: Release 1.4 notes\n---\n${body}`);
    const prompts = new ScriptedSendPrompts([]);
    const outcome = sent(await send('document', prompts));
    assert.deepEqual(prompts.asked, []);
    const message = await received(BOB, outcome.messageId);
    assert.equal(message.subject, 'Release 1.4 notes');
    assert.deepEqual(message.from?.value, [{ name: 'Contoso Shared', address: SHARED }]);
    assert.equal(message.cc && !Array.isArray(message.cc) ? message.cc.text : undefined, ALICE);
    assert.equal(message.text?.trim(), body.trim());
    assert.match(String(message.html), /<h1>(<a [^>]*class="anchor"[^>]*><\/a>)?Release 1\.4<\/h1>/);
  });

  it('an untitled, never saved document is sent as it is in the editor, and stays open and unsaved', async () => {
    const editor = await untitled('draft\n', 'plaintext');
    const typed = `Typed at ${Date.now()}, never saved.\nSecond line.\n`;
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), typed));
    const prompts = new ScriptedSendPrompts([SHARED, BOB, '', 'Untitled note']);
    const outcome = sent(await send('document', prompts));
    const message = await received(BOB, outcome.messageId);
    assert.equal(message.text?.trim(), typed.trim());
    assert.equal(message.html, false);
    assert.deepEqual([editor.document.getText(), editor.document.isDirty, editor.document.isClosed], [typed, true, false]);
  });

  it('a saved file with unsaved changes is sent as the editor shows it, not as on disk', async () => {
    // The web workbench saves after a delay by default; a desktop user's unsaved edit is the case here.
    await setUserSetting('files.autoSave', 'off');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? mkdtempSync(join(tmpdir(), 'exchange-mail-send-ws-'));
    const file = join(folder, `notes-${Date.now()}.md`);
    writeFileSync(file, '# On disk\n\nOld text.\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    await editor.edit((edit) => edit.insert(new vscode.Position(3, 0), '\nNew, unsaved text.\n'));
    const outcome = sent(await send('document', new ScriptedSendPrompts([SHARED, BOB, '', ''])));
    const message = await received(BOB, outcome.messageId);
    assert.equal(message.subject, 'On disk');
    assert.match(String(message.text), /New, unsaved text\./);
    assert.equal(readFileSync(file, 'utf8'), '# On disk\n\nOld text.\n');
    assert.equal(editor.document.isDirty, true);
    await closeAllEditors();
    rmSync(file, { force: true });
    await setUserSetting('files.autoSave', undefined);
  });

  it('Send Selection sends only the selected lines', async () => {
    const editor = await untitled('# Title\n\nfirst paragraph\n\nsecond paragraph\n');
    editor.selection = new vscode.Selection(4, 0, 4, 16);
    const outcome = sent(await send('selection', new ScriptedSendPrompts([SHARED, BOB, '', 'Only the second'])));
    const message = await received(BOB, outcome.messageId);
    assert.equal(message.text?.trim(), 'second paragraph');
  });

  it('the sender is picked with the last one used first, and its Sent Items has the copy Exchange keeps (none added by the extension)', async () => {
    await untitled(`# Copy kept ${Date.now()}\n`);
    const first = new ScriptedSendPrompts([SHARED, BOB, '', '']);
    const outcome = sent(await send('document', first));
    assert.deepEqual(first.offeredAccounts, [ALICE, SHARED]);
    assert.deepEqual(outcome.sentCopy, { status: 'skipped', reason: 'Exchange Online keeps its own copy in Sent Items' });
    const copy = await received(SHARED, outcome.messageId, 'Sent Items');
    assert.match(String(copy.subject), /^Copy kept/);
    const second = new ScriptedSendPrompts([null]);
    assert.equal((await send('document', second)).status, 'cancelled');
    assert.deepEqual(second.offeredAccounts, [SHARED, ALICE]);
  });

  it('with "send.asAttachment" the document goes as an attached file, whole', async () => {
    await setUserSetting('exchangeMail.send.asAttachment', true);
    try {
      const text = `# Attached ${Date.now()}\n\nAs written.\n`;
      await untitled(text);
      const outcome = sent(await send('document', new ScriptedSendPrompts([SHARED, BOB, '', ''])));
      const message = await received(BOB, outcome.messageId);
      assert.deepEqual(message.attachments.map((a) => [a.contentType, a.content.toString('utf8')]), [['text/markdown', text]]);
    } finally {
      await setUserSetting('exchangeMail.send.asAttachment', undefined);
    }
  });

  it('an account with sentCopy "never" keeps no copy', async () => {
    await setUserSetting('exchangeMail.accounts', sandboxAccounts().map((a) => ({ ...a, sentCopy: 'never' })));
    await untitled('# No copy\n');
    const outcome = sent(await send('document', new ScriptedSendPrompts([SHARED, BOB, '', ''])));
    assert.deepEqual(outcome.sentCopy, { status: 'skipped', reason: 'sentCopy is "never"' });
  });

  it('a recipient the server refuses fails the send with the reason, and nothing changes in the document', async () => {
    const text = `---\nfrom: ${SHARED}\nto: ${BOB}, dan@fabrikam.example\nsubject: Refused\n---\nBody\n`;
    const editor = await untitled(text);
    const outcome = await send('document', new ScriptedSendPrompts([]));
    assert.equal(outcome.status, 'failed');
    assert.deepEqual([outcome.status === 'failed' && outcome.code, editor.document.getText(), editor.document.isDirty], ['recipient-refused', text, true]);
    assert.match(outcome.status === 'failed' ? outcome.message : '', /dan@fabrikam\.example/);
  });

  it('from: naming an address that is not an account is refused, naming it', async () => {
    await untitled(`---\nfrom: mallory@contoso.test\nto: ${BOB}\n---\nBody\n`);
    const outcome = await send('document', new ScriptedSendPrompts([]));
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.status === 'refused' ? outcome.message : '', /"from: mallory@contoso\.test", which is not one of your Exchange Mail accounts/);
  });

  it('the real command sends end to end: device code sign-in approved, front matter, no confirmation', async () => {
    await setUserSetting('exchangeMail.accounts', [accountSettingsFor(sandbox.info)[0]]);
    await setUserSetting('exchangeMail.send.confirm', false);
    const subject = `Through the command ${Date.now()}`;
    await untitled(`---\nto: ${BOB}\nsubject: ${subject}\n---\nHello Bob.\n`);
    const sending = Promise.resolve(vscode.commands.executeCommand<SendOutcome>('exchangeMail.sendDocument'));
    let finished = false;
    // The command may finish without asking (a token already cached): then there is nothing to approve.
    void sending.then(() => { finished = true; }, () => { finished = true; });
    const pending = await eventually('a device code to approve', () => finished || sandbox.identity.control.pendingDeviceCodes()[0], { timeoutMs: 60_000, intervalMs: 250 });
    if (pending !== true) sandbox.identity.control.approveDeviceCode(pending.userCode, ALICE);
    const outcome = sent(await sending);
    assert.equal((await received(BOB, outcome.messageId)).subject, subject);
    assert.equal(outcome.sentCopy.status, 'skipped');
  });
});
