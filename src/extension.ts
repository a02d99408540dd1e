/**
 * Wiring only, and as little as activation needs: the log, the Mailboxes view, the message tab
 * scheme, the unread decorations and each command's name. The features behind them (src/features.ts,
 * dist/features.js) start on the first command or the view's first render; the heavy libraries
 * (dist/core.js) load later still, on the first use that needs them.
 */
import * as vscode from 'vscode';
import type { Features } from './features';
import { copyDeviceCodeAndOpen, COPY_DEVICE_CODE_COMMAND } from './ui/accounts/auth-ports';
import type { AccountArgument } from './ui/accounts/pick-account';
import type { AccountNode } from './ui/tree/account-nodes';
import { loadFeatures } from './ui/bundle-loader';
import type { ProtocolArgument } from './ui/diagnostics/pick-protocol';
import { createLog } from './ui/log';
import type { SaveAttachmentOptions } from './ui/mailbox/message-commands';
import type { SearchOptions } from './ui/mailbox/search-commands';
import { MESSAGE_SCHEME } from './ui/mailbox/message-documents';
import type { FolderNode, LoadMoreNode, MailboxErrorNode, MessageNode, SearchNode, SignInNode } from './ui/tree/mail-nodes';
import type { TreeNode } from './ui/tree/mailboxes-tree';
import { MailboxesView } from './ui/tree/mailboxes-view';
import { UnreadDecorations } from './ui/tree/unread-decorations';

/** What `activate` hands to other extensions and to the tests (`extension.exports`). */
export interface ExchangeMailApi {
  /** The Mailboxes view's data provider. */
  mailboxes: MailboxesView;
  /** The Inbox unread count in the status bar: its text, empty while hidden. */
  unreadStatus: { readonly text: string };
}

let features: Features | undefined;

export function activate(context: vscode.ExtensionContext): ExchangeMailApi {
  const log = createLog();
  const started = () => (features ??= loadFeatures().startFeatures(context, log));
  /** A command whose work is in the features, started by its first run. */
  const command = <A extends unknown[]>(id: string, run: (features: Features, ...args: A) => unknown) =>
    vscode.commands.registerCommand(id, (...args: A) => run(started(), ...args));
  // With several nodes selected, the view passes them as the second argument: not an option.
  const option = <T>(arg: T | unknown[]) => (Array.isArray(arg) ? undefined : arg);
  const mailboxes = new MailboxesView(() => started().tree);
  const tree = vscode.window.createTreeView('exchangeMail.mailboxes', { treeDataProvider: mailboxes, showCollapseAll: false, canSelectMany: true });
  /** The message selected in the view, for Reply and Forward from the palette or a key. */
  const selectedMessage = () => (tree.selection.length === 1 && tree.selection[0]?.kind === 'message' ? tree.selection[0] : undefined);
  /** What Reply and Forward are about: the node a menu passes, the view's selection for its keys (`"selection"`), else the features decide. */
  const replied = (arg: MessageNode | vscode.Uri | 'selection' | undefined) => (arg === 'selection' ? selectedMessage() : option(arg));
  /**
   * The messages a filing command is about, as [clicked, selected]: what a menu passes, or for a
   * key (`"selection"`) the view's selected messages.
   */
  const filed = <R>(run: (node: MessageNode, selected: unknown[] | undefined) => R) => (arg: MessageNode | 'selection', selected?: unknown[]) => {
    if (arg !== 'selection') return run(arg, selected);
    const messages = tree.selection.filter((n) => n.kind === 'message');
    return messages[0] ? run(messages[0], messages) : undefined;
  };
  const walkthrough = `${context.extension.id}#exchangeMail.setup`;
  context.subscriptions.push(
    log, mailboxes, tree,
    vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, {
      provideTextDocumentContent: (uri) => started().messageDocuments.provideTextDocumentContent(uri),
    }),
    vscode.window.registerFileDecorationProvider(new UnreadDecorations()),
    // The features report problems in the accounts setting when they start; an edit starts them, so it is checked at once.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!features && e.affectsConfiguration('exchangeMail.accounts')) started();
    }),
    vscode.commands.registerCommand('exchangeMail.showLog', () => log.show(true)),
    vscode.commands.registerCommand(COPY_DEVICE_CODE_COMMAND, copyDeviceCodeAndOpen),
    vscode.commands.registerCommand('exchangeMail.openAccountSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'exchangeMail.accounts' } })),
    vscode.commands.registerCommand('exchangeMail.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthrough, false)),
    command('exchangeMail.refresh', (f, node?: TreeNode) => f.refresh(node)),
    // The view's title bar hands its commands the focused row and the selection (VS Code 1.71+):
    // its Refresh and Search act on every mailbox, whatever row has the focus.
    command('exchangeMail.refreshAll', (f) => f.refresh()),
    command('exchangeMail.searchFromViewTitle', (f) => f.searchMailbox()),
    command('exchangeMail.retry', (f, node: MailboxErrorNode) => f.retry(node)),
    command('exchangeMail.loadMore', (f, node: LoadMoreNode) => f.loadMore(node)),
    command('exchangeMail.openMessage', (f, node?: MessageNode) => f.openMessage(node)),
    command('exchangeMail.searchMailbox', (f, node?: AccountNode | FolderNode, text?: string | unknown[], options?: SearchOptions) =>
      f.searchMailbox(node, typeof text === 'string' ? text : undefined, options)),
    command('exchangeMail.closeSearch', (f, node: SearchNode) => f.closeSearch(node)),
    command('exchangeMail.saveAttachment', (f, arg?: MessageNode | vscode.Uri, options?: SaveAttachmentOptions | unknown[]) =>
      f.saveAttachment(arg, option(options))),
    command('exchangeMail.copyFolderName', (f, node: FolderNode) => f.copyFolderName(node)),
    command('exchangeMail.markRead', (f, node: MessageNode, selected?: unknown[]) => f.markSeen(node, true, selected)),
    command('exchangeMail.markUnread', (f, node: MessageNode, selected?: unknown[]) => f.markSeen(node, false, selected)),
    command('exchangeMail.moveToFolder', (f, arg: MessageNode | 'selection', selected?: unknown[], target?: string) =>
      filed((node, s) => f.moveToFolder(node, s, target))(arg, selected)),
    command('exchangeMail.archive', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.fileMessages(node, s, 'archive'))(arg, selected)),
    command('exchangeMail.markJunk', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.fileMessages(node, s, 'junk'))(arg, selected)),
    command('exchangeMail.markNotJunk', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.fileMessages(node, s, 'inbox'))(arg, selected)),
    command('exchangeMail.deleteMessage', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.deleteMessages(node, s, false))(arg, selected)),
    command('exchangeMail.deletePermanently', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.deleteMessages(node, s, true))(arg, selected)),
    command('exchangeMail.undoMove', (f, move?: Parameters<Features['undoMove']>[0]) => f.undoMove(move)),
    command('exchangeMail.flag', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.setFlagged(node, true, s))(arg, selected)),
    command('exchangeMail.unflag', (f, arg: MessageNode | 'selection', selected?: unknown[]) => filed((node, s) => f.setFlagged(node, false, s))(arg, selected)),
    command('exchangeMail.reply', (f, arg?: MessageNode | vscode.Uri | 'selection') => f.reply('reply', replied(arg), selectedMessage)),
    command('exchangeMail.replyAll', (f, arg?: MessageNode | vscode.Uri | 'selection') => f.reply('replyAll', replied(arg), selectedMessage)),
    command('exchangeMail.forward', (f, arg?: MessageNode | vscode.Uri | 'selection') => f.reply('forward', replied(arg), selectedMessage)),
    command('exchangeMail.newMessage', (f) => f.newMessage()),
    command('exchangeMail.signInFromTree', (f, node: MailboxErrorNode | SignInNode) => f.signInFromTree(node)),
    command('exchangeMail.addAccount', (f) => f.addAccount()),
    command('exchangeMail.removeAccount', (f, arg?: AccountArgument) => f.removeAccount(arg)),
    // From the view's menu the second argument is the selection (an array), not an address.
    command('exchangeMail.addSharedMailbox', (f, arg?: AccountArgument, address?: unknown) =>
      f.addSharedMailbox(arg, typeof address === 'string' ? address : undefined)),
    command('exchangeMail.removeSharedMailbox', (f, node?: AccountNode) => f.removeSharedMailbox(node)),
    command('exchangeMail.signIn', (f, arg?: AccountArgument) => f.signIn(arg)),
    command('exchangeMail.signOut', (f, arg?: AccountArgument) => f.signOut(arg)),
    command('exchangeMail.testConnection', (f, arg?: AccountArgument, protocol?: ProtocolArgument | unknown[]) => f.testConnection(arg, option(protocol))),
    command('exchangeMail.checkPop3Mailbox', (f, arg?: AccountArgument) => f.checkPop3Mailbox(arg)),
    command('exchangeMail.showTokenDetails', (f, arg?: AccountArgument, protocol?: ProtocolArgument | unknown[]) => f.showTokenDetails(arg, option(protocol))),
    command('exchangeMail.copyAdminSetupCommands', (f, arg?: AccountArgument) => f.copyAdminSetupCommands(arg)),
    command('exchangeMail.sendDocument', (f, uri?: vscode.Uri) => f.sendDocument('document', uri)),
    command('exchangeMail.sendSelection', (f, uri?: vscode.Uri) => f.sendDocument('selection', uri)),
  );
  log.info(`Exchange Mail ${String(context.extension.packageJSON.version)} activated`);
  return {
    mailboxes,
    unreadStatus: {
      get text() {
        return features?.unreadStatus.text ?? '';
      },
    },
  };
}

/** Ends what the features started (IMAP sessions, the body renderer's thread); every disposable is registered on the context. */
export async function deactivate(): Promise<void> {
  await features?.deactivate();
  features = undefined;
}
