import * as vscode from 'vscode';
import type { Account, AccountEntry, AccountProblem } from '../../accounts/account';
import { describeProblem } from '../../accounts/account';
import { AUTH_MODE_CHOICES } from '../../accounts/auth-modes';
import { PRESETS } from '../../accounts/presets';
import { PROTOCOL_NAMES } from '../../mail/server';
import type { CacheState } from '../mailbox/cached-view';

export type AccountState = 'signedIn' | 'signedOut' | 'invalid';

const STATE_TEXT: Record<AccountState, string> = { signedIn: 'signed in', signedOut: 'not signed in', invalid: 'invalid settings' };

/**
 * An account of the Mailboxes view: one entry of `exchangeMail.accounts`, valid or not, or one
 * of its shared mailboxes (its `account` then has `openedBy`), shown right after it. While what
 * is under it comes from the mailbox cache, its description says so: "cached · updating…", or
 * "cached · not current" when the server could not be asked.
 */
export class AccountNode {
  readonly kind = 'account';
  /**
   * `showsMail`: the view lists the account's folders (or why not) under it; `cached`: they come
   * from the mailbox cache (../mailbox/cached-view).
   */
  constructor(readonly entry: AccountEntry, readonly state: AccountState, readonly showsMail = false, readonly cached?: CacheState) {}

  get account(): Account | undefined {
    return this.entry.valid ? this.entry.account : undefined;
  }

  /** The account whose sign-in opens this shared mailbox; undefined for an account's own. */
  get openedBy(): Account | undefined {
    return this.account?.openedBy;
  }

  get label(): string {
    if (this.entry.valid) return this.entry.account.address;
    const address = (this.entry.setting as { address?: unknown } | null)?.address;
    return typeof address === 'string' && address.trim() ? address.trim() : this.entry.label;
  }

  toTreeItem(): vscode.TreeItem {
    const hasChildren = !this.entry.valid || this.showsMail;
    const item = new vscode.TreeItem(this.label, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    const owner = this.openedBy;
    item.id = this.entry.valid ? `account:${this.entry.account.id}` : `account#${this.entry.index}`;
    const cached = this.cached && (this.cached.failed ? 'cached · not current' : 'cached · updating…');
    item.description = [owner ? `shared · ${owner.address}` : STATE_TEXT[this.state], cached].filter(Boolean).join(' · ');
    item.contextValue = owner ? `sharedMailbox.${this.state}` : `account.${this.state}`;
    item.iconPath = this.state === 'invalid'
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : owner ? new vscode.ThemeIcon('organization') : new vscode.ThemeIcon(this.state === 'signedIn' ? 'account' : 'circle-large-outline');
    item.tooltip = this.tooltip();
    const shownFrom = this.cached ? `, shown from the cache of ${this.cached.savedAt.toLocaleString()}${this.cached.failed ? ', not current' : ', updating'}` : '';
    item.accessibilityInformation = { label: `${owner ? `${this.label}, shared mailbox opened by ${owner.address}` : `${this.label}, ${STATE_TEXT[this.state]}`}${shownFrom}` };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const md = new vscode.MarkdownString('', true);
    md.appendMarkdown(`**${escape(this.label)}** — ${STATE_TEXT[this.state]}\n\n`);
    if (this.cached) {
      md.appendMarkdown(`Folders and messages as they were on ${escape(this.cached.savedAt.toLocaleString())} (the mailbox cache)${
        this.cached.failed ? ': the server could not be asked; Retry asks it again.' : ', until the server answers.'}\n\n`);
    }
    if (!this.entry.valid) {
      for (const problem of this.entry.problems) md.appendMarkdown(`- ${escape(describeProblem(this.entry.label, problem))}\n`);
      return md;
    }
    const a = this.entry.account;
    if (a.openedBy) {
      md.appendMarkdown(`Shared mailbox, opened with the sign-in of ${escape(a.openedBy.address)}`
        + `${a.authMode === 'client-credentials' ? ' (app-only)' : ' (FullAccess)'}.\n\n`);
    }
    md.appendMarkdown(`${PRESETS[a.preset].label} · ${AUTH_MODE_CHOICES[a.authMode].label}\n\n`);
    md.appendMarkdown(`Protocols: ${a.protocols.map((p) => PROTOCOL_NAMES[p]).join(', ')}\n\n`);
    md.appendMarkdown(`Tenant: \`${a.tenant}\` · Client ID: \`${a.clientId}\``);
    return md;
  }
}

/** What is wrong with an invalid account, under it; clicking it opens the settings. */
export class ProblemNode {
  readonly kind = 'problem';
  constructor(readonly parent: AccountNode, readonly problem: AccountProblem, readonly label: string) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.problem.field} ${this.problem.problem}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.parent.toTreeItem().id}/problem:${this.problem.field}`;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.tooltip = describeProblem(this.label, this.problem);
    item.contextValue = 'accountProblem';
    item.command = { title: 'Open Settings', command: 'exchangeMail.openAccountSettings' };
    return item;
  }
}

export type MailboxNode = AccountNode | ProblemNode;

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
