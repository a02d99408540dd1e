/**
 * The words of an IMAP line the front needs to read or write: a command's tag and verb, its
 * arguments with their positions (so one can be replaced in place), strings (atom or quoted),
 * and mailbox names as Exchange writes them.
 *
 * The front has its own reader rather than the product's (src/mail/imap/response-parser.ts):
 * the sandbox is what the product is tested against, so it must not share the product's
 * understanding of the protocol, or a misreading would agree with itself.
 */

export interface Word {
  /** Where the word starts and ends (end exclusive) in the line. */
  start: number;
  end: number;
  kind: 'atom' | 'quoted' | 'list' | 'literal';
  /** The string an atom or quoted word stands for; the raw text for lists and literals. */
  value: string;
}

/** Reads an atom or a quoted string at `at`; a literal or list gives undefined. */
export function readString(text: string, at: number): Word | undefined {
  if (text[at] === '"') {
    let value = '';
    for (let i = at + 1; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) value += text[++i];
      else if (c === '"') return { start: at, end: i + 1, kind: 'quoted', value };
      else value += c;
    }
    return undefined;
  }
  let end = at;
  while (end < text.length && !' ()"{'.includes(text[end]!)) end++;
  if (end === at) return undefined;
  return { start: at, end, kind: 'atom', value: text.slice(at, end) };
}

function readList(text: string, at: number): Word | undefined {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const quoted = readString(text, i);
      if (!quoted) return undefined;
      i = quoted.end - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { start: at, end: i + 1, kind: 'list', value: text.slice(at, i + 1) };
  }
  return undefined;
}

/** The arguments of a line from `at` on, as far as they can be read (a literal ends the line). */
export function readWords(text: string, at: number): Word[] {
  const words: Word[] = [];
  let i = at;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    const word = text[i] === '(' ? readList(text, i)
      : text[i] === '{' ? { start: i, end: text.length, kind: 'literal' as const, value: text.slice(i) }
        : readString(text, i);
    if (!word) break;
    words.push(word);
    i = word.end;
  }
  return words;
}

export interface CommandLine {
  tag: string;
  /** Upper case; `UID FETCH` for UID commands. */
  verb: string;
  /** Where the arguments start. */
  rest: number;
}

/** `A1 uid fetch 1:* (FLAGS)` → tag A1, verb UID FETCH. */
export function readCommand(text: string): CommandLine | undefined {
  const tagEnd = text.indexOf(' ');
  if (tagEnd <= 0) return undefined;
  const tag = text.slice(0, tagEnd);
  const first = /^([A-Za-z]+)(?: ([A-Za-z]+))?/.exec(text.slice(tagEnd + 1));
  if (!first) return undefined;
  const uid = first[1]!.toUpperCase() === 'UID' && first[2] !== undefined;
  const length = uid ? first[0].length : first[1]!.length;
  return { tag, verb: uid ? `UID ${first[2]!.toUpperCase()}` : first[1]!.toUpperCase(), rest: tagEnd + 1 + length };
}

/** The verb an Exchange completion names: `UID STORE` completes as `STORE` (§15). */
export const completionVerb = (verb: string): string => verb.replace(/^UID /, '');

/** Exchange treats INBOX case-insensitively, also as the first segment of a sub-folder's path. */
function withFirstSegment(name: string, inbox: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  return first.toUpperCase() === 'INBOX' ? inbox + name.slice(first.length) : name;
}

/** What Dovecot is asked for: `inbox/Team` → `INBOX/Team` (Dovecot knows only INBOX itself case-insensitively). */
export const upstreamMailbox = (name: string): string => withFirstSegment(name, 'INBOX');

/** What Exchange lists: `INBOX/Team` → `Inbox/Team` (§5, FACTS). */
export const exchangeMailbox = (name: string): string => withFirstSegment(name, 'Inbox');

/** RFC 3501's atom-specials, plus `]` (resp-specials) and the list wildcards `%` and `*`. */
// eslint-disable-next-line no-control-regex -- CTLs are exactly what the rule is about
const NOT_ATOM = /[\x00-\x20\x7f-\xff(){}"\\%*\]]/;

export function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** §5, §18: atom-safe names go unquoted (`Inbox`, `INBOX/miro`), others quoted (`"Deleted Items"`). */
export function mailboxWord(name: string): string {
  return name === '' || NOT_ATOM.test(name) || name.toUpperCase() === 'NIL' ? quoted(name) : name;
}
