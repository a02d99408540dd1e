/**
 * What a folder is for. Three sources, most trusted first: the SPECIAL-USE attributes
 * (RFC 6154), which Exchange Online sends in plain LIST although it does not advertise the
 * extension (so they are read from the raw LIST flags, not from imapflow), and, failing both,
 * Exchange's and other servers' well-known top-level names in any case.
 */
export type SpecialUse = 'inbox' | 'drafts' | 'sent' | 'trash' | 'junk' | 'archive' | 'outbox' | 'all' | 'flagged';

/** The order special folders take right after Inbox, as Outlook shows them. */
export const SPECIAL_USE_ORDER: SpecialUse[] = ['inbox', 'drafts', 'sent', 'trash', 'archive', 'junk', 'outbox', 'all', 'flagged'];

const BY_FLAG: Record<string, SpecialUse> = {
  '\\drafts': 'drafts', '\\sent': 'sent', '\\trash': 'trash', '\\junk': 'junk',
  '\\archive': 'archive', '\\all': 'all', '\\flagged': 'flagged',
};

const BY_NAME: Record<string, SpecialUse> = {
  inbox: 'inbox',
  drafts: 'drafts',
  'sent items': 'sent', sent: 'sent', 'sent mail': 'sent', 'sent messages': 'sent',
  'deleted items': 'trash', 'deleted messages': 'trash', trash: 'trash', bin: 'trash',
  'junk email': 'junk', 'junk e-mail': 'junk', junk: 'junk', spam: 'junk',
  archive: 'archive', archives: 'archive',
  outbox: 'outbox',
};

export function specialUseFromFlags(flags: Iterable<string>): SpecialUse | undefined {
  for (const flag of flags) {
    const use = BY_FLAG[flag.toLowerCase()];
    if (use) return use;
  }
  return undefined;
}

/** Only top-level names count: "Projects/Archive" is a project's folder, not the archive. */
export function specialUseFromName(path: string, delimiter: string | null): SpecialUse | undefined {
  if (path.toUpperCase() === 'INBOX') return 'inbox';
  if (delimiter && path.includes(delimiter)) return undefined;
  return BY_NAME[path.trim().toLowerCase()];
}
