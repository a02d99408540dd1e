/**
 * The UI's features, wired: accounts, diagnostics, send, the mailbox commands, the Mailboxes
 * view's tree, message tabs and the unread count in the status bar. Bundled apart as
 * dist/features.js and started by the first command or the view's first render (through
 * `ui/bundle-loader`), so activation loads none of it: src/extension.ts only registers names.
 */
import type * as vscode from 'vscode';
import { AccountSettings } from './ui/accounts/account-settings';
import { AccountCommandContext } from './ui/accounts/account-commands';
import { addAccount } from './ui/accounts/add-account';
import { createAuthPorts } from './ui/accounts/auth-ports';
import { AccountArgument } from './ui/accounts/pick-account';
import { removeAccount } from './ui/accounts/remove-account';
import { reportSettingsProblems } from './ui/accounts/settings-problems';
import { addSharedMailbox, removeSharedMailbox } from './ui/accounts/shared-mailboxes';
import { signIn } from './ui/accounts/sign-in';
import { SignIns } from './ui/accounts/sign-ins';
import { signOut } from './ui/accounts/sign-out';
import { loadedCore } from './ui/bundle-loader';
import { copyAdminCommandsCommand } from './ui/diagnostics/admin-commands';
import { checkPop3Command } from './ui/diagnostics/check-pop3';
import type { ProtocolArgument } from './ui/diagnostics/pick-protocol';
import { testConnectionCommand } from './ui/diagnostics/test-connection';
import { showTokenDetailsCommand } from './ui/diagnostics/token-details';
import { AccountSessions } from './ui/mailbox/account-sessions';
import { CachedMailboxes } from './ui/mailbox/cached-mailboxes';
import { copyFolderName, loadMore, markSeen, MailboxCommandContext, refresh, retry, signInFromTree } from './ui/mailbox/mailbox-commands';
import { MailboxModel } from './ui/mailbox/mailbox-model';
import { openMessage, saveAttachment, SaveAttachmentOptions } from './ui/mailbox/message-commands';
import { deleteMessages, fileMessages, FilingFolder, Move, MoveCommandContext, moveToFolder, setFlagged, undoMove } from './ui/mailbox/move-commands';
import { MessageDocuments } from './ui/mailbox/message-documents';
import { originalMarks } from './ui/mailbox/original-marks';
import { DraftCommandContext, newMessageCommand, replyCommand } from './ui/mailbox/reply-commands';
import { UnreadStatusBar } from './ui/mailbox/unread-status-bar';
import { closeSearch, loadMoreFound, searchMailbox, SearchOptions } from './ui/mailbox/search-commands';
import { NewMailNotifications } from './ui/mailbox/new-mail-notifications';
import type { ReplyKind } from './mail/compose';
import { sendDocumentCommand, SendScope } from './ui/send/send-document';
import type { FolderNode, LoadMoreNode, MailboxErrorNode, MessageNode, SearchNode } from './ui/tree/mail-nodes';
import type { AccountNode } from './ui/tree/account-nodes';
import { MailboxesTree, TreeNode } from './ui/tree/mailboxes-tree';

export type Features = ReturnType<typeof startFeatures>;

/** Makes the features' state (settings, sign-ins, IMAP sessions, the mail model) and each command bound to it. */
export function startFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
  const settings = new AccountSettings();
  const signIns = new SignIns(createAuthPorts(context, log));
  const accounts: AccountCommandContext = { settings, signIns, secrets: context.secrets, log };
  const sessions = new AccountSessions(settings, signIns, log, context.secrets.onDidChange);
  const cache = new CachedMailboxes(context.globalStorageUri, settings, signIns, log);
  const mail = new MailboxModel(sessions, cache);
  const mailbox: MailboxCommandContext = { settings, mail, log };
  const newMail = new NewMailNotifications(mail, log);
  const moves: MoveCommandContext = { ...mailbox, moved: (moved) => newMail.movedHere(moved) };
  const drafts: DraftCommandContext = { ...mailbox, storage: context.globalStorageUri, memento: context.globalState };
  const tree = new MailboxesTree(settings, signIns, context.secrets.onDidChange, mail);
  const unreadStatus = new UnreadStatusBar(settings, mail);
  context.subscriptions.push(
    settings, signIns, sessions, cache, mail, tree, unreadStatus, newMail,
    settings.onDidChange(() => signIns.retain(settings.accounts().map((a) => a.id))),
    reportSettingsProblems(settings, log),
  );
  return {
    tree,
    unreadStatus,
    messageDocuments: new MessageDocuments(settings, mail),
    refresh: (node?: TreeNode) => refresh(mailbox, node),
    retry: (node: MailboxErrorNode) => retry(mailbox, node),
    loadMore: (node: LoadMoreNode) => (node.parent.kind === 'search' ? loadMoreFound(mailbox, node.account) : loadMore(mailbox, node)),
    searchMailbox: (node?: AccountNode | FolderNode, text?: string, options?: SearchOptions) => searchMailbox(mailbox, node, text, options),
    closeSearch: (node: SearchNode) => closeSearch(mailbox, node),
    openMessage: (node?: MessageNode) => openMessage(mailbox, node),
    saveAttachment: (arg?: MessageNode | vscode.Uri, options?: SaveAttachmentOptions) => saveAttachment(mailbox, arg, options),
    copyFolderName,
    markSeen: (node: MessageNode, seen: boolean, selected?: unknown[]) => markSeen(mailbox, node, seen, selected),
    moveToFolder: (node: MessageNode, selected?: unknown[], target?: string) => moveToFolder(moves, node, selected, target),
    fileMessages: (node: MessageNode, selected: unknown[] | undefined, use: FilingFolder) => fileMessages(moves, node, selected, use),
    deleteMessages: (node: MessageNode, selected: unknown[] | undefined, permanently: boolean) => deleteMessages(moves, node, selected, permanently),
    undoMove: (move?: Move) => undoMove(moves, move),
    setFlagged: (node: MessageNode, flagged: boolean, selected?: unknown[]) => setFlagged(moves, node, flagged, selected),
    reply: (kind: ReplyKind, arg?: MessageNode | vscode.Uri, selected?: () => MessageNode | undefined) => replyCommand(drafts, kind, arg, selected),
    newMessage: () => newMessageCommand(drafts),
    signInFromTree,
    addAccount: () => addAccount(accounts),
    removeAccount: (arg?: AccountArgument) => removeAccount(accounts, arg),
    addSharedMailbox: (arg?: AccountArgument, address?: string) => addSharedMailbox(settings, arg, address),
    removeSharedMailbox: (node?: AccountNode) => removeSharedMailbox(settings, node),
    signIn: (arg?: AccountArgument) => signIn(accounts, arg),
    signOut: (arg?: AccountArgument) => signOut(accounts, arg),
    testConnection: (arg?: AccountArgument, protocol?: ProtocolArgument) => testConnectionCommand(accounts, arg, protocol),
    checkPop3Mailbox: (arg?: AccountArgument) => checkPop3Command(accounts, arg),
    showTokenDetails: (arg?: AccountArgument, protocol?: ProtocolArgument) => showTokenDetailsCommand(accounts, arg, protocol),
    copyAdminSetupCommands: (arg?: AccountArgument) => copyAdminCommandsCommand(accounts, arg),
    sendDocument: (scope: SendScope, uri?: vscode.Uri) =>
      sendDocumentCommand({ ...accounts, memento: context.globalState, originals: originalMarks(settings, mail) }, scope, uri),
    /** Writes the mailbox cache, logs the IMAP sessions out and stops the message body renderer's thread. */
    async deactivate(): Promise<void> {
      await cache.flush();
      await sessions.closeAll();
      await loadedCore()?.stopBodyRenderer();
    },
  };
}

