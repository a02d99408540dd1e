import * as vscode from 'vscode';
import { Account, AccountEntry, AccountSetting, describeProblem, parseAccounts } from '../../accounts/account';
import { sharedMailboxesOf, storeSharedMailboxes } from '../../accounts/mailboxes';

const SECTION = 'exchangeMail';
const KEY = 'accounts';

/**
 * The accounts of the user settings `exchangeMail.accounts`, checked. The setting is
 * application-scoped: VS Code ignores it in workspace settings, so a workspace cannot add or
 * redirect accounts.
 */
export class AccountSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private cached: AccountEntry[] | undefined;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SECTION}.${KEY}`)) return;
      this.cached = undefined;
      this.changed.fire();
    });
  }

  private raw(): unknown {
    return vscode.workspace.getConfiguration(SECTION).get<unknown>(KEY);
  }

  entries(): AccountEntry[] {
    this.cached ??= parseAccounts(this.raw());
    return this.cached;
  }

  accounts(): Account[] {
    return this.entries().flatMap((e) => (e.valid ? [e.account] : []));
  }

  /** Every mailbox the accounts open: each account's own, then its shared ones (../accounts/mailboxes). */
  mailboxes(): Account[] {
    return this.accounts().flatMap((a) => [a, ...sharedMailboxesOf(a)]);
  }

  /** An account, or a shared mailbox, by id. */
  find(id: string): Account | undefined {
    return this.mailboxes().find((a) => a.id === id);
  }

  /** Each problem as one line naming the account and the field. */
  problems(): string[] {
    return this.entries().flatMap((e) => (e.valid ? [] : e.problems.map((p) => describeProblem(e.label, p))));
  }

  async add(setting: AccountSetting): Promise<void> {
    const current = this.raw();
    await this.write([...(Array.isArray(current) ? current : []), setting]);
  }

  /** Removes the entry as it is now in settings (matched by position and address, in case the file changed). */
  async remove(entry: AccountEntry): Promise<void> {
    const current = this.raw();
    if (!Array.isArray(current)) return this.write([]);
    const address = (s: unknown) => (typeof s === 'object' && s !== null ? String((s as { address?: unknown }).address ?? '').trim().toLowerCase() : '');
    const wanted = address(entry.setting);
    const index = address(current[entry.index]) === wanted ? entry.index : current.findIndex((s) => wanted !== '' && address(s) === wanted);
    if (index < 0) return;
    await this.write(current.filter((_, i) => i !== index));
  }

  /** Writes the account's `sharedMailboxes` into its entry in settings, leaving every other field as the user wrote it. */
  async setSharedMailboxes(account: Account, mailboxes: string[]): Promise<void> {
    const current = this.raw();
    if (!Array.isArray(current)) return;
    const index = current.findIndex((s) => typeof s === 'object' && s !== null
      && String((s as { address?: unknown }).address ?? '').trim().toLowerCase() === account.id);
    if (index < 0) return;
    const entry = { ...(current[index] as AccountSetting) };
    storeSharedMailboxes(entry, mailboxes);
    await this.write(current.map((s, i) => (i === index ? entry : s)));
  }

  private async write(value: unknown[]): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(KEY, value, vscode.ConfigurationTarget.Global);
    this.cached = undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
