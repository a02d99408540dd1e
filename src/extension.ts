import * as vscode from 'vscode';
import { AccountSettings } from './ui/accounts/account-settings';
import { copyDeviceCodeAndOpen, COPY_DEVICE_CODE_COMMAND, createAuthPorts } from './ui/accounts/auth-ports';
import { AccountCommandContext } from './ui/accounts/account-commands';
import { addAccount } from './ui/accounts/add-account';
import { AccountArgument } from './ui/accounts/pick-account';
import { removeAccount } from './ui/accounts/remove-account';
import { signIn } from './ui/accounts/sign-in';
import { signOut } from './ui/accounts/sign-out';
import { copyAdminCommandsCommand } from './ui/diagnostics/admin-commands';
import { checkPop3Command } from './ui/diagnostics/check-pop3';
import { testConnectionCommand } from './ui/diagnostics/test-connection';
import { showTokenDetailsCommand } from './ui/diagnostics/token-details';
import type { ProtocolArgument } from './ui/diagnostics/pick-protocol';
import { loadedCore } from './ui/core-loader';
import { createLog } from './ui/log';
import { reportSettingsProblems } from './ui/accounts/settings-problems';
import { sendDocumentCommand } from './ui/send/send-document';
import { SignIns } from './ui/accounts/sign-ins';
import { MailboxesTree } from './ui/tree/mailboxes-tree';
import type { TreeNode } from './ui/tree/mailboxes-tree';
import type { FolderNode, LoadMoreNode, MailboxErrorNode, MessageNode, SignInNode } from './ui/tree/mail-nodes';
import { AccountSessions } from './ui/mailbox/account-sessions';
import { MailboxModel } from './ui/mailbox/mailbox-model';
import { copyFolderName, loadMore, markSeen, MailboxCommandContext, refresh, retry, signInFromTree } from './ui/mailbox/mailbox-commands';
import { openMessage, saveAttachment, SaveAttachmentOptions } from './ui/mailbox/message-commands';
import { MESSAGE_SCHEME, MessageDocuments } from './ui/mailbox/message-documents';
import { UnreadStatusBar } from './ui/mailbox/unread-status-bar';
import { UnreadDecorations } from './ui/tree/unread-decorations';

/** What `activate` hands to other extensions and to the tests (`extension.exports`). */
export interface ExchangeMailApi {
  /** The Mailboxes view's data provider. */
  mailboxes: MailboxesTree;
  /** The Inbox unread count in the status bar. */
  unreadStatus: UnreadStatusBar;
}

let sessions: AccountSessions | undefined;

/** Wiring only: the heavy parts (MSAL, IMAP, SMTP) load on first use, never here. */
export function activate(context: vscode.ExtensionContext): ExchangeMailApi {
  const log = createLog();
  const settings = new AccountSettings();
  const signIns = new SignIns(createAuthPorts(context, log));
  const accounts: AccountCommandContext = { settings, signIns, secrets: context.secrets, log };
  sessions = new AccountSessions(settings, signIns, log, context.secrets.onDidChange);
  const mail = new MailboxModel(sessions);
  const mailbox: MailboxCommandContext = { settings, mail, log };
  const tree = new MailboxesTree(settings, signIns, context.secrets.onDidChange, mail);
  const unreadStatus = new UnreadStatusBar(settings, mail);
  const walkthrough = `${context.extension.id}#exchangeMail.setup`;
  context.subscriptions.push(
    log, settings, signIns, sessions, mail, tree, unreadStatus,
    vscode.window.createTreeView('exchangeMail.mailboxes', { treeDataProvider: tree, showCollapseAll: false, canSelectMany: true }),
    settings.onDidChange(() => signIns.retain(settings.accounts().map((a) => a.id))),
    reportSettingsProblems(settings, log),
    vscode.commands.registerCommand('exchangeMail.showLog', () => log.show(true)),
    vscode.commands.registerCommand(COPY_DEVICE_CODE_COMMAND, copyDeviceCodeAndOpen),
    vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, new MessageDocuments(settings, mail)),
    vscode.window.registerFileDecorationProvider(new UnreadDecorations()),
    vscode.commands.registerCommand('exchangeMail.refresh', (node?: TreeNode) => refresh(mailbox, node)),
    vscode.commands.registerCommand('exchangeMail.retry', (node: MailboxErrorNode) => retry(mailbox, node)),
    vscode.commands.registerCommand('exchangeMail.loadMore', (node: LoadMoreNode) => loadMore(mailbox, node)),
    vscode.commands.registerCommand('exchangeMail.openMessage', (node?: MessageNode) => openMessage(mailbox, node)),
    // With several nodes selected, the view passes them as the second argument: not options.
    vscode.commands.registerCommand('exchangeMail.saveAttachment', (arg?: MessageNode | vscode.Uri, options?: SaveAttachmentOptions | unknown[]) =>
      saveAttachment(mailbox, arg, Array.isArray(options) ? undefined : options)),
    vscode.commands.registerCommand('exchangeMail.copyFolderName', (node: FolderNode) => copyFolderName(node)),
    vscode.commands.registerCommand('exchangeMail.markRead', (node: MessageNode, selected?: unknown[]) => markSeen(mailbox, node, true, selected)),
    vscode.commands.registerCommand('exchangeMail.markUnread', (node: MessageNode, selected?: unknown[]) => markSeen(mailbox, node, false, selected)),
    vscode.commands.registerCommand('exchangeMail.signInFromTree', (node: MailboxErrorNode | SignInNode) => signInFromTree(node)),
    vscode.commands.registerCommand('exchangeMail.addAccount', () => addAccount(accounts)),
    vscode.commands.registerCommand('exchangeMail.removeAccount', (arg?: AccountArgument) => removeAccount(accounts, arg)),
    vscode.commands.registerCommand('exchangeMail.signIn', (arg?: AccountArgument) => signIn(accounts, arg)),
    vscode.commands.registerCommand('exchangeMail.signOut', (arg?: AccountArgument) => signOut(accounts, arg)),
    vscode.commands.registerCommand('exchangeMail.testConnection', (arg?: AccountArgument, protocol?: ProtocolArgument | unknown[]) =>
      testConnectionCommand(accounts, arg, Array.isArray(protocol) ? undefined : protocol)),
    vscode.commands.registerCommand('exchangeMail.checkPop3Mailbox', (arg?: AccountArgument) => checkPop3Command(accounts, arg)),
    vscode.commands.registerCommand('exchangeMail.showTokenDetails', (arg?: AccountArgument, protocol?: ProtocolArgument | unknown[]) =>
      showTokenDetailsCommand(accounts, arg, Array.isArray(protocol) ? undefined : protocol)),
    vscode.commands.registerCommand('exchangeMail.copyAdminSetupCommands', (arg?: AccountArgument) => copyAdminCommandsCommand(accounts, arg)),
    vscode.commands.registerCommand('exchangeMail.openAccountSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'exchangeMail.accounts' } })),
    vscode.commands.registerCommand('exchangeMail.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthrough, false)),
    vscode.commands.registerCommand('exchangeMail.sendDocument', (uri?: vscode.Uri) =>
      sendDocumentCommand({ ...accounts, memento: context.globalState }, 'document', uri)),
    vscode.commands.registerCommand('exchangeMail.sendSelection', (uri?: vscode.Uri) =>
      sendDocumentCommand({ ...accounts, memento: context.globalState }, 'selection', uri)),
  );
  log.info(`Exchange Mail ${String(context.extension.packageJSON.version)} activated`);
  return { mailboxes: tree, unreadStatus };
}

/** Logs the IMAP sessions out and stops the message body encoder's thread; every other disposable is registered on the context. */
export async function deactivate(): Promise<void> {
  await sessions?.closeAll();
  sessions = undefined;
  await loadedCore()?.stopBodyEncoder();
}
