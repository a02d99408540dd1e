/**
 * The copy of a sent message in the account's Sent folder. Exchange Online files SMTP
 * submissions in Sent Items itself; other servers do not, so the account's `sentCopy` setting
 * (`auto`: unless the server does it) decides whether the raw message is appended over IMAP.
 * A copy that cannot be kept never makes the send a failure.
 */
import type { Account } from '../../accounts/account';
import { toMailServer } from '../../accounts/mail-server';
import { xoauth2UserFor } from '../../accounts/mailboxes';
import type { MailLog } from '../../mail/server';
import { loadCore } from '../bundle-loader';
import type { SignIns } from '../accounts/sign-ins';
import { asExplained } from '../show-error';
import { credentialsFrom } from '../../auth/credentials';

export type SentCopyOutcome =
  | { status: 'kept'; folder: string }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; message: string };

/** Where the copy goes: the account's Sent folder. */
export interface SentFolder {
  append(account: Account, raw: Buffer): Promise<{ folder: string }>;
}

/**
 * Appends through an IMAP session of its own, closed afterwards. Sending is rare enough that
 * one more login costs little; a shared, live session can take its place through `SentFolder`.
 */
export function imapSentFolder(signIns: SignIns, log: MailLog): SentFolder {
  return {
    async append(account, raw) {
      const core = loadCore();
      const source = signIns.source(account);
      const session = new core.ImapSession({
        server: toMailServer(account, 'imap'),
        credentials: credentialsFrom(source, 'imap', { interactive: true, user: xoauth2UserFor(account, 'imap') }),
        log,
      });
      try {
        return await session.appendToSent(raw);
      } finally {
        await session.close().catch(() => undefined);
      }
    },
  };
}

export async function keepSentCopy(account: Account, smtpHost: string, dataReply: string, raw: Buffer, folder: SentFolder): Promise<SentCopyOutcome> {
  if (!loadCore().shouldAppendSentCopy(account.sentCopy, smtpHost, dataReply)) {
    return { status: 'skipped', reason: account.sentCopy === 'never' ? 'sentCopy is "never"' : 'Exchange Online keeps its own copy in Sent Items' };
  }
  if (!account.protocols.includes('imap')) {
    const reason = `${account.address} does not use IMAP`;
    return account.sentCopy === 'always'
      ? { status: 'failed', message: `${reason}: add "imap" to its \`protocols\`, or set its \`sentCopy\` to "never".` }
      : { status: 'skipped', reason };
  }
  try {
    return { status: 'kept', folder: (await folder.append(account, raw)).folder };
  } catch (err) {
    const explained = asExplained(err);
    return { status: 'failed', message: explained ? `${explained.message} ${explained.fix}` : err instanceof Error ? err.message : String(err) };
  }
}
