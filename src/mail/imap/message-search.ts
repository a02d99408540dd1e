/**
 * "Search Mailbox…" on one folder: one `UID SEARCH` with the query's criteria, then, for a search
 * across folders, the matches' arrival dates (merging folders newest first needs them) and, for
 * `has:attachment`, their BODYSTRUCTURE, filtered by the rule that draws the paperclip. Only UIDs
 * (and dates) are kept: the summaries of a page are fetched when the page is shown.
 *
 * A search in one folder fetches no dates: newest first there is highest UID first, the order of
 * the folder's own list. Fetching the dates of every match cost 5x the bare search and first page
 * in a 5,000-message folder (`npm run bench -- search`).
 */
import type { ImapFlow } from 'imapflow';
import { ExplainedError } from '../../errors';
import { ConnectionLostError } from './failures';
import { hasAttachment } from './message-page';
import { SearchQuery, toImapSearch } from './search-query';

export interface SearchHit {
  folder: string;
  uid: number;
  /** INTERNALDATE, when the message arrived: only for a search across folders (`dated`). */
  arrived?: number;
}

/** The matches in the selected `folder`, newest first; `dated` when they are to be merged with other folders'. */
export async function searchSelected(client: ImapFlow, folder: string, query: SearchQuery, dated: boolean): Promise<SearchHit[]> {
  const uids = await client.search(toImapSearch(query.terms), { uid: true });
  if (!Array.isArray(uids)) {
    if (!client.usable) throw new ConnectionLostError('the connection closed during SEARCH');
    throw searchRefused(folder, query);
  }
  if (uids.length === 0) return [];
  if (!dated && !query.attachment) return uids.map((uid) => ({ folder, uid })).sort(newestFirst);
  const fetched = await client.fetchAll(uids.join(','), { uid: true, internalDate: dated, bodyStructure: query.attachment }, { uid: true });
  return fetched
    .filter((m) => !query.attachment || hasAttachment(m.bodyStructure))
    .map((m) => ({ folder, uid: m.uid, ...(dated ? { arrived: m.internalDate ? new Date(m.internalDate).getTime() : 0 } : {}) }))
    .sort(newestFirst);
}

/** By arrival, then by UID: within one folder (and for hits without dates) the highest UID first. */
export const newestFirst = (a: SearchHit, b: SearchHit) => (b.arrived ?? 0) - (a.arrived ?? 0) || b.uid - a.uid;

/** The server answered NO or BAD to the SEARCH: its words are in the log (the protocol trace). */
export function searchRefused(folder: string, query: SearchQuery): ExplainedError {
  const nonAscii = /[^\x20-\x7e]/.test(query.text);
  return new ExplainedError(`The server refused the search "${query.text}" in "${folder}".`,
    nonAscii
      ? 'The server may not accept non-ASCII search terms (sent as UTF-8): try the term without accents. The Exchange Mail log has the server\'s answer.'
      : 'Try fewer or simpler terms; the Exchange Mail log has the server\'s answer.',
    { code: 'search-refused', actions: ['showLog'] });
}
