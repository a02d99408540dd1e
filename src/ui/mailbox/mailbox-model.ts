import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { ExplainedError } from '../../errors';
import type { Folder, FolderTree } from '../../mail/imap/folder-model';
import type { MessageDocument } from '../../mail/imap/message-document';
import type { MessageSummary, PageCursor } from '../../mail/imap/message-page';
import type { SearchQuery } from '../../mail/imap/search-query';
import type { ImapSession } from '../../mail/imap/session';
import { isInbox } from '../../mail/imap/folder-model';
import { toMailServer } from '../../accounts/mail-server';
import { loadCore } from '../bundle-loader';
import { asExplained } from '../show-error';
import type { AccountSessions } from './account-sessions';
import type { CachedMailboxes } from './cached-mailboxes';
import { CachedView, type CacheState, type ShownFolders } from './cached-view';
import { MailboxSearch } from './mailbox-search';

/** An account's folders, or why they could not be listed. */
export type FolderListing = { folders: FolderTree; error?: undefined } | { folders?: undefined; error: ExplainedError };

/** What a folder shows under it: the pages read so far, newest first. */
export interface FolderMessages {
  readonly messages: readonly MessageSummary[];
  /** Messages in the folder. */
  readonly total: number;
  readonly moreAvailable: boolean;
  /** Why the first page could not be read. */
  readonly error?: ExplainedError;
  /** Why the last "Load more…" failed; the next try starts where it did. */
  readonly moreError?: ExplainedError;
}

/** Messages a move took from one folder to another: as they are now in `to`, with their UIDs there. */
export interface MovedMessages {
  readonly account: Account;
  readonly from: string;
  readonly to: string;
  readonly messages: readonly MessageSummary[];
  /** False when the server did not say the new UIDs (no COPYUID), so the move cannot be undone. */
  readonly undoable: boolean;
}

/** A folder's counts as they are now. */
export interface FolderCounts {
  unread?: number;
  total?: number;
}

/** A count of the Inbox watch (IDLE or polling), with the one before it. */
export interface InboxCount {
  account: Account;
  count: number;
  previous?: number;
}

/** What changed: one folder of an account (its count or its messages), a whole account, or everything. */
export type MailboxChange = { accountId: string; folder?: string } | undefined;

interface FolderState extends FolderMessages {
  messages: MessageSummary[];
  total: number;
  moreAvailable: boolean;
  next?: PageCursor;
  error?: ExplainedError;
  moreError?: ExplainedError;
  loadingMore?: Promise<void>;
}

/** What is known of one account's mailbox for as long as its session lives. */
class AccountMailbox {
  listing?: Promise<FolderListing>;
  readonly pages = new Map<string, Promise<FolderState>>();
  /** Counts that changed since the listing (marked read or unread, moved or deleted here). */
  readonly unread = new Map<string, number>();
  readonly totals = new Map<string, number>();
  /** The Inbox unread count from the session's IDLE watch (or polling): newer than any listing. */
  inboxUnread?: number;
  watch?: vscode.Disposable;
  /** The Inbox read again for the watch's last new count. */
  inboxReread = Promise.resolve();
  /** The last "Search Mailbox…", shown as "Search: …" until closed or replaced. */
  search?: MailboxSearch;

  constructor(readonly account: Account, readonly session: ImapSession) {}
}

/** Any failure as the user should see it: an ExplainedError, never a stack. */
export function explained(err: unknown): ExplainedError {
  return asExplained(err) ?? new ExplainedError(err instanceof Error ? err.message : String(err),
    'Try again; the Exchange Mail log has the details.', { code: 'unexpected', actions: ['retry', 'showLog'], cause: err });
}

/**
 * A failure told with what the account knows (diagnostics' words, as Test Connection has them):
 * Exchange's "authenticated but not connected" gets the admin commands for this mailbox and
 * sign-in mode; a shared mailbox the server would not open, the FullAccess (or the app's mailbox
 * permission) it most likely lacks.
 */
export function explainedFor(account: Account, err: unknown): ExplainedError {
  const error = explained(err);
  const sharedRefused = account.openedBy !== undefined && error.code === 'auth-failed';
  if (error.code !== 'mailbox-not-connected' && !sharedRefused) return error;
  const context = {
    server: toMailServer(account, 'imap'), user: account.address, address: account.address, mode: account.authMode,
    clientId: account.clientId, tenant: account.tenant,
  };
  return sharedRefused
    ? loadCore().explainSharedMailboxRefused('imap', { ...context, signedInAs: account.openedBy!.address }, err)
    : loadCore().explainMailboxNotConnected('imap', context, err);
}

/**
 * What the Mailboxes view and the status bar show of each account's mail, read through the
 * account's IMAP session and kept until a refresh: the folder tree, the pages of messages read
 * per folder, read/unread marks made here, and the Inbox unread count the session keeps current.
 * Failures are kept as values so the view can show them until the user retries.
 */
export class MailboxModel implements vscode.Disposable {
  private readonly mailboxes = new Map<string, AccountMailbox>();
  private readonly changed = new vscode.EventEmitter<MailboxChange>();
  readonly onDidChange = this.changed.event;
  private readonly inboxChanged = new vscode.EventEmitter<void>();
  /** An Inbox unread count appeared, changed or went away. */
  readonly onDidChangeInboxUnread = this.inboxChanged.event;
  private readonly inboxCounted = new vscode.EventEmitter<InboxCount>();
  /** The Inbox watch counted the account's unread Inbox mail; `previous` is undefined the first time. */
  readonly onDidCountInbox = this.inboxCounted.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly cached?: CachedView;

  /** With `cache`, a new window shows what it kept until the server answers, and the cache follows what the server says (./cached-view). */
  constructor(private readonly sessions: AccountSessions, cache?: CachedMailboxes) {
    this.cached = cache && new CachedView(cache, this, (accountId) => this.changed.fire({ accountId }));
    this.subscriptions = [
      sessions.onDidClose((id) => {
        if (this.forget(id)) this.changed.fire({ accountId: id });
      }),
      sessions.onDidSignIn((id) => void this.forgetFailures(id)),
      this.changed.event((change) => this.cached?.save(change?.accountId)),
    ];
  }

  /** The folders the view shows: the listing, or in a new window the cached ones until the server answers. */
  shownFolders(account: Account): Promise<ShownFolders> {
    return this.cached ? this.cached.folders(account) : this.folders(account);
  }

  /** A folder's messages as the view shows them: the cached first page while the account is shown from the cache. */
  shownMessages(account: Account, folder: string): Promise<FolderMessages> {
    return this.cached ? this.cached.messages(account, folder) : this.messages(account, folder);
  }

  /** Whether the view shows the account from the cache, and how that stands. */
  async cacheState(account: Account): Promise<CacheState | undefined> {
    return this.cached?.state(account);
  }

  /** The account's listing and the first pages its session read (for the mailbox cache); undefined while it has listed nothing. */
  async readSoFar(accountId: string): Promise<{ tree: FolderTree; pages: Map<string, FolderMessages> } | undefined> {
    const mailbox = this.mailboxes.get(accountId);
    const tree = (await mailbox?.listing)?.folders;
    if (!mailbox || !tree || this.mailboxes.get(accountId) !== mailbox) return undefined;
    const pages = new Map<string, FolderMessages>();
    for (const [path, pending] of [...mailbox.pages]) {
      const state = await pending;
      if (!state.error) pages.set(path, state);
    }
    return { tree, pages };
  }

  /** The account's folders, listed once per session (or refresh). */
  folders(account: Account): Promise<FolderListing> {
    let mailbox: AccountMailbox;
    try {
      mailbox = this.mailbox(account);
    } catch (err) {
      return Promise.resolve({ error: explainedFor(account, err) });
    }
    mailbox.listing ??= mailbox.session.listFolders().then(
      (folders) => {
        mailbox.unread.clear();
        mailbox.totals.clear();
        return { folders };
      },
      (err: unknown) => ({ error: explainedFor(account, err) }));
    return mailbox.listing;
  }

  /** The folder's messages read so far; the first page is read on first use. */
  async messages(account: Account, folder: string): Promise<FolderMessages> {
    let mailbox: AccountMailbox;
    try {
      mailbox = this.mailbox(account);
    } catch (err) {
      return { messages: [], total: 0, moreAvailable: false, error: explainedFor(account, err) };
    }
    let state = mailbox.pages.get(folder);
    if (!state) {
      state = this.firstPage(mailbox, folder);
      mailbox.pages.set(folder, state);
    }
    return state;
  }

  private firstPage(mailbox: AccountMailbox, folder: string): Promise<FolderState> {
    return mailbox.session.messagePage(folder).then(
      (page): FolderState => ({ messages: page.messages.map((m) => ({ ...m })), total: page.total, moreAvailable: page.moreAvailable, next: page.next }),
      (err: unknown): FolderState => ({ messages: [], total: 0, moreAvailable: false, error: explainedFor(mailbox.account, err) }));
  }

  /** Appends the next, older, page of the folder; a failure is kept in `moreError`. */
  async loadMore(account: Account, folder: string): Promise<void> {
    const mailbox = this.mailbox(account);
    const pending = mailbox.pages.get(folder);
    if (!pending) return;
    const state = await pending;
    if (!state.moreAvailable || !state.next) return;
    const cursor = state.next;
    state.loadingMore ??= mailbox.session.messagePage(folder, cursor).then(
      (page) => {
        const shown = new Set(state.messages.map((m) => m.uid));
        state.messages.push(...page.messages.filter((m) => !shown.has(m.uid)).map((m) => ({ ...m })));
        state.total = page.total;
        state.moreAvailable = page.moreAvailable;
        state.next = page.next;
        state.moreError = undefined;
      },
      (err: unknown) => {
        state.moreError = explainedFor(account, err);
      }).finally(() => {
      state.loadingMore = undefined;
      if (this.mailboxes.get(account.id) === mailbox) this.changed.fire({ accountId: account.id, folder });
    });
    await state.loadingMore;
  }

  /** The folder's counts as they are now: listed, then kept current by marks, moves and the Inbox watch. */
  countsOf(accountId: string, folder: Folder): FolderCounts {
    const mailbox = this.mailboxes.get(accountId);
    const total = mailbox?.totals.get(folder.path) ?? folder.total;
    if (mailbox && isInbox(folder.path) && mailbox.inboxUnread !== undefined) return { unread: mailbox.inboxUnread, total };
    return { unread: mailbox?.unread.get(folder.path) ?? folder.unread, total };
  }

  /** Inbox unread counts known now, by account id. */
  inboxUnread(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [id, mailbox] of this.mailboxes) if (mailbox.inboxUnread !== undefined) counts.set(id, mailbox.inboxUnread);
    return counts;
  }

  /** The message as the reading tab shows it (fetched once per session, with BODY.PEEK: it stays unread). */
  openMessage(account: Account, folder: string, uid: number): Promise<MessageDocument> {
    return this.mailbox(account).session.openMessage(folder, uid);
  }

  attachment(account: Account, folder: string, uid: number, index: number): Promise<Buffer> {
    return this.mailbox(account).session.saveAttachment(folder, uid, index);
  }

  /** Adds a flag to a message on the server; false when the folder does not keep that flag (see `ImapSession.addFlag`). `\Answered` shows at once. */
  async addFlag(account: Account, folder: string, uid: number, flag: string): Promise<boolean> {
    const mailbox = this.mailbox(account);
    const kept = await mailbox.session.addFlag(folder, uid, flag);
    const summary = kept && flag === '\\Answered' ? (await mailbox.pages.get(folder)?.catch(() => undefined))?.messages.find((m) => m.uid === uid) : undefined;
    if (summary) {
      summary.answered = true;
      this.changed.fire({ accountId: account.id, folder });
    }
    return kept;
  }

  /** Marks messages of a folder read or unread on the server (one command), then in the pages and counts shown. */
  async setSeen(account: Account, folder: string, uids: number | number[], seen: boolean): Promise<void> {
    const mailbox = this.mailbox(account);
    const marked = Array.isArray(uids) ? uids : [uids];
    await mailbox.session.setSeen(folder, marked, seen);
    if (this.mailboxes.get(account.id) !== mailbox) return;
    if (mailbox.search?.markSeen(folder, marked, seen)) this.changed.fire({ accountId: account.id });
    const state = await mailbox.pages.get(folder)?.catch(() => undefined);
    // A message not read into the pages is counted as changed, as the server's count will have it.
    let changedCount = 0;
    for (const uid of marked) {
      const summary = state?.messages.find((m) => m.uid === uid);
      if (summary?.unread !== !seen) changedCount++;
      if (summary) summary.unread = !seen;
    }
    if (changedCount === 0) return;
    await this.adjustCounts(mailbox, folder, seen ? -changedCount : changedCount, 0);
    this.changed.fire({ accountId: account.id, folder });
  }

  /** Flags or unflags messages of a folder on the server (one command), then in the pages shown. */
  async setFlagged(account: Account, folder: string, uids: number[], flagged: boolean): Promise<void> {
    const mailbox = this.mailbox(account);
    await mailbox.session.setFlagged(folder, uids, flagged);
    if (this.mailboxes.get(account.id) !== mailbox) return;
    const state = await mailbox.pages.get(folder)?.catch(() => undefined);
    for (const summary of state?.messages ?? []) if (uids.includes(summary.uid)) summary.flagged = flagged;
    this.changed.fire({ accountId: account.id, folder });
  }

  /**
   * Moves messages of a folder to another (one UID MOVE); they leave the folder's page, and both
   * folders' counts follow without a listing. The target's page is read again when next shown.
   */
  async moveMessages(account: Account, folder: string, messages: readonly MessageSummary[], target: string): Promise<MovedMessages> {
    const mailbox = this.mailbox(account);
    const moved = await mailbox.session.moveMessages(folder, messages.map((m) => m.uid), target);
    const there = messages.map((m) => ({ ...m, uid: moved.uidMap.get(m.uid) ?? 0 }));
    const result = { account, from: folder, to: target, messages: there, undoable: there.every((m) => m.uid > 0) };
    if (this.mailboxes.get(account.id) !== mailbox) return result;
    await this.removed(mailbox, folder, messages);
    mailbox.pages.delete(target);
    await this.adjustCounts(mailbox, target, messages.filter((m) => m.unread).length, messages.length);
    this.changed.fire({ accountId: account.id, folder });
    this.changed.fire({ accountId: account.id, folder: target });
    return result;
  }

  /** Deletes messages for good (STORE \Deleted, UID EXPUNGE); they leave the page and the counts. */
  async deleteMessages(account: Account, folder: string, messages: readonly MessageSummary[]): Promise<void> {
    const mailbox = this.mailbox(account);
    await mailbox.session.deleteMessages(folder, messages.map((m) => m.uid));
    if (this.mailboxes.get(account.id) !== mailbox) return;
    await this.removed(mailbox, folder, messages);
    this.changed.fire({ accountId: account.id, folder });
  }

  /**
   * Searches `folder`, or every openable folder, and keeps the result as the account's search
   * (replacing the last one). Rejects with the failure explained.
   */
  async search(account: Account, query: SearchQuery, folder?: string): Promise<MailboxSearch> {
    const mailbox = this.mailbox(account);
    try {
      const folders = folder !== undefined ? [folder] : (mailbox.session.folders ?? await mailbox.session.listFolders()).all().filter((f) => f.openable).map((f) => f.path);
      const search = await MailboxSearch.run(mailbox.session, query, folders, folder);
      if (this.mailboxes.get(account.id) === mailbox) {
        mailbox.search = search;
        this.changed.fire({ accountId: account.id });
      }
      return search;
    } catch (err) {
      throw explainedFor(account, err);
    }
  }

  /** The account's search shown now, if any. */
  currentSearch(accountId: string): MailboxSearch | undefined {
    return this.mailboxes.get(accountId)?.search;
  }

  /** The next page of the account's search. */
  async loadMoreFound(account: Account): Promise<void> {
    const mailbox = this.mailbox(account);
    const search = mailbox.search;
    if (!search) return;
    try {
      await search.loadMore(mailbox.session);
    } catch (err) {
      throw explainedFor(account, err);
    } finally {
      this.changed.fire({ accountId: account.id });
    }
  }

  closeSearch(accountId: string): void {
    const mailbox = this.mailboxes.get(accountId);
    if (!mailbox?.search) return;
    mailbox.search = undefined;
    this.changed.fire({ accountId });
  }

  /** Unread Inbox mail after `afterUid` and the Inbox's highest UID now (see `ImapSession.inboxArrivals`). */
  inboxArrivals(account: Account, afterUid?: number): ReturnType<ImapSession['inboxArrivals']> {
    return this.mailbox(account).session.inboxArrivals(afterUid);
  }

  /** Lists everything again: every account, or one. */
  refresh(accountId?: string): void {
    this.cached?.askAgain(accountId);
    for (const [id, mailbox] of this.mailboxes) {
      if (accountId && id !== accountId) continue;
      mailbox.listing = undefined;
      mailbox.pages.clear();
      mailbox.unread.clear();
      mailbox.totals.clear();
    }
    this.changed.fire(accountId ? { accountId } : undefined);
  }

  /** Reads the folder's messages again from the newest, and its unread count (which the listing gave). */
  refreshFolder(accountId: string, folder: string): void {
    const mailbox = this.mailboxes.get(accountId);
    mailbox?.pages.delete(folder);
    this.changed.fire({ accountId, folder });
    mailbox?.session.unreadCount(folder).then((count) => {
      if (this.mailboxes.get(accountId) !== mailbox) return;
      if (isInbox(folder) && mailbox.inboxUnread !== undefined) {
        mailbox.inboxUnread = count;
        this.inboxChanged.fire();
      } else {
        mailbox.unread.set(folder, count);
      }
      this.changed.fire({ accountId, folder });
    }, () => {
      // The count shown stays; reading the messages says what went wrong, if anything did.
    });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    for (const id of [...this.mailboxes.keys()]) this.forget(id);
    this.changed.dispose();
    this.inboxChanged.dispose();
    this.inboxCounted.dispose();
  }

  /** Messages gone from a folder on the server: out of its page and its counts. */
  private async removed(mailbox: AccountMailbox, folder: string, messages: readonly MessageSummary[]): Promise<void> {
    const state = await mailbox.pages.get(folder)?.catch(() => undefined);
    const gone = new Set(messages.map((m) => m.uid));
    if (state) {
      const kept = state.messages.filter((m) => !gone.has(m.uid));
      state.total -= state.messages.length - kept.length;
      state.messages = kept;
    }
    await this.adjustCounts(mailbox, folder, -messages.filter((m) => m.unread).length, -messages.length);
  }

  /** Changes the counts shown for a folder by what was done here; the Inbox's unread count is the watch's. */
  private async adjustCounts(mailbox: AccountMailbox, folder: string, unreadDelta: number, totalDelta: number): Promise<void> {
    const listed = (await mailbox.listing)?.folders?.get(folder);
    if (unreadDelta !== 0 && isInbox(folder) && mailbox.inboxUnread !== undefined) {
      mailbox.inboxUnread = Math.max(0, mailbox.inboxUnread + unreadDelta);
      this.inboxChanged.fire();
    } else if (unreadDelta !== 0) {
      const known = mailbox.unread.get(folder) ?? listed?.unread;
      if (known !== undefined) mailbox.unread.set(folder, Math.max(0, known + unreadDelta));
    }
    const total = mailbox.totals.get(folder) ?? listed?.total;
    if (totalDelta !== 0 && total !== undefined) mailbox.totals.set(folder, Math.max(0, total + totalDelta));
  }

  /** After a sign-in, what failed is read again on next use; what is under way or was read stays. */
  private async forgetFailures(accountId: string): Promise<void> {
    this.cached?.askAgain(accountId);
    const mailbox = this.mailboxes.get(accountId);
    if (!mailbox) return;
    const listing = mailbox.listing;
    if (listing && (await listing).error && mailbox.listing === listing) mailbox.listing = undefined;
    for (const [folder, page] of [...mailbox.pages]) if ((await page).error && mailbox.pages.get(folder) === page) mailbox.pages.delete(folder);
    this.changed.fire({ accountId });
  }

  /** The account's state for its current session; a new session starts from nothing. */
  private mailbox(account: Account): AccountMailbox {
    const session = this.sessions.get(account);
    let mailbox = this.mailboxes.get(account.id);
    if (mailbox?.session === session) return mailbox;
    if (mailbox) this.forget(account.id);
    mailbox = new AccountMailbox(account, session);
    const current = mailbox;
    this.mailboxes.set(account.id, mailbox);
    mailbox.watch = session.onInboxUnreadChanged((count) => {
      if (this.mailboxes.get(account.id) !== current) return;
      const previous = current.inboxUnread;
      const inbox = session.folders?.get('INBOX');
      const shown = inbox && this.countsOf(account.id, inbox).unread;
      current.inboxUnread = count;
      this.inboxChanged.fire();
      // The Inbox row shows the count: one it already shows (the listing's, at the first count) redraws nothing.
      // One Inbox read at a time, in the order counted: the last count's read is the one shown.
      if (count !== shown) current.inboxReread = current.inboxReread.then(() => this.inboxCountChanged(current, inbox?.path ?? 'INBOX'));
      this.inboxCounted.fire({ account, count, previous });
    });
    return mailbox;
  }

  /**
   * The watch counted other Inbox mail than shown: an Inbox whose messages were read has its first
   * page read again, and the Inbox is redrawn once that is read, so its rows are never redrawn
   * while they are being read (VS Code would then show none). The rows shown stay until then,
   * and if the read fails.
   */
  private async inboxCountChanged(mailbox: AccountMailbox, folder: string): Promise<void> {
    const shown = mailbox.pages.get(folder);
    if (shown) {
      await shown;
      const read = this.firstPage(mailbox, folder);
      if (!(await read).error && mailbox.pages.get(folder) === shown) mailbox.pages.set(folder, read);
    }
    if (this.mailboxes.get(mailbox.account.id) === mailbox) this.changed.fire({ accountId: mailbox.account.id, folder });
  }

  private forget(accountId: string): boolean {
    const mailbox = this.mailboxes.get(accountId);
    if (!mailbox) return false;
    this.mailboxes.delete(accountId);
    this.cached?.forget(accountId);
    mailbox.watch?.dispose();
    if (mailbox.inboxUnread !== undefined) this.inboxChanged.fire();
    return true;
  }
}
