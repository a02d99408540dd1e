/**
 * LIST and LSUB replies as Exchange writes them (transcripts §5, §18; SUMMARY "LIST"):
 * `* LIST (\Marked \HasNoChildren \Trash) "/" Inbox` — the Inbox and its sub-folders' first
 * segment in mixed case, `\Marked` first, child information next, special use last, only the
 * attributes Exchange is seen sending, atom-safe names unquoted, LIST sorted case-insensitively.
 */
import { exchangeMailbox, mailboxWord, readString, readWords } from './imap-words';

export interface ListedMailbox {
  verb: 'LIST' | 'LSUB';
  attributes: string[];
  delimiter: string;
  name: string;
}

/**
 * The attributes Exchange sends, in its order. Never seen from Exchange: `\Archive \All
 * \Flagged \Inbox \NonExistent \Unmarked \Subscribed`, so they are dropped. `\Noselect` is not
 * seen either (an Exchange folder always holds items), but the seed's hierarchy-only `Clients`
 * really cannot be selected: the front keeps it, where RFC 3501 clients expect it, before the
 * child information. `\Sent` is seen once (§18b), on "Sent Items".
 */
const EXCHANGE_ATTRIBUTES = ['\\Marked', '\\Noselect', '\\HasChildren', '\\HasNoChildren', '\\Sent', '\\Trash', '\\Drafts', '\\Junk'];
const RANK = new Map(EXCHANGE_ATTRIBUTES.map((a, i) => [a.toUpperCase(), i]));

/** `* LIST (\HasNoChildren \Sent) "/" "Sent Items"`; undefined for anything else (or a literal name). */
export function readListed(text: string): ListedMailbox | undefined {
  const head = /^\* (LIST|LSUB) /i.exec(text);
  if (!head) return undefined;
  const [attributes, delimiter] = readWords(text, head[0].length);
  if (attributes?.kind !== 'list' || !delimiter || delimiter.kind === 'list' || delimiter.kind === 'literal') return undefined;
  const name = readString(text, delimiter.end + 1);
  if (!name || name.end !== text.length) return undefined;
  return {
    verb: head[1]!.toUpperCase() as ListedMailbox['verb'],
    attributes: attributes.value.slice(1, -1).split(' ').filter(Boolean),
    delimiter: delimiter.kind === 'atom' && delimiter.value.toUpperCase() === 'NIL' ? 'NIL' : delimiter.value,
    name: name.value,
  };
}

export function exchangeListed(listed: ListedMailbox): string {
  const attributes = listed.attributes
    .filter((a) => RANK.has(a.toUpperCase()))
    .map((a) => EXCHANGE_ATTRIBUTES[RANK.get(a.toUpperCase())!]!)
    .sort((a, b) => RANK.get(a.toUpperCase())! - RANK.get(b.toUpperCase())!);
  const delimiter = listed.delimiter === 'NIL' ? 'NIL' : `"${listed.delimiter}"`;
  return `* ${listed.verb} (${attributes.join(' ')}) ${delimiter} ${mailboxWord(exchangeMailbox(listed.name))}`;
}

/**
 * §5, §18: every LIST dump is sorted alphabetically, case-insensitively. Compared segment by
 * segment, so a folder's children follow it at once (as in §18a: Archives, Archives/2017,
 * "Archives/juju mailing list", Calendar). Assumption: how Exchange places a name with a
 * character below `/` (a space) against a sibling's children is not seen.
 */
export function compareLikeExchange(a: ListedMailbox, b: ListedMailbox): number {
  const left = a.name.toLowerCase().split('/');
  const right = b.name.toLowerCase().split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
  }
  return left.length - right.length;
}
