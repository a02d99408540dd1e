import * as vscode from 'vscode';
import type { AccountSettings } from '../accounts/account-settings';
import type { MailboxModel } from './mailbox-model';

const SHARED_SETTING = 'exchangeMail.statusBar.sharedMailboxes';

/**
 * `$(mail) alice@contoso.test: 7 unread` in the status bar: the Inbox unread count of each
 * account with an open session, kept current by the session's IDLE watch (or polling) without
 * the user doing anything. With several accounts it shows the sum, and each in the tooltip.
 * Clicking it shows the Mailboxes view. Hidden until a count is known. Shared mailboxes count
 * only with `exchangeMail.statusBar.sharedMailboxes`: their mail is usually the team's, not yours.
 */
export class UnreadStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly settings: AccountSettings, private readonly mail: MailboxModel) {
    this.item = vscode.window.createStatusBarItem('exchangeMail.unread', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Exchange Mail: Unread Mail';
    this.item.command = { title: 'Show Mailboxes', command: 'exchangeMail.mailboxes.focus' };
    this.subscriptions = [
      mail.onDidChangeInboxUnread(() => this.update()),
      settings.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SHARED_SETTING)) this.update();
      }),
    ];
  }

  /** What the item says now; empty while hidden. */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const counts = this.mail.inboxUnread();
    const withShared = vscode.workspace.getConfiguration().get<boolean>(SHARED_SETTING, false);
    const mailboxes = withShared ? this.settings.mailboxes() : this.settings.accounts();
    const shown = mailboxes.flatMap((a) => (counts.has(a.id) ? [{ address: a.address, unread: counts.get(a.id)! }] : []));
    if (shown.length === 0) {
      this.item.hide();
      this.item.text = '';
      return;
    }
    const lines = shown.map((s) => `${s.address}: ${s.unread} unread`);
    const total = shown.reduce((sum, s) => sum + s.unread, 0);
    this.item.text = shown.length === 1 ? `$(mail) ${lines[0]}` : `$(mail) ${total} unread`;
    this.item.tooltip = `Unread mail in the Inbox\n${lines.join('\n')}\nClick to show the Mailboxes view.`;
    this.item.accessibilityInformation = { label: `Unread mail in the Inbox: ${lines.join(', ')}` };
    this.item.show();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
