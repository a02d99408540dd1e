/**
 * Filing selected messages: Move to Folder…, Archive, Delete (to Deleted Items, or for good),
 * Junk / Not Junk, Flag / Unflag. A move is one UID MOVE per folder, and its notification offers
 * Undo, which moves the messages back by the UIDs the server gave them (COPYUID). The last move
 * stays undoable through `exchangeMail.undoMove` too, so a key or a test can undo it.
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { ExplainedError } from '../../errors';
import type { Folder } from '../../mail/imap/folder-model';
import type { SpecialUse } from '../../mail/imap/special-use';
import { showError } from '../show-error';
import type { MessageNode } from '../tree/mail-nodes';
import { describeMessages, inView, MailboxCommandContext, messagesByFolder } from './mailbox-commands';
import type { MovedMessages } from './mailbox-model';

const PERMANENT_SETTING = 'exchangeMail.delete.permanently';

/** One move command's work: a move per folder the selection came from. */
export type Move = readonly MovedMessages[];

export interface MoveCommandContext extends MailboxCommandContext {
  /** The last move done and not undone yet, for `exchangeMail.undoMove` without an argument. */
  lastMove?: Move;
  /** Told of each move done here (Undo included), so that messages moved into the Inbox are not taken for new mail. */
  moved?(moved: MovedMessages): void;
}

/** Where Archive, Delete and Junk / Not Junk file messages. */
export type FilingFolder = Extract<SpecialUse, 'archive' | 'trash' | 'junk' | 'inbox'>;

const FOLDER_WORDS: Record<FilingFolder, string> = { archive: 'Archive', trash: 'Deleted Items', junk: 'Junk Email', inbox: 'Inbox' };

/** "Move to Folder…": asks for an openable folder of the mailbox (none asked when `target` is given) and moves there. */
export async function moveToFolder(context: MoveCommandContext, node: MessageNode, selected?: readonly unknown[], target?: string): Promise<Move | undefined> {
  const groups = ofAccount(node, selected);
  const chosen = target ?? await pickFolder(context, node.account, new Set(groups.map((g) => g[0]!.folder)));
  return chosen === undefined ? undefined : moveGroups(context, groups, () => chosen);
}

/** Archive, Delete (to Deleted Items), Junk, Not Junk (back to the Inbox): a move to the folder for that purpose. */
export async function fileMessages(context: MoveCommandContext, node: MessageNode, selected: readonly unknown[] | undefined, use: FilingFolder): Promise<Move | undefined> {
  const groups = ofAccount(node, selected);
  let folder: Folder | undefined;
  try {
    const listing = await context.mail.folders(node.account);
    if (listing.error) throw listing.error;
    folder = use === 'inbox' ? listing.folders.get('INBOX') : listing.folders.special(use);
    if (!folder) throw noFolderFor(use);
  } catch (err) {
    await showError(err, context.log, `Moving ${describeMessages(groups.flat())} to ${FOLDER_WORDS[use]} failed`);
    return undefined;
  }
  const path = folder.path;
  return moveGroups(context, groups.filter((g) => g[0]!.folder !== path), () => path);
}

/**
 * "Delete": to Deleted Items, or for good after a modal confirmation with Shift+Delete, with the
 * `exchangeMail.delete.permanently` setting, or in Deleted Items itself (as Outlook does).
 * Resolves with the move (for Undo), true when deleted for good, undefined when not done.
 */
export async function deleteMessages(context: MoveCommandContext, node: MessageNode, selected: readonly unknown[] | undefined,
  permanently = false): Promise<Move | boolean | undefined> {
  const groups = ofAccount(node, selected);
  const listing = await context.mail.folders(node.account);
  const trash = listing.folders?.special('trash')?.path;
  const forGood = permanently || vscode.workspace.getConfiguration().get<boolean>(PERMANENT_SETTING, false) || groups.every((g) => g[0]!.folder === trash);
  if (!forGood) return fileMessages(context, node, selected, 'trash');
  const what = describeMessages(groups.flat());
  const confirmed = await vscode.window.showWarningMessage(`Delete ${what} permanently?`,
    { modal: true, detail: 'They do not go to Deleted Items and cannot be recovered.' }, 'Delete Permanently');
  if (confirmed !== 'Delete Permanently') return undefined;
  for (const nodes of groups) {
    const { account, folder } = nodes[0]!;
    try {
      await inView(() => context.mail.deleteMessages(account, folder, nodes.map((n) => n.message)));
    } catch (err) {
      await showError(err, context.log, `Deleting ${describeMessages(nodes)} failed`);
      return false;
    }
  }
  vscode.window.setStatusBarMessage(`Deleted ${what} permanently`, 5000);
  return true;
}

/** "Undo" of a move's notification, or of the last move: the messages go back where they came from, flags and all. */
export async function undoMove(context: MoveCommandContext, move = context.lastMove): Promise<boolean> {
  if (!move || move.length === 0) {
    void vscode.window.showInformationMessage('There is no move to undo.');
    return false;
  }
  if (context.lastMove === move) context.lastMove = undefined;
  let allBack = true;
  for (const moved of move) {
    try {
      context.moved?.(await inView(() => context.mail.moveMessages(moved.account, moved.to, moved.messages, moved.from)));
    } catch (err) {
      await showError(err, context.log, `Moving ${count(moved.messages.length)} back to "${moved.from}" failed`);
      allBack = false;
    }
  }
  return allBack;
}

/** Flag / Unflag: \Flagged on the server (one STORE per folder), then the star on the items. */
export async function setFlagged(context: MoveCommandContext, node: MessageNode, flagged: boolean, selected?: readonly unknown[]): Promise<boolean> {
  let allMarked = true;
  for (const nodes of messagesByFolder(node, selected)) {
    const { account, folder } = nodes[0]!;
    try {
      await inView(() => context.mail.setFlagged(account, folder, nodes.map((n) => n.message.uid), flagged));
    } catch (err) {
      await showError(err, context.log, `${flagged ? 'Flagging' : 'Unflagging'} ${describeMessages(nodes)} failed`);
      allMarked = false;
    }
  }
  return allMarked;
}

/** The selection's folders of the clicked message's mailbox: a move stays within one mailbox. */
function ofAccount(node: MessageNode, selected?: readonly unknown[]): MessageNode[][] {
  return messagesByFolder(node, selected).filter((g) => g[0]!.account.id === node.account.id);
}

async function moveGroups(context: MoveCommandContext, groups: MessageNode[][], target: () => string): Promise<Move | undefined> {
  const done: MovedMessages[] = [];
  for (const nodes of groups) {
    const { account, folder } = nodes[0]!;
    try {
      const moved = await inView(() => context.mail.moveMessages(account, folder, nodes.map((n) => n.message), target()));
      context.moved?.(moved);
      done.push(moved);
    } catch (err) {
      await showError(err, context.log, `Moving ${describeMessages(nodes)} to "${target()}" failed`);
    }
  }
  if (done.length === 0) return undefined;
  context.lastMove = done;
  const moved = done.reduce((sum, m) => sum + m.messages.length, 0);
  const text = `Moved ${count(moved)} to "${target()}".`;
  // Not awaited: the command is done; the notification stays for as long as the user wants Undo.
  if (done.every((m) => m.undoable)) {
    void vscode.window.showInformationMessage(text, 'Undo').then((action) => {
      if (action === 'Undo') void vscode.commands.executeCommand('exchangeMail.undoMove', done);
    });
  } else {
    void vscode.window.showInformationMessage(`${text} The server did not say where they went, so this move cannot be undone.`);
  }
  return done;
}

async function pickFolder(context: MoveCommandContext, account: Account, from: ReadonlySet<string>): Promise<string | undefined> {
  const listing = await context.mail.folders(account);
  if (listing.error) {
    await showError(listing.error, context.log, 'Listing the folders to move to failed');
    return undefined;
  }
  const items = listing.folders.all().filter((f) => f.openable && !from.has(f.path))
    .map((f) => ({ label: f.name, description: f.path === f.name ? undefined : f.path, path: f.path }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Move to Folder', placeHolder: 'Folder to move the messages to', matchOnDescription: true });
  return picked?.path;
}

function noFolderFor(use: FilingFolder): ExplainedError {
  return new ExplainedError(`The mailbox has no ${FOLDER_WORDS[use]} folder.`,
    `Create a folder named "${FOLDER_WORDS[use]}", then refresh the account.`, { code: 'no-special-folder' });
}

function count(n: number): string {
  return n === 1 ? '1 message' : `${n} messages`;
}
