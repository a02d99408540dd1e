import type { Account } from '../../accounts/account';
import type { ExplainedError } from '../../errors';
import type { CachedPage, MailboxSnapshot } from '../../mail/cache/mailbox-snapshot';
import { FolderTree, type Folder } from '../../mail/imap/folder-model';
import { PAGE_SIZE } from '../../mail/imap/message-page';
import type { CachedMailboxes } from './cached-mailboxes';
import type { FolderCounts, FolderListing, FolderMessages } from './mailbox-model';

/**
 * The folders the view shows: the server's listing, or until it answers in this window, the
 * mailbox cache's (`cachedAt` says when it was saved), with `error` if the server then failed.
 */
export type ShownFolders = (FolderListing & { cachedAt?: undefined }) | { folders: FolderTree; cachedAt: Date; error?: ExplainedError };

/** How the cache stands for an account the view shows from it: when it was saved, and whether updating it failed. */
export interface CacheState {
  savedAt: Date;
  failed: boolean;
}

/** What the view needs of the mail model: its reads from the server and what they hold. */
export interface LiveMail {
  folders(account: Account): Promise<FolderListing>;
  messages(account: Account, folder: string): Promise<FolderMessages>;
  countsOf(accountId: string, folder: Folder): FolderCounts;
  /** The account's listing and the first pages its session read; undefined while it has listed nothing. */
  readSoFar(accountId: string): Promise<{ tree: FolderTree; pages: ReadonlyMap<string, FolderMessages> } | undefined>;
}

/** An account shown from the cache in this window, until the server's listing replaces it. */
interface CachedShowing {
  readonly snapshot: MailboxSnapshot;
  readonly tree: FolderTree;
  /** The listing asked for once the cached rows went out. */
  update?: Promise<void>;
  failure?: ExplainedError;
}

/**
 * The Mailboxes view of a new window before the server answers: an account the server has not
 * listed yet in this window is shown from the mailbox cache (./cached-mailboxes) at once, its
 * folders and the first pages that were cached, while its listing is asked for; when that
 * comes, the view shows the model's live data from then on, and the cache is saved from it as
 * it changes. If the server fails, the cached rows stay with the failure.
 */
export class CachedView {
  /** Accounts the server listed in this window, as they were then: the cache is not shown for them any more. */
  private readonly listed = new Map<string, Account>();
  private readonly showing = new Map<string, CachedShowing>();

  constructor(private readonly cache: CachedMailboxes, private readonly live: LiveMail, private readonly changed: (accountId: string) => void) {}

  async folders(account: Account): Promise<ShownFolders> {
    const showing = await this.cachedShowing(account);
    if (!showing) {
      const listing = await this.live.folders(account);
      if (listing.folders && !this.listed.has(account.id)) {
        this.listed.set(account.id, account);
        this.save(account.id);
      }
      return listing;
    }
    showing.update ??= this.updateFromServer(account, showing);
    return { folders: showing.tree, cachedAt: new Date(showing.snapshot.savedAt), error: showing.failure };
  }

  /** The cached first page while the account is shown from the cache, else the model's. */
  async messages(account: Account, folder: string): Promise<FolderMessages> {
    const cached = this.showing.get(account.id)?.snapshot.pages.get(folder);
    if (cached) return { messages: cached.messages, total: cached.total, moreAvailable: false };
    const page = await this.live.messages(account, folder);
    if (!page.error) this.save(account.id);
    return page;
  }

  async state(account: Account): Promise<CacheState | undefined> {
    const showing = await this.cachedShowing(account);
    return showing && { savedAt: new Date(showing.snapshot.savedAt), failed: showing.failure !== undefined };
  }

  /** Retry, Refresh or a sign-in: an account whose update failed asks the server again on its next showing. */
  askAgain(accountId?: string): void {
    for (const [id, showing] of this.showing) {
      if (accountId && id !== accountId) continue;
      showing.update = undefined;
      showing.failure = undefined;
    }
  }

  /** The account's session is gone (signed out, settings changed): what was shown from the cache is read again when needed. */
  forget(accountId: string): void {
    this.showing.delete(accountId);
  }

  /** Saves what the server said of the account (or of every account listed here) to the cache, soon. */
  save(accountId?: string): void {
    for (const [id, account] of this.listed) {
      if (!accountId || id === accountId) this.cache.save(account, () => this.snapshotOf(account));
    }
  }

  /** The cached view of an account the server has not listed yet in this window, if the cache has it. */
  private async cachedShowing(account: Account): Promise<CachedShowing | undefined> {
    if (this.listed.has(account.id)) return undefined;
    const known = this.showing.get(account.id);
    if (known) return known;
    const snapshot = await this.cache.snapshot(account);
    if (!snapshot || this.listed.has(account.id)) return undefined;
    const showing = this.showing.get(account.id) ?? { snapshot, tree: new FolderTree(snapshot.folders) };
    this.showing.set(account.id, showing);
    return showing;
  }

  /**
   * The server's folders in place of the cached ones; if it fails, the cached ones stay with the
   * error. It starts after the cached rows were handed to the view: opening the session loads the
   * IMAP code, which takes longer than showing them.
   */
  private async updateFromServer(account: Account, showing: CachedShowing): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const listing = await this.live.folders(account);
    if (this.showing.get(account.id) !== showing) return;
    if (listing.folders) {
      this.listed.set(account.id, account);
      this.showing.delete(account.id);
    } else {
      showing.failure = listing.error;
    }
    this.changed(account.id);
  }

  /** The account's folders with their counts as shown now, and the first page of each folder read (or kept from before). */
  private async snapshotOf(account: Account): Promise<Omit<MailboxSnapshot, 'server'> | undefined> {
    const read = await this.live.readSoFar(account.id);
    if (!read) return undefined;
    const { tree } = read;
    const folders = tree.listed.map((listed) => {
      const folder = tree.get(listed.path);
      const counts = folder?.openable ? this.live.countsOf(account.id, folder) : {};
      return { ...listed, unread: counts.unread ?? listed.unread, total: counts.total ?? listed.total };
    });
    const pages = new Map<string, CachedPage>();
    for (const [path, page] of (await this.cache.snapshot(account))?.pages ?? []) if (tree.get(path)?.openable) pages.set(path, page);
    const savedAt = Date.now();
    for (const [path, page] of read.pages) pages.set(path, { total: page.total, messages: page.messages.slice(0, PAGE_SIZE), savedAt });
    return { mailbox: account.id, savedAt, folders, pages };
  }
}
