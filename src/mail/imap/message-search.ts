/**
 * "Search Mailbox…" on one folder: one `UID SEARCH` with the query's criteria, then the matches'
 * arrival dates (newest first across folders needs them) and, for `has:attachment`, their
 * BODYSTRUCTURE, filtered by the rule that draws the paperclip. Only UIDs and dates are kept:
 * the summaries of a page are fetched when the page is shown.
 */
import type { ImapFlow } from 'imapflow';
import { ExplainedError } from '../../errors';
import { ConnectionLostError } from './failures';
import { hasAttachment } from './message-page';
import { SearchQuery, toImapSearch } from './search-query';

export interface SearchHit {
  folder: string;
  uid: number;
  /** INTERNALDATE: when the message arrived. */
  arrived: number;
}

/** The matches in the selected `folder`, newest first. */
export async function searchSelected(client: ImapFlow, folder: string, query: SearchQuery): Promise<SearchHit[]> {
  const uids = await client.search(toImapSearch(query.terms), { uid: true });
  if (!Array.isArray(uids)) {
    if (!client.usable) throw new ConnectionLostError('the connection closed during SEARCH');
    throw searchRefused(folder, query);
  }
  if (uids.length === 0) return [];
  const fetched = await client.fetchAll(uids.join(','), { uid: true, internalDate: true, bodyStructure: query.attachment }, { uid: true });
  return fetched
    .filter((m) => !query.attachment || hasAttachment(m.bodyStructure))
    .map((m) => ({ folder, uid: m.uid, arrived: m.internalDate ? new Date(m.internalDate).getTime() : 0 }))
    .sort(newestFirst);
}

export const newestFirst = (a: SearchHit, b: SearchHit) => b.arrived - a.arrived || b.uid - a.uid;

/** The server answered NO or BAD to the SEARCH: its words are in the log (the protocol trace). */
export function searchRefused(folder: string, query: SearchQuery): ExplainedError {
  const nonAscii = /[^\x20-\x7e]/.test(query.text);
  return new ExplainedError(`The server refused the search "${query.text}" in "${folder}".`,
    nonAscii
      ? 'The server may not accept non-ASCII search terms (sent as UTF-8): try the term without accents. The Exchange Mail log has the server\'s answer.'
      : 'Try fewer or simpler terms; the Exchange Mail log has the server\'s answer.',
    { code: 'search-refused', actions: ['showLog'] });
}
