/**
 * The folder tree a Mailboxes view shows: one `Folder` per mailbox the server listed, nested by
 * the server's hierarchy delimiter, with what it is for, whether it can be opened, and its
 * message counts. Built from what LIST and STATUS said (`ListedFolder`), so it is the same for
 * the LIST-STATUS and the pipelined-STATUS paths and can be tested from recorded replies.
 */
import { SPECIAL_USE_ORDER, SpecialUse, specialUseFromFlags, specialUseFromName } from './special-use';

/** One LIST reply, with the counts STATUS gave for it. */
export interface ListedFolder {
  /** Full name as the user reads it (modified UTF-7 decoded), e.g. `Projects/2026/Q4`. */
  path: string;
  delimiter: string | null;
  /** LIST attributes as sent, e.g. `\HasNoChildren`, `\Sent`, `\Noselect`. */
  flags: string[];
  total?: number;
  unread?: number;
  /** Why the counts are missing, when STATUS failed for this folder even after retrying. */
  countsError?: string;
}

export interface Folder {
  /** Full name, what "Copy Folder Name" copies and what every other call takes. */
  readonly path: string;
  /** The last segment; `Inbox` for INBOX. */
  readonly name: string;
  readonly parentPath?: string;
  readonly children: readonly Folder[];
  readonly specialUse?: SpecialUse;
  /** Where `specialUse` came from: the server's attribute or the folder's well-known name. */
  readonly specialUseSource?: 'flag' | 'name';
  /** False for `\Noselect` / `\NonExistent` folders and for parents the server did not list. */
  readonly openable: boolean;
  /** Messages without `\Seen`; undefined when not openable or when `countsError` says why. */
  readonly unread?: number;
  readonly total?: number;
  readonly countsError?: string;
  readonly flags: readonly string[];
}

interface MutableFolder extends Folder {
  children: MutableFolder[];
}

const NOT_OPENABLE = new Set(['\\noselect', '\\nonexistent']);

/** INBOX is the one name IMAP compares without case (RFC 3501 5.1). */
export function isInbox(path: string): boolean {
  return path.toUpperCase() === 'INBOX';
}

/**
 * The key a folder is known by: its path with a first segment of INBOX in any case written
 * `INBOX`. Exchange lists `Inbox` and `Inbox/Team`, Dovecot `INBOX` and `INBOX/Team`; a parent
 * must be found whichever the server used, and whichever the caller asks for.
 */
export function folderKey(path: string, delimiter: string | null): string {
  const first = delimiter ? path.split(delimiter, 1)[0]! : path;
  return isInbox(first) ? `INBOX${path.slice(first.length)}` : path;
}

function displayName(path: string, delimiter: string | null): string {
  if (isInbox(path)) return 'Inbox';
  return delimiter ? path.slice(path.lastIndexOf(delimiter) + delimiter.length) : path;
}

function folderFrom(listed: ListedFolder): MutableFolder {
  const flagUse = specialUseFromFlags(listed.flags);
  const nameUse = flagUse ? undefined : specialUseFromName(listed.path, listed.delimiter);
  const openable = !listed.flags.some((f) => NOT_OPENABLE.has(f.toLowerCase()));
  const d = listed.delimiter;
  const cut = d ? listed.path.lastIndexOf(d) : -1;
  return {
    path: isInbox(listed.path) ? 'INBOX' : listed.path,
    name: displayName(listed.path, d),
    parentPath: cut > 0 ? listed.path.slice(0, cut) : undefined,
    children: [],
    specialUse: flagUse ?? nameUse,
    specialUseSource: flagUse ? 'flag' : nameUse ? 'name' : undefined,
    openable,
    unread: openable ? listed.unread : undefined,
    total: openable ? listed.total : undefined,
    countsError: openable ? listed.countsError : undefined,
    flags: listed.flags,
  };
}

/**
 * Inbox first, then the special folders in Outlook's order, then the rest by name, ignoring
 * case and with numbers in number order ("Folder 9" before "Folder 10"). The key is a plain
 * string so that sorting a thousand sibling folders costs no locale-aware comparison.
 */
export function folderSortKey(folder: Pick<Folder, 'name' | 'specialUse'>): string {
  const rank = folder.specialUse ? SPECIAL_USE_ORDER.indexOf(folder.specialUse) : SPECIAL_USE_ORDER.length;
  const plain = /^[\x20-\x7e]*$/.test(folder.name) ? folder.name : folder.name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const name = plain.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
  return `${String(rank).padStart(2, '0')} ${name}`;
}

export function compareFolders(a: Folder, b: Folder): number {
  const ka = folderSortKey(a);
  const kb = folderSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function sortFolders(folders: MutableFolder[]): void {
  const keyed = folders.map((folder) => ({ key: folderSortKey(folder), folder }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  keyed.forEach((entry, i) => { folders[i] = entry.folder; });
}

export class FolderTree {
  /** By `folderKey`; a folder keeps the path the server gave it, for commands. */
  private readonly byPath = new Map<string, MutableFolder>();
  private readonly delimiter: string | null;
  /** The top-level folders, sorted. */
  readonly roots: readonly Folder[];

  /** `listed`: what the server said, kept so that the tree can be built again from a copy (the mailbox cache). */
  constructor(readonly listed: readonly ListedFolder[]) {
    const delimiters = new Map<MutableFolder, string | null>();
    for (const entry of listed) {
      const folder = folderFrom(entry);
      this.byPath.set(folderKey(folder.path, entry.delimiter), folder);
      delimiters.set(folder, entry.delimiter);
    }
    this.delimiter = listed.find((entry) => entry.delimiter)?.delimiter ?? null;
    const roots: MutableFolder[] = [];
    for (const folder of [...this.byPath.values()]) this.attach(folder, roots, delimiters.get(folder) ?? null);
    const sortAll = (folders: MutableFolder[]) => {
      sortFolders(folders);
      for (const f of folders) sortAll(f.children);
    };
    sortAll(roots);
    this.roots = roots;
  }

  /** A parent the server did not list (LIST may leave it out) is made up as hierarchy only. */
  private attach(folder: MutableFolder, roots: MutableFolder[], delimiter: string | null): void {
    if (!folder.parentPath) {
      roots.push(folder);
      return;
    }
    const key = folderKey(folder.parentPath, delimiter);
    let parent = this.byPath.get(key);
    if (!parent) {
      parent = folderFrom({ path: folder.parentPath, delimiter, flags: ['\\NonExistent'] });
      this.byPath.set(key, parent);
      this.attach(parent, roots, delimiter);
    }
    parent.children.push(folder);
  }

  get(path: string): Folder | undefined {
    return this.byPath.get(folderKey(path, this.delimiter));
  }

  /** Every folder, parents before children, in display order. */
  all(): Folder[] {
    const result: Folder[] = [];
    const walk = (folders: readonly Folder[]) => {
      for (const f of folders) {
        result.push(f);
        walk(f.children);
      }
    };
    walk(this.roots);
    return result;
  }

  /** The folder for a purpose; one marked by the server wins over one known by name. */
  special(use: SpecialUse): Folder | undefined {
    const candidates = this.all().filter((f) => f.specialUse === use && f.openable);
    return candidates.find((f) => f.specialUseSource === 'flag') ?? candidates[0];
  }
}
