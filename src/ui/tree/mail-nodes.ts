/**
 * What the Mailboxes view shows below an account: its folders, their messages, "Load more…",
 * and the reasons when something could not be read. Each node is a handle on the model's data
 * (src/ui/mailbox/mailbox-model) and turns it into a TreeItem; it holds no state of its own.
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import type { ErrorAction, ExplainedError } from '../../errors';
import type { Folder } from '../../mail/imap/folder-model';
import type { MessageSummary } from '../../mail/imap/message-page';
import type { SpecialUse } from '../../mail/imap/special-use';
import type { FolderCounts } from '../mailbox/mailbox-model';
import type { MailboxSearch } from '../mailbox/mailbox-search';
import type { AccountNode } from './account-nodes';
import { messageStateUri, unreadColor } from './unread-decorations';

const FOLDER_ICONS: Record<SpecialUse, string> = {
  inbox: 'inbox',
  drafts: 'edit',
  sent: 'send',
  trash: 'trash',
  junk: 'circle-slash',
  archive: 'archive',
  outbox: 'export',
  all: 'mail',
  flagged: 'star-full',
};

const idOf = (...parts: (string | number)[]) => JSON.stringify(parts);

/** A folder of the account; `\Noselect` ones only hold other folders. */
export class FolderNode {
  readonly kind = 'folder';

  constructor(
    readonly parent: AccountNode | FolderNode,
    readonly account: Account,
    readonly folder: Folder,
    /** The counts as the model knows them now (marks and moves made here and the Inbox watch included). */
    private readonly counts: () => FolderCounts,
  ) {}

  get path(): string {
    return this.folder.path;
  }

  toTreeItem(): vscode.TreeItem {
    const { folder } = this;
    const { unread, total } = this.counts();
    const hasContent = folder.children.length > 0 || (folder.openable && total !== 0);
    const item = new vscode.TreeItem(folder.name, hasContent ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    // The server gave no count (throttled, say): the row says so, and Refresh counts again.
    const noCount = folder.openable && folder.countsError !== undefined && unread === undefined;
    item.id = idOf('folder', this.account.id, folder.path);
    item.description = noCount ? 'count unavailable' : unread ? String(unread) : undefined;
    item.iconPath = !folder.openable
      ? new vscode.ThemeIcon('folder', new vscode.ThemeColor('disabledForeground'))
      : noCount
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon(folder.specialUse ? FOLDER_ICONS[folder.specialUse] : 'folder');
    item.contextValue = folder.openable ? `folder.openable${noCount ? '.noCount' : ''}` : 'folder.noselect';
    item.tooltip = this.tooltip(unread, total, noCount);
    item.accessibilityInformation = {
      label: !folder.openable ? `${folder.name}, holds only folders` : noCount ? `${folder.name}, unread count unavailable` : `${folder.name}, ${unread ?? 0} unread`,
    };
    return item;
  }

  private tooltip(unread: number | undefined, total: number | undefined, noCount: boolean): string {
    const { folder } = this;
    if (!folder.openable) return `${folder.path}\nHolds only folders, no messages of its own.`;
    if (noCount) return `${folder.path}\nThe server did not give its counts: ${folder.countsError}\nRefresh the folder to count it again.`;
    return `${folder.path}\n${unread ?? 0} unread${total === undefined ? '' : ` of ${total}`}`;
  }
}

/**
 * A message of a folder page or of a search's results: subject, sender and date; unread ones
 * coloured with a dot, a paperclip when it has attachments, else a star when flagged, else a
 * reply arrow when answered (the tooltip says each). Its context value says what the menus need:
 * `message.<unread|read>[.attachments][.flagged][.junk]`, `.junk` in the Junk Email folder.
 */
export class MessageNode {
  readonly kind = 'message';
  /** The folder the message is in. */
  readonly folder: string;

  constructor(readonly parent: FolderNode | SearchNode, readonly message: MessageSummary, folder?: string) {
    this.folder = folder ?? (parent.kind === 'folder' ? parent.path : '');
  }

  get account(): Account {
    return this.parent.account;
  }

  toTreeItem(): vscode.TreeItem {
    const m = this.message;
    const subject = m.subject.trim() || '(no subject)';
    const item = new vscode.TreeItem(subject, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = messageStateUri(m.unread);
    // A message found by a search is in the tree twice: under its folder and under the search.
    item.id = idOf(this.parent.kind === 'search' ? 'found' : 'message', this.account.id, this.folder, m.uid);
    const sender = m.from ? m.from.name || m.from.address : '';
    item.description = [sender, m.date ? shortDate(m.date) : ''].filter(Boolean).join(' · ');
    const icon = m.hasAttachment ? 'attach' : m.flagged ? 'star-full' : m.answered ? 'reply' : m.unread ? 'mail' : 'mail-read';
    item.iconPath = new vscode.ThemeIcon(icon, m.unread ? unreadColor() : undefined);
    const inJunk = this.parent.kind === 'folder' && this.parent.folder.specialUse === 'junk';
    item.contextValue = `message.${m.unread ? 'unread' : 'read'}${m.hasAttachment ? '.attachments' : ''}${m.flagged ? '.flagged' : ''}${inJunk ? '.junk' : ''}`;
    item.command = { title: 'Open Message', command: 'exchangeMail.openMessage', arguments: [this] };
    item.tooltip = this.tooltip(subject);
    const marks = [m.unread ? 'unread' : '', m.answered ? 'answered' : '', m.flagged ? 'flagged' : '', m.hasAttachment ? 'with attachments' : ''].filter(Boolean).join(', ');
    item.accessibilityInformation = { label: [subject, sender && `from ${sender}`, m.date ? longDate(m.date) : '', marks].filter(Boolean).join(', ') };
    return item;
  }

  private tooltip(subject: string): vscode.MarkdownString {
    const m = this.message;
    const md = new vscode.MarkdownString('', false);
    md.appendMarkdown(`**${escapeMarkdown(subject)}**\n\n`);
    if (m.from) md.appendText(`From: ${m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address}\n`);
    if (m.date) md.appendText(`\nDate: ${longDate(m.date)}\n`);
    const marks = [m.unread ? 'Unread' : 'Read', m.answered ? 'answered' : '', m.flagged ? 'flagged' : '', m.hasAttachment ? 'has attachments' : ''].filter(Boolean);
    md.appendText(`\n${marks.join(' · ')}`);
    return md;
  }
}

/** Below a folder's messages (or a search's matches) while older ones remain: appends the next page. */
export class LoadMoreNode {
  readonly kind = 'loadMore';

  constructor(readonly parent: FolderNode | SearchNode, readonly shown: number, readonly total: number) {}

  get account(): Account {
    return this.parent.account;
  }

  /** The folder whose page it loads; '' under a search. */
  get folder(): string {
    return this.parent.kind === 'folder' ? this.parent.path : '';
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    const found = this.parent.kind === 'search';
    item.id = idOf(found ? 'loadMoreFound' : 'loadMore', this.account.id, this.folder);
    item.description = `${this.shown} of ${this.total}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.tooltip = `Show the next ${Math.min(50, this.total - this.shown)} older ${found ? 'matches' : `messages of ${this.folder}`}`;
    item.command = { title: 'Load More', command: 'exchangeMail.loadMore', arguments: [this] };
    return item;
  }
}

/** What failed to be read: the account's folders, a folder's first page, or the next page. */
export type FailedRead = 'folders' | 'messages' | 'more';

/** Why something could not be shown, with Retry, and Sign In or Open Settings where they help. */
export class MailboxErrorNode {
  readonly kind = 'mailboxError';

  constructor(readonly parent: AccountNode | FolderNode, readonly account: Account, readonly error: ExplainedError, readonly failed: FailedRead) {}

  get folder(): string | undefined {
    return this.parent.kind === 'folder' ? this.parent.path : undefined;
  }

  offers(action: ErrorAction): boolean {
    return this.error.actions.includes(action);
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.error.message, vscode.TreeItemCollapsibleState.None);
    item.id = idOf('error', this.account.id, this.folder ?? '', this.failed);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.tooltip = `${this.error.message}\n\n${this.error.fix}`;
    item.contextValue = `mailboxError${this.offers('signIn') ? '.signIn' : ''}${this.offers('openSettings') ? '.openSettings' : ''}`;
    item.command = this.offers('signIn')
      ? { title: 'Sign In', command: 'exchangeMail.signInFromTree', arguments: [this] }
      : { title: 'Retry', command: 'exchangeMail.retry', arguments: [this] };
    item.accessibilityInformation = { label: `${this.error.message} ${this.error.fix}` };
    return item;
  }
}

/** Under an account that is not signed in. */
export class SignInNode {
  readonly kind = 'signIn';

  constructor(readonly parent: AccountNode, readonly account: Account) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Sign in to see folders', vscode.TreeItemCollapsibleState.None);
    item.id = idOf('signIn', this.account.id);
    item.iconPath = new vscode.ThemeIcon('sign-in');
    item.contextValue = 'signInNeeded';
    item.tooltip = `Sign in ${this.account.address} to list its folders and messages.`;
    item.command = { title: 'Sign In', command: 'exchangeMail.signInFromTree', arguments: [this] };
    return item;
  }
}

/** Says there is nothing where the user would expect something, so a level is never empty. */
export class EmptyNode {
  readonly kind = 'empty';

  constructor(readonly parent: AccountNode | FolderNode | SearchNode, readonly text: string) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    const { parent } = this;
    const owner = parent.kind === 'folder' ? [parent.account.id, parent.path] : parent.kind === 'search' ? [parent.account.id, 'search'] : [parent.label];
    item.id = idOf('empty', ...owner);
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = 'mailboxEmpty';
    return item;
  }
}

/** "Search: …" under the account: the last search's matches, newest first, a page at a time. */
export class SearchNode {
  readonly kind = 'search';

  constructor(readonly parent: AccountNode, readonly account: Account, readonly search: MailboxSearch) {}

  toTreeItem(): vscode.TreeItem {
    const { query, folder, total } = this.search;
    const item = new vscode.TreeItem(`Search: ${query.text}`, vscode.TreeItemCollapsibleState.Expanded);
    const where = folder === undefined ? 'all folders' : folder;
    item.id = idOf('search', this.account.id);
    item.description = `${total} found · ${where}`;
    item.iconPath = new vscode.ThemeIcon('search');
    item.contextValue = 'search';
    item.tooltip = `${query.text}\n${total} ${total === 1 ? 'message' : 'messages'} found in ${where}`;
    item.accessibilityInformation = { label: `Search ${query.text}, ${total} found in ${where}` };
    return item;
  }
}

export type MailNode = FolderNode | MessageNode | LoadMoreNode | MailboxErrorNode | SignInNode | EmptyNode | SearchNode;

/** The message date as a list shows it: the time today, the weekday this week, else the day. */
export function shortDate(date: Date, now = new Date()): string {
  const locale = vscode.env.language;
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (days > 0 && days < 7) return date.toLocaleDateString(locale, { weekday: 'short' });
  if (date.getFullYear() === now.getFullYear()) return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

function longDate(date: Date): string {
  return date.toLocaleString(vscode.env.language, { dateStyle: 'medium', timeStyle: 'short' });
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
