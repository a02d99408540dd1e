/**
 * What the user types into "Search Mailbox…" (`from:bob subject:"release 1.4" since:2026-11-01
 * unread has:attachment words`), read into search terms before anything is sent, and those terms
 * as the criteria of one IMAP `UID SEARCH`. A mistyped query (an unbalanced quote, an unknown
 * key, a date that is not one) is a problem naming what is wrong, never a request the server
 * would have to refuse.
 *
 * `has:attachment` is not sent: Exchange's IMAP has no attachment criterion and a
 * `HEADER Content-Type multipart/mixed` search both misses attachments (a lone PDF part,
 * multipart/related) and finds messages without one. The session filters the matches by their
 * BODYSTRUCTURE with the rule that draws the paperclip (`hasAttachment` in ./message-page).
 */
import type { SearchObject } from 'imapflow';

export type SearchTerm =
  | { key: 'from' | 'to' | 'cc' | 'subject' | 'body' | 'text'; value: string }
  | { key: 'since' | 'before' | 'on'; value: Date }
  | { key: 'unread' | 'read' | 'flagged' | 'unflagged' };

export interface SearchQuery {
  /** What the user typed, trimmed: the "Search: …" label. */
  readonly text: string;
  /** Every term must match (IMAP's SEARCH keys are ANDed). */
  readonly terms: readonly SearchTerm[];
  /** Keep only messages with an attachment, decided from BODYSTRUCTURE after the search. */
  readonly attachment: boolean;
}

export type ParsedSearch = { query: SearchQuery; problem?: undefined } | { query?: undefined; problem: string };

const TEXT_KEYS = new Set(['from', 'to', 'cc', 'subject', 'body']);
const DATE_KEYS = new Set(['since', 'before', 'on']);
const FLAG_WORDS = new Set(['unread', 'read', 'flagged', 'unflagged']);
export const SEARCH_KEYS = ['from:', 'to:', 'cc:', 'subject:', 'body:', 'since:', 'before:', 'on:', 'is:unread|read|flagged|unflagged', 'has:attachment'];

interface Token {
  key?: string;
  value: string;
  quoted: boolean;
  at: number;
}

/** The query's terms, or the first thing wrong with it in words the user can act on. */
export function parseSearchQuery(input: string): ParsedSearch {
  const tokens = tokenize(input);
  if (typeof tokens === 'string') return { problem: tokens };
  if (tokens.length === 0) return { problem: 'Type something to search for, e.g. from:bob subject:"release 1.4" unread.' };
  const terms: SearchTerm[] = [];
  let attachment = false;
  for (const token of tokens) {
    const { key, value, quoted } = token;
    if (key === undefined) {
      const word = value.toLowerCase();
      if (!quoted && FLAG_WORDS.has(word)) terms.push({ key: word as 'unread' });
      else terms.push({ key: 'text', value });
      continue;
    }
    if (!value) return { problem: `"${key}:" needs a value, e.g. ${key}:${example(key)}.` };
    if (TEXT_KEYS.has(key)) {
      terms.push({ key: key as 'from', value });
    } else if (DATE_KEYS.has(key)) {
      const date = parseDay(value);
      if (!date) return { problem: `"${key}:${value}" is not a date: write it as YYYY-MM-DD, e.g. ${key}:2026-11-01.` };
      terms.push({ key: key as 'since', value: date });
    } else if (key === 'is') {
      const word = value.toLowerCase();
      if (!FLAG_WORDS.has(word)) return { problem: `"is:${value}" is not known: use is:unread, is:read, is:flagged or is:unflagged.` };
      terms.push({ key: word as 'unread' });
    } else if (key === 'has') {
      if (value.toLowerCase() !== 'attachment') return { problem: `"has:${value}" is not known: only has:attachment is.` };
      attachment = true;
    } else {
      return { problem: `Unknown search key "${key}:". Known keys: ${SEARCH_KEYS.join(', ')}. Put the word in quotes to search for it as text.` };
    }
  }
  return { query: { text: input.trim(), terms, attachment } };
}

/**
 * The terms as imapflow's search object. Its keys are unique, so a key used twice (two words)
 * goes one level down through a one-operand `or`, which imapflow writes as the bare criteria: an
 * AND, as the user meant. Non-ASCII values become literals under `CHARSET UTF-8` (imapflow does
 * that; Exchange and Dovecot both accept UTF-8).
 */
export function toImapSearch(terms: readonly SearchTerm[]): SearchObject {
  const root: SearchObject = {};
  let level = root as Record<string, unknown>;
  for (const term of terms) {
    const [name, value] = criterion(term);
    if (name in level) {
      const deeper: Record<string, unknown> = {};
      level.or = [deeper];
      level = deeper;
    }
    level[name] = value;
  }
  // A query of only has:attachment searches everything, then filters.
  return Object.keys(root).length ? root : { all: true };
}

function criterion(term: SearchTerm): [string, unknown] {
  switch (term.key) {
    case 'unread': return ['seen', false];
    case 'read': return ['seen', true];
    case 'flagged': return ['flagged', true];
    case 'unflagged': return ['flagged', false];
    default: return [term.key, term.value];
  }
}

function tokenize(input: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    if (/\s/.test(input[i]!)) {
      i++;
      continue;
    }
    const at = i;
    const keyMatch = /^([A-Za-z]+):/.exec(input.slice(i));
    const key = keyMatch ? keyMatch[1]!.toLowerCase() : undefined;
    if (keyMatch) i += keyMatch[0].length;
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1);
      if (close < 0) return `The quote opened at character ${i + 1} is not closed: add the closing ".`;
      tokens.push({ key, value: input.slice(i + 1, close).trim(), quoted: true, at });
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/.test(input[end]!)) end++;
    const value = input.slice(i, end);
    if (value.includes('"')) return `The quote in "${value}" is not closed: quote a whole phrase, e.g. subject:"release 1.4".`;
    tokens.push({ key, value, quoted: false, at });
    i = end;
  }
  return tokens;
}

/** A day as YYYY-MM-DD; IMAP compares days, not times, so the time of day does not matter. */
function parseDay(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

function example(key: string): string {
  return DATE_KEYS.has(key) ? '2026-11-01' : key === 'is' ? 'unread' : key === 'has' ? 'attachment' : 'bob';
}
