/**
 * "New mail from Priya Raman: Release 2.4 go/no-go" [Open] [Mark as Read] when the Inbox watch
 * counts more unread mail than before. A higher count alone is not new mail (a message marked
 * unread elsewhere raises it too), so the notification names only unread messages whose UID is
 * above the highest one seen before: the watch's first count sets that mark, each notification
 * moves it. Counts that come close together (a burst) make one notification, "3 new messages"
 * when several arrived. Messages the user moved into the Inbox here (Undo of an Archive, Not
 * Junk) come with new UIDs too, and are not new mail either. `exchangeMail.notifications.newMail`
 * turns it off; shared mailboxes never notify (their mail is usually the team's, as in the status bar).
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { isInbox } from '../../mail/imap/folder-model';
import type { MessageSummary } from '../../mail/imap/message-page';
import { showError } from '../show-error';
import type { InboxCount, MailboxModel, MovedMessages } from './mailbox-model';
import { messageUri } from './message-documents';

export const NEW_MAIL_SETTING = 'exchangeMail.notifications.newMail';
/** How long counts are gathered into one notification after the first rise. */
const BURST_MS = 1000;

interface Watched {
  /** The Inbox's highest UID when last looked at; undefined until the first count's look resolves. */
  highestUid: Promise<number | undefined>;
  burst?: NodeJS.Timeout;
}

/** UIDs the user moved into an account's Inbox here, by account id, until a look has passed them. */
type MovedHere = Map<string, Set<number>>;

export class NewMailNotifications implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly movedIn: MovedHere = new Map();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly mail: MailboxModel, private readonly log: vscode.LogOutputChannel) {
    this.subscription = mail.onDidCountInbox((count) => this.counted(count));
  }

  dispose(): void {
    this.subscription.dispose();
    for (const watched of this.watched.values()) clearTimeout(watched.burst);
    this.watched.clear();
  }

  /** A move done here: what it put in the Inbox is not new mail. */
  movedHere({ account, to, messages }: MovedMessages): void {
    if (!isInbox(to)) return;
    const uids = this.movedIn.get(account.id) ?? new Set<number>();
    for (const message of messages) uids.add(message.uid);
    this.movedIn.set(account.id, uids);
  }

  private counted({ account, count, previous }: InboxCount): void {
    if (account.openedBy) return;
    let watched = this.watched.get(account.id);
    if (previous === undefined || !watched) {
      // A session's first count starts from scratch: UIDs moved in an earlier session may be new mail's now.
      this.movedIn.delete(account.id);
      watched = { highestUid: this.look(account).then((found) => found.highestUid, () => undefined) };
      this.watched.set(account.id, watched);
      return;
    }
    if (count <= previous || watched.burst) return;
    const current = watched;
    current.burst = setTimeout(() => {
      current.burst = undefined;
      current.highestUid = current.highestUid.then(async (after) => {
        const found = await this.look(account, after).catch((err: Error) => {
          this.log.warn(`Looking for new mail of ${account.address} failed: ${err.message}`);
          return { highestUid: after, unread: [] };
        });
        const movedIn = this.movedIn.get(account.id);
        const unread = found.unread.filter((m) => !movedIn?.has(m.uid));
        // Passed by this look: forgotten. A move after its search is kept for the next.
        if (movedIn) for (const uid of movedIn) if (uid <= (found.highestUid ?? 0)) movedIn.delete(uid);
        if (unread.length && vscode.workspace.getConfiguration().get<boolean>(NEW_MAIL_SETTING, true)) void this.notify(account, unread);
        return found.highestUid;
      });
    }, BURST_MS);
  }

  private look(account: Account, afterUid?: number): Promise<{ highestUid: number | undefined; unread: MessageSummary[] }> {
    return this.mail.inboxArrivals(account, afterUid);
  }

  /** Newest first: the one named is the newest. */
  private async notify(account: Account, unread: MessageSummary[]): Promise<void> {
    const newest = unread[0]!;
    const sender = newest.from ? newest.from.name || newest.from.address : 'an unknown sender';
    const single = unread.length === 1;
    const text = single ? `New mail from ${sender}: ${newest.subject.trim() || '(no subject)'}` : `${unread.length} new messages in ${account.address}`;
    const open = single ? 'Open' : 'Show Inbox';
    const markRead = 'Mark as Read';
    const choice = await vscode.window.showInformationMessage(text, open, markRead);
    if (choice === open && single) {
      try {
        const document = await vscode.workspace.openTextDocument(messageUri({ accountId: account.id, folder: 'INBOX', uid: newest.uid }, newest.subject));
        await vscode.window.showTextDocument(document, { preview: true });
      } catch (err) {
        await showError(err, this.log, `Opening "${newest.subject.trim() || '(no subject)'}" failed`);
      }
    } else if (choice === open) {
      this.mail.refreshFolder(account.id, 'INBOX');
      await vscode.commands.executeCommand('exchangeMail.mailboxes.focus');
    } else if (choice === markRead) {
      await this.mail.setSeen(account, 'INBOX', unread.map((m) => m.uid), true)
        .catch((err: unknown) => showError(err, this.log, 'Marking the new mail read failed'));
    }
  }
}
