/**
 * What the mailbox cache keeps of one mailbox, so that a new window can show the Mailboxes view
 * before the server answers: the folder listing with its counts, and the first page of message
 * headers of the folders opened. Headers only — uid, subject, sender, date, flags, size — never
 * a body, a recipient list or a token: encoding copies those fields by name, so nothing else a
 * summary may carry reaches the disk. A file is read back only when it is of this version, for
 * this mailbox and server, within the size limit and of the right shape; anything else is
 * ignored, as the cache is only ever a head start.
 */
import type { ListedFolder } from '../imap/folder-model';
import type { MessageSummary } from '../imap/message-page';

export const SNAPSHOT_VERSION = 1;
/** About 7,000 folders, or 1,000 folders and every one of 100 pages: far more than anyone opens. */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;
/** Folder pages kept, the most recently read first. */
export const MAX_CACHED_PAGES = 100;
export const MAX_CACHED_MESSAGES = 50;
/** Subjects and names longer than this are cut: a list row shows far less. */
const MAX_TEXT = 500;

/** The first page of a folder as it was last read. */
export interface CachedPage {
  /** Messages in the folder then. */
  readonly total: number;
  /** Newest first. */
  readonly messages: readonly MessageSummary[];
  /** When it was read (ms since the epoch). */
  readonly savedAt: number;
}

export interface MailboxSnapshot {
  /** The mailbox's id: the account's, or `owner>shared` for a shared mailbox. */
  readonly mailbox: string;
  /** `host:port` of the IMAP server it came from: a snapshot of another server is not shown. */
  readonly server: string;
  /** When it was written (ms since the epoch). */
  readonly savedAt: number;
  /** The LIST (and STATUS) replies, with the counts as they were shown. */
  readonly folders: readonly ListedFolder[];
  /** By folder path. */
  readonly pages: ReadonlyMap<string, CachedPage>;
}

const text = (value: string) => (value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value);

function encodeMessage(m: MessageSummary) {
  return {
    uid: m.uid, subject: text(m.subject), from: m.from ? { name: text(m.from.name), address: text(m.from.address) } : undefined,
    date: m.date?.getTime(), unread: m.unread, flagged: m.flagged, answered: m.answered, hasAttachment: m.hasAttachment, size: m.size,
  };
}

function encodeFolder(f: ListedFolder) {
  return { path: f.path, delimiter: f.delimiter, flags: f.flags, total: f.total, unread: f.unread, countsError: f.countsError };
}

/**
 * The file's text, within `MAX_SNAPSHOT_BYTES`: the pages read longest ago are left out until it
 * fits; undefined when even the folder list alone does not.
 */
export function encodeSnapshot(snapshot: MailboxSnapshot, maxBytes = MAX_SNAPSHOT_BYTES): string | undefined {
  const pages = [...snapshot.pages].sort((a, b) => b[1].savedAt - a[1].savedAt).slice(0, MAX_CACHED_PAGES)
    .map(([path, page]) => ({ path, total: page.total, savedAt: page.savedAt, messages: page.messages.slice(0, MAX_CACHED_MESSAGES).map(encodeMessage) }));
  const head = { version: SNAPSHOT_VERSION, mailbox: snapshot.mailbox, server: snapshot.server, savedAt: snapshot.savedAt, folders: snapshot.folders.map(encodeFolder) };
  const folderBytes = Buffer.byteLength(JSON.stringify({ ...head, pages: [] }));
  if (folderBytes > maxBytes) return undefined;
  // Page sizes add up (each is one array element): drop from the oldest without encoding again.
  const sizes = pages.map((page) => Buffer.byteLength(JSON.stringify(page)) + 1);
  let total = folderBytes + sizes.reduce((a, b) => a + b, 0);
  while (pages.length && total > maxBytes) {
    pages.pop();
    total -= sizes.pop()!;
  }
  return JSON.stringify({ ...head, pages });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const optional = <T>(v: unknown, check: (v: unknown) => v is T): v is T | undefined => v === undefined || check(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT * 4;
const isFiniteNumber = (v: unknown): v is number => Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

/** As JSON had it: a field left out is absent, not undefined. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function decodeFolder(v: unknown): ListedFolder | undefined {
  if (!isObject(v) || !isString(v.path) || !(v.delimiter === null || isString(v.delimiter)) || !Array.isArray(v.flags) || !v.flags.every(isString)) return undefined;
  if (!optional(v.total, isCount) || !optional(v.unread, isCount) || !optional(v.countsError, isString)) return undefined;
  return withoutUndefined({ path: v.path, delimiter: v.delimiter, flags: v.flags, total: v.total, unread: v.unread, countsError: v.countsError });
}

function decodeMessage(v: unknown): MessageSummary | undefined {
  if (!isObject(v) || !isCount(v.uid) || !isString(v.subject) || !isBoolean(v.unread) || !isBoolean(v.flagged) || !isBoolean(v.hasAttachment) || !isCount(v.size)) return undefined;
  const from = v.from;
  if (!(from === undefined || (isObject(from) && isString(from.name) && isString(from.address))) || !optional(v.date, isFiniteNumber)) return undefined;
  // Snapshots written before the answered mark have none: not answered, as far as they know.
  if (!optional(v.answered, isBoolean)) return undefined;
  return withoutUndefined({
    uid: v.uid, subject: v.subject, from: from ? { name: from.name as string, address: from.address as string } : undefined,
    date: v.date === undefined ? undefined : new Date(v.date as number), unread: v.unread, flagged: v.flagged, answered: v.answered ?? false,
    hasAttachment: v.hasAttachment, size: v.size,
  });
}

function decodePage(v: unknown): [string, CachedPage] | undefined {
  if (!isObject(v) || !isString(v.path) || !isCount(v.total) || !isCount(v.savedAt) || !Array.isArray(v.messages) || v.messages.length > MAX_CACHED_MESSAGES) return undefined;
  const messages = v.messages.map(decodeMessage);
  if (!messages.every((m) => m !== undefined)) return undefined;
  return [v.path, { total: v.total, savedAt: v.savedAt, messages }];
}

/** The snapshot in `text` if it is one of this version for `mailbox` on `server`; else undefined (the file is of no use). */
export function decodeSnapshot(text: string, mailbox: string, server: string): MailboxSnapshot | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.version !== SNAPSHOT_VERSION || v.mailbox !== mailbox || v.server !== server || !isCount(v.savedAt)) return undefined;
  if (!Array.isArray(v.folders) || !Array.isArray(v.pages) || v.pages.length > MAX_CACHED_PAGES) return undefined;
  const folders = v.folders.map(decodeFolder);
  const pages = v.pages.map(decodePage);
  if (!folders.every((f) => f !== undefined) || !pages.every((p) => p !== undefined)) return undefined;
  return { mailbox, server, savedAt: v.savedAt, folders, pages: new Map(pages) };
}
