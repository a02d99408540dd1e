/**
 * The marks a sent reply or forward leaves on its original, as Outlook shows them: `\Answered`
 * or `$Forwarded`, set through the mailbox's live session (the one the Mailboxes view reads).
 */
import { ExplainedError } from '../../errors';
import type { OriginalReference } from '../../mail/compose';
import type { AccountSettings } from '../accounts/account-settings';
import type { OriginalMarks } from '../send/delivery';
import type { MailboxModel } from './mailbox-model';

const FLAGS = { answered: '\\Answered', forwarded: '$Forwarded' } as const;

export function originalMarks(settings: AccountSettings, mail: MailboxModel): OriginalMarks {
  return {
    async mark(original: OriginalReference) {
      const mailbox = settings.find(original.mailboxId);
      if (!mailbox) {
        throw new ExplainedError(`The mailbox ${original.mailboxId} that held the original is no longer one of your Exchange Mail accounts.`,
          'Nothing to do: the message was sent; only its original stays unmarked.', { code: 'original-mailbox-gone' });
      }
      return await mail.addFlag(mailbox, original.folder, original.uid, FLAGS[original.mark]) ? 'marked' : 'not-kept';
    },
  };
}
