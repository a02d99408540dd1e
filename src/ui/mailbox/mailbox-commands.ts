/**
 * The commands of the Mailboxes view's folders and messages: Refresh, Retry, Load More, Copy
 * Folder Name, Mark as Read / Unread, and Sign In from a node that asks for it. Moving, deleting
 * and flagging are in ./move-commands.
 */
import * as vscode from 'vscode';
import type { AccountSettings } from '../accounts/account-settings';
import { showError } from '../show-error';
import type { FolderNode, LoadMoreNode, MailboxErrorNode, MessageNode, SignInNode } from '../tree/mail-nodes';
import type { TreeNode } from '../tree/mailboxes-tree';
import type { MailboxModel } from './mailbox-model';

export const MAILBOXES_VIEW = 'exchangeMail.mailboxes';

export interface MailboxCommandContext {
  settings: AccountSettings;
  mail: MailboxModel;
  log: vscode.LogOutputChannel;
}

/** Work shown as the view's progress bar. */
export function inView<T>(work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: { viewId: MAILBOXES_VIEW } }, work);
}

/**
 * "Refresh": from the view title or the palette, every account is listed again; from an account,
 * that account; from a folder, its messages are read again from the newest.
 */
export function refresh(context: MailboxCommandContext, node?: TreeNode): void {
  if (node?.kind === 'folder') context.mail.refreshFolder(node.account.id, node.path);
  else if (node?.kind === 'account' && node.account) context.mail.refresh(node.account.id);
  else context.mail.refresh();
}

/** "Retry" on an error node: reads again what failed. */
export async function retry(context: MailboxCommandContext, node: MailboxErrorNode): Promise<void> {
  if (node.failed === 'folders') context.mail.refresh(node.account.id);
  else if (node.failed === 'messages' && node.folder !== undefined) context.mail.refreshFolder(node.account.id, node.folder);
  else if (node.failed === 'more' && node.folder !== undefined) await inView(() => context.mail.loadMore(node.account, node.folder!));
}

/** "Load More": the next 50 older messages of the folder, appended. */
export async function loadMore(context: MailboxCommandContext, node: LoadMoreNode): Promise<void> {
  await inView(() => context.mail.loadMore(node.account, node.folder));
}

/** "Copy Folder Name": the folder's full name, as IMAP and every command take it. */
export async function copyFolderName(node: FolderNode): Promise<string> {
  await vscode.env.clipboard.writeText(node.path);
  vscode.window.setStatusBarMessage(`Copied "${node.path}"`, 3000);
  return node.path;
}

/**
 * What a message command is about: the clicked message, or every message selected with it (the
 * view allows several), grouped by account and folder, as each IMAP command takes one folder.
 */
export function messagesByFolder(node: MessageNode, selected?: readonly unknown[]): MessageNode[][] {
  const chosen = selected?.some((n) => n === node) ? selected.filter((n): n is MessageNode => (n as TreeNode | undefined)?.kind === 'message') : [node];
  const byFolder = new Map<string, MessageNode[]>();
  for (const message of chosen) {
    const key = `${message.account.id}\n${message.folder}`;
    byFolder.set(key, [...(byFolder.get(key) ?? []), message]);
  }
  return [...byFolder.values()];
}

/** How a message command names what it acts on: the subject of one message, or how many. */
export function describeMessages(nodes: readonly MessageNode[]): string {
  return nodes.length === 1 ? `"${nodes[0]!.message.subject || '(no subject)'}"` : `${nodes.length} messages`;
}

/** Mark as Read / Unread: the \Seen flag on the server (one STORE per folder), then the items and their folders' counts. */
export async function markSeen(context: MailboxCommandContext, node: MessageNode, seen: boolean, selected?: readonly unknown[]): Promise<boolean> {
  let allMarked = true;
  for (const nodes of messagesByFolder(node, selected)) {
    const { account, folder } = nodes[0]!;
    const what = describeMessages(nodes);
    try {
      await inView(() => context.mail.setSeen(account, folder, nodes.map((n) => n.message.uid), seen));
    } catch (err) {
      const action = await showError(err, context.log, `Marking ${what} ${seen ? 'read' : 'unread'} failed`);
      if (action === 'retry' && await markSeen(context, nodes[0]!, seen, nodes)) continue;
      if (action === 'signIn') await vscode.commands.executeCommand('exchangeMail.signIn', account.id);
      allMarked = false;
    }
  }
  return allMarked;
}

/** Sign In from a node of the account (an error that asks for it, "Sign in to see folders"). */
export async function signInFromTree(node: MailboxErrorNode | SignInNode): Promise<boolean> {
  return Boolean(await vscode.commands.executeCommand<boolean>('exchangeMail.signIn', node.account.id));
}
