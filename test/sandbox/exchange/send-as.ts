/**
 * Exchange's send-as rule, decided after the end of DATA from the directory: who authenticated
 * (a mailbox with a delegated token, or an app with an app-only token) and the message's
 * `From:`. A mailbox sends as itself and as the mailboxes it holds SendAs on
 * (`Add-RecipientPermission -AccessRights SendAs`); an app with SMTP.SendAsApp sends as the
 * mailboxes its service principal was given permission on.
 */
import { findApp, holdsSendAs, PROTOCOL_PERMISSIONS } from '../directory';

export type Submitter =
  | { kind: 'mailbox'; address: string }
  | { kind: 'app'; clientId: string };

function maySendAsOne(submitter: Submitter, from: string): boolean {
  const wanted = from.toLowerCase();
  if (submitter.kind === 'mailbox') {
    return wanted === submitter.address.toLowerCase() || holdsSendAs(submitter.address, wanted);
  }
  const app = findApp(submitter.clientId);
  return Boolean(app?.applicationPermissions.includes(PROTOCOL_PERMISSIONS.smtp.application) && app.mailboxPermissions.includes(wanted));
}

/**
 * The first `From:` address the submitter may not send as, or undefined when all are allowed
 * (also when there is none: Exchange would write the mailbox's own, which the sandbox skips).
 */
export function sendAsRefusal(submitter: Submitter, from: string[]): string | undefined {
  return from.find((address) => !maySendAsOne(submitter, address));
}
