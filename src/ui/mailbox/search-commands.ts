/**
 * "Search Mailbox…" from the view's title (an account, then all folders or one) or a folder's
 * menu (that folder), and "Close Search" on the "Search: …" node. The query is checked as it is
 * typed: a mistyped one is named in the input box and never sent.
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { parseSearchQuery, SearchQuery } from '../../mail/imap/search-query';
import { pickAccount } from '../accounts/pick-account';
import { showError } from '../show-error';
import type { AccountNode } from '../tree/account-nodes';
import type { FolderNode, SearchNode } from '../tree/mail-nodes';
import { inView, MailboxCommandContext } from './mailbox-commands';
import type { MailboxSearch } from './mailbox-search';

/** For callers other than a person (and tests): search every openable folder, not only the one clicked. */
export interface SearchOptions {
  allFolders?: boolean;
}

const ALL_FOLDERS = '$(files) All folders';

/**
 * Resolves with the search shown under the account, or undefined when the user cancelled, the
 * query was mistyped (said so) or the search failed (explained).
 */
export async function searchMailbox(context: MailboxCommandContext, node?: AccountNode | FolderNode, text?: string,
  options: SearchOptions = {}): Promise<MailboxSearch | undefined> {
  const account = node?.kind === 'folder' ? node.account : await pickAccount(context.settings, node, 'Account to search');
  if (!account) return undefined;
  const folder = node?.kind === 'folder' && !options.allFolders ? node.path
    : options.allFolders || text !== undefined ? undefined : await pickScope(context, account);
  if (folder === null) return undefined;
  const query = text === undefined ? await askQuery(folder) : checked(text);
  if (!query) return undefined;
  try {
    return await inView(() => context.mail.search(account, query, folder));
  } catch (err) {
    const action = await showError(err, context.log, `Searching for "${query.text}" failed`);
    if (action === 'retry') return searchMailbox(context, node, query.text, options);
    return undefined;
  }
}

/** "Close Search": the "Search: …" node goes. */
export function closeSearch(context: MailboxCommandContext, node: SearchNode): void {
  context.mail.closeSearch(node.account.id);
}

/** "Load more…" under a search: its next 50 matches. */
export async function loadMoreFound(context: MailboxCommandContext, account: Account): Promise<void> {
  try {
    await inView(() => context.mail.loadMoreFound(account));
  } catch (err) {
    await showError(err, context.log, 'Loading more matches failed');
  }
}

/** The folder to search; undefined: all of them; null: the user cancelled. */
async function pickScope(context: MailboxCommandContext, account: Account): Promise<string | undefined | null> {
  const listing = await context.mail.folders(account);
  const folders = listing.folders?.all().filter((f) => f.openable) ?? [];
  const picked = await vscode.window.showQuickPick([{ label: ALL_FOLDERS, path: undefined }, ...folders.map((f) => ({ label: f.path, path: f.path }))],
    { title: `Search ${account.address}`, placeHolder: 'Where to search' });
  return picked ? picked.path : null;
}

async function askQuery(folder: string | undefined): Promise<SearchQuery | undefined> {
  const text = await vscode.window.showInputBox({
    title: `Search ${folder ?? 'all folders'}`,
    placeHolder: 'from:bob subject:"release 1.4" since:2026-11-01 unread has:attachment words',
    prompt: 'Keys: from: to: cc: subject: body: since: before: on: (YYYY-MM-DD), is:unread|read|flagged, has:attachment; other words search the text.',
    validateInput: (value) => parseSearchQuery(value).problem,
  });
  return text === undefined ? undefined : checked(text);
}

function checked(text: string): SearchQuery | undefined {
  const { query, problem } = parseSearchQuery(text);
  if (problem) void vscode.window.showErrorMessage(`The search was not sent: ${problem}`);
  return query;
}
