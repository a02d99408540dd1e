/**
 * Search in a 5,000-message folder: the time from "Search Mailbox…" on alice's `Notifications`
 * to the first page of the "Search: …" node (the 50 newest matches with what their rows show),
 * through what the command runs (`MailboxSearch.run`: the session's search, then the page's
 * summaries), next to the least a client must send for that page, written on a TLS socket:
 * `UID SEARCH` with the same criteria and one `UID FETCH` of the 50 highest UIDs with the
 * items a row needs. Both start logged in with the folder selected, on the sandbox's Exchange
 * front. Two queries: one that matches a fifth of the folder, one that matches all of it.
 */
import { parseSearchQuery, SearchQuery } from '../../src/mail/imap/search-query';
import { ImapSession } from '../../src/mail/imap/session';
import { MailboxSearch, SEARCH_PAGE_SIZE } from '../../src/ui/mailbox/mailbox-search';
import { cachedCredentials } from '../integration/imap-sandbox';
import { BULK_FOLDER } from '../sandbox/mail/mailbox-layout';
import { alternate, bareImap, commandsOf, MailboxBenchResult, withBenchSandbox } from './mailbox-bench';

const TARGET_RATIO = 1.3;

/** What a row shows, as the product's FETCH asks for it (SUMMARY_QUERY). */
const ROW_ITEMS = '(UID FLAGS ENVELOPE BODYSTRUCTURE RFC822.SIZE INTERNALDATE)';

/** The queries, and the same criteria as a bare client would write them. */
const QUERIES = [
  { name: 'search-5000-subject', text: 'subject:failed', criteria: 'SUBJECT failed' },
  { name: 'search-5000-all-match', text: 'from:builds', criteria: 'FROM builds' },
];

function parsed(text: string): SearchQuery {
  const result = parseSearchQuery(text);
  if (!result.query) throw new Error(result.problem);
  return result.query;
}

export async function benchSearch(options: { runs?: number } = {}): Promise<MailboxBenchResult[]> {
  const runs = options.runs ?? 9;
  return withBenchSandbox('search', async (sandbox) => {
    const wire = await bareImap(sandbox);
    const session = new ImapSession({ server: sandbox.server('exchange'), credentials: cachedCredentials(sandbox) });
    try {
      await wire.run(`SELECT ${BULK_FOLDER}`);
      await session.messagePage(BULK_FOLDER);
      const results: MailboxBenchResult[] = [];
      for (const { name, text, criteria } of QUERIES) {
        const query = parsed(text);
        const productCommands = (await commandsOf(sandbox, BULK_FOLDER, (s) => MailboxSearch.run(s, query, [BULK_FOLDER], BULK_FOLDER))).commands;
        let matches = 0;
        const product = async () => {
          const started = performance.now();
          const search = await MailboxSearch.run(session, query, [BULK_FOLDER], BULK_FOLDER);
          const ms = performance.now() - started;
          if (search.messages.length !== Math.min(SEARCH_PAGE_SIZE, search.total)) throw new Error(`the first page has ${search.messages.length} of ${search.total} matches`);
          matches = search.total;
          return ms;
        };
        let baselineMatches = 0;
        const baseline = async () => {
          const started = performance.now();
          const found = (await wire.run(`UID SEARCH ${criteria}`)).find((l) => l.startsWith('* SEARCH'))!;
          const uids = found.split(' ').slice(2).map(Number).sort((a, b) => b - a);
          const page = uids.slice(0, SEARCH_PAGE_SIZE);
          const rows = (await wire.run(`UID FETCH ${page.join(',')} ${ROW_ITEMS}`)).filter((l) => / FETCH \(/.test(l)).length;
          const ms = performance.now() - started;
          if (rows !== page.length) throw new Error(`the bare FETCH gave ${rows} of ${page.length} rows`);
          baselineMatches = uids.length;
          return ms;
        };
        const measured = await alternate(runs, product, baseline);
        if (matches !== baselineMatches) throw new Error(`"${text}": the product found ${matches}, the bare search ${baselineMatches}`);
        results.push({
          name,
          unit: `ms from logged in with the folder selected to the first ${SEARCH_PAGE_SIZE} of ${matches} matches of "${text}" (median of ${runs})`,
          value: measured.value, baseline: measured.baseline, ratio: measured.ratio,
          detail: { target: TARGET_RATIO, ...measured.detail, matches, productCommands },
        });
      }
      return results;
    } finally {
      wire.close();
      await session.close();
    }
  });
}
