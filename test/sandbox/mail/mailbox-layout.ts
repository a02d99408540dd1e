/**
 * The folders every sandbox mailbox has, named as Exchange Online names them, and which of them
 * carry a special-use attribute (Dovecot reports these in plain LIST too, as Exchange does).
 */
import { join } from 'node:path';

export interface SpecialFolder {
  name: string;
  specialUse: '\\Drafts' | '\\Sent' | '\\Trash' | '\\Junk' | '\\Archive';
}

export const SPECIAL_FOLDERS: SpecialFolder[] = [
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent Items', specialUse: '\\Sent' },
  { name: 'Deleted Items', specialUse: '\\Trash' },
  { name: 'Junk Email', specialUse: '\\Junk' },
  { name: 'Archive', specialUse: '\\Archive' },
];

/** Exchange's default folders that IMAP shows, besides INBOX. */
export const STANDARD_FOLDERS = [...SPECIAL_FOLDERS.map((f) => f.name), 'Outbox', 'Conversation History'];

/** IMAP's hierarchy delimiter on Exchange Online. */
export const DELIMITER = '/';

/** Alice's large folder: 5,000 automated notifications, for paging and big-folder tests. */
export const BULK_FOLDER = 'Notifications';
export const BULK_MESSAGE_COUNT = 5000;

/** Alice's nested project folders; the two parents hold mail of their own. */
export const PROJECT_FOLDERS = ['Projects', 'Projects/2026', 'Projects/2026/Q4'];

/**
 * A folder under the Inbox: Exchange lists it as `Inbox/Team` (the Inbox's mixed case as its
 * first segment), which clients must nest under the Inbox.
 */
export const INBOX_CHILD_FOLDER = 'INBOX/Team';

/**
 * A parent that exists only as hierarchy (\Noselect): its children exist, it has no Maildir
 * of its own, as when a folder was deleted but its subfolders kept.
 */
export const HIERARCHY_ONLY_FOLDER = 'Clients';
export const CLIENT_FOLDERS = ['Clients/Fabrikam', 'Clients/Northwind Traders'];

/** With benchFolders: 1,000 more folders under one parent, for folder-tree benchmarks. */
export const BENCH_PARENT = 'Bench';
export const BENCH_FOLDER_COUNT = 1000;
export const benchFolderName = (index: number) => `${BENCH_PARENT}/Folder ${String(index + 1).padStart(4, '0')}`;

/**
 * Where a folder lives on disk: Maildir++ under the mailbox's home (`.Sent Items`,
 * `.Projects.2026.Q4`), which Dovecot's namespace shows with the `/` delimiter.
 */
export function maildirPath(home: string, folder: string): string {
  const root = join(home, 'Maildir');
  if (folder === 'INBOX') return root;
  if (!/^[\x20-\x7e]+$/.test(folder) || folder.includes('.')) {
    throw new Error(`sandbox folder names must be ASCII without dots (Maildir++ would need escaping): ${folder}`);
  }
  return join(root, `.${folder.split('/').join('.')}`);
}
