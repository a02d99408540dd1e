/**
 * One "Search Mailbox…" of an account, as the "Search: …" node shows it: every match's folder,
 * UID and arrival (searched once, in one folder or in all the openable ones), and the rows of
 * the pages shown so far, 50 at a time, newest first across folders.
 */
import type { MessageSummary } from '../../mail/imap/message-page';
import { newestFirst, SearchHit } from '../../mail/imap/message-search';
import type { SearchQuery } from '../../mail/imap/search-query';
import type { ImapSession } from '../../mail/imap/session';

export const SEARCH_PAGE_SIZE = 50;

/** A match as the list shows it, with the folder it is in (a search may span folders). */
export interface FoundMessage extends MessageSummary {
  readonly folder: string;
}

export class MailboxSearch {
  readonly messages: FoundMessage[] = [];
  /** Matches read so far, gone ones included: where the next page starts. */
  private read = 0;
  private loadingMore?: Promise<void>;

  private constructor(readonly query: SearchQuery, /** The folder searched; undefined: every openable folder. */ readonly folder: string | undefined,
    private readonly hits: readonly SearchHit[]) {}

  /**
   * Searches the folders one after the other (the session runs one command at a time) and reads
   * the first page. Matches of several folders are merged by arrival date; one folder's come in
   * its own order.
   */
  static async run(session: ImapSession, query: SearchQuery, folders: readonly string[], folder: string | undefined): Promise<MailboxSearch> {
    const hits: SearchHit[] = [];
    const dated = folders.length > 1;
    for (const path of folders) hits.push(...await session.search(path, query, { dated }));
    const search = new MailboxSearch(query, folder, hits.sort(newestFirst));
    await search.loadMore(session);
    return search;
  }

  /** Matches in all. */
  get total(): number {
    return this.hits.length;
  }

  get moreAvailable(): boolean {
    return this.read < this.hits.length;
  }

  /** Appends the next page; a message deleted since the search is left out. */
  loadMore(session: ImapSession): Promise<void> {
    this.loadingMore ??= this.readPage(session).finally(() => {
      this.loadingMore = undefined;
    });
    return this.loadingMore;
  }

  /** A mark made elsewhere (the folder's list, a notification) shown here too. */
  markSeen(folder: string, uids: readonly number[], seen: boolean): boolean {
    let changed = false;
    for (const message of this.messages) {
      if (message.folder !== folder || !uids.includes(message.uid) || message.unread === !seen) continue;
      (message as { unread: boolean }).unread = !seen;
      changed = true;
    }
    return changed;
  }

  private async readPage(session: ImapSession): Promise<void> {
    const page = this.hits.slice(this.read, this.read + SEARCH_PAGE_SIZE);
    const byFolder = new Map<string, number[]>();
    for (const hit of page) byFolder.set(hit.folder, [...(byFolder.get(hit.folder) ?? []), hit.uid]);
    const rows = new Map<string, MessageSummary>();
    for (const [folder, uids] of byFolder) for (const summary of await session.summaries(folder, uids)) rows.set(`${folder}\n${summary.uid}`, summary);
    this.messages.push(...page.flatMap((hit) => {
      const row = rows.get(`${hit.folder}\n${hit.uid}`);
      return row ? [{ ...row, folder: hit.folder }] : [];
    }));
    this.read += page.length;
  }
}
