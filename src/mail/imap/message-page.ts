/**
 * A folder's newest messages, a page at a time, newest first: what a folder node shows under
 * it, with "Load more…" while `moreAvailable`. Only the page's own messages are fetched, by
 * sequence range from the EXISTS count, never `1:*`.
 */
import type { FetchMessageObject, MessageStructureObject } from 'imapflow';

export const PAGE_SIZE = 50;

export interface Sender {
  name: string;
  address: string;
}

export interface MessageSummary {
  uid: number;
  subject: string;
  from?: Sender;
  date?: Date;
  /** Not `\Seen`. */
  unread: boolean;
  flagged: boolean;
  /** `\Answered`: replied to, here or in another client. */
  answered: boolean;
  hasAttachment: boolean;
  /** RFC822.SIZE in bytes. */
  size: number;
}

/** Where the next page starts; opaque to the UI, handed back to `messagePage`. */
export interface PageCursor {
  readonly folder: string;
  readonly uidValidity: string;
  /** The folder's EXISTS when the page was read: if unchanged, sequence numbers still hold. */
  readonly exists: number;
  /** Sequence number and UID of the oldest message shown so far. */
  readonly lowestSeq: number;
  readonly lowestUid: number;
}

export interface MessagePage {
  folder: string;
  /** Newest first. */
  messages: MessageSummary[];
  /** Messages in the folder. */
  total: number;
  moreAvailable: boolean;
  /** Pass to `messagePage` to load the next, older, page. */
  next?: PageCursor;
}

/** What FETCH asks for each message of a page: no body. */
export const SUMMARY_QUERY = { uid: true, envelope: true, flags: true, bodyStructure: true, size: true, internalDate: true } as const;

/** The sequence range of the `pageSize` messages just below `below` (exclusive). */
export function sequenceRange(below: number, pageSize = PAGE_SIZE): { from: number; to: number } | undefined {
  const to = below - 1;
  if (to < 1) return undefined;
  return { from: Math.max(1, to - pageSize + 1), to };
}

/** A part the user would call an attachment: marked as one, or a named non-text leaf. */
export function hasAttachment(node: MessageStructureObject | undefined): boolean {
  if (!node) return false;
  if (node.childNodes?.length) return node.childNodes.some(hasAttachment);
  const disposition = node.disposition?.toLowerCase();
  if (disposition === 'attachment') return true;
  const named = Boolean(node.dispositionParameters?.filename ?? node.parameters?.name);
  return named && !node.type.toLowerCase().startsWith('text/');
}

export function summarize(message: FetchMessageObject): MessageSummary {
  const from = message.envelope?.from?.[0];
  const raw = message.envelope?.date ?? message.internalDate;
  const date = raw === undefined ? undefined : new Date(raw);
  return {
    uid: message.uid,
    subject: message.envelope?.subject ?? '',
    from: from ? { name: from.name ?? '', address: from.address ?? '' } : undefined,
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    unread: !message.flags?.has('\\Seen'),
    flagged: Boolean(message.flags?.has('\\Flagged')),
    answered: Boolean(message.flags?.has('\\Answered')),
    hasAttachment: hasAttachment(message.bodyStructure),
    size: message.size ?? 0,
  };
}
