/**
 * Exchange keeps a copy of every SMTP submission in the submitting mailbox's Sent Items, read.
 * The copy is written the way a Maildir delivery agent does (tmp/, then a rename into cur/ with
 * the S flag), as the mail user: Dovecot sees a new message at its next look, with the exact
 * bytes that were submitted, and gives it the next UID.
 */
import { closeSync, fchownSync, openSync, renameSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maildirPath } from './mailbox-layout';
import type { MailUser } from './dovecot';

export const SENT_ITEMS = 'Sent Items';

let deliveries = 0;

/** Saves `message` into `user`'s Sent Items as \Seen. */
export function saveToSentItems(mailboxesDir: string, owner: MailUser, user: string, message: Buffer): void {
  const folder = maildirPath(join(mailboxesDir, user.toLowerCase()), SENT_ITEMS);
  const now = Date.now();
  // Maildir's unique name: time, a per-process counter and pid, the host; S= lets Dovecot skip a stat.
  const unique = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++deliveries}.${hostname()},S=${message.length}`;
  const temporary = join(folder, 'tmp', unique);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, message);
    fchownSync(fd, owner.uid, owner.gid);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, join(folder, 'cur', `${unique}:2,S`));
}
