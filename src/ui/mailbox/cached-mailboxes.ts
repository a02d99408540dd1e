import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { toMailServer } from '../../accounts/mail-server';
import { sharedMailboxesOf, signInOf } from '../../accounts/mailboxes';
import type { MailboxSnapshot } from '../../mail/cache/mailbox-snapshot';
import { SnapshotStore } from '../../mail/cache/snapshot-store';
import { serverAddress, type MailLog } from '../../mail/server';
import type { AccountSettings } from '../accounts/account-settings';
import type { SignIns } from '../accounts/sign-ins';

export const CACHE_SETTING = 'exchangeMail.cache.enabled';

const enabled = () => vscode.workspace.getConfiguration().get<boolean>(CACHE_SETTING, true);

/** `host:port` of the mailbox's IMAP server; undefined when it has none (nothing to cache). */
function serverOf(account: Account): string | undefined {
  try {
    return serverAddress(toMailServer(account, 'imap'));
  } catch {
    return undefined;
  }
}

/**
 * The mailbox cache as this window uses it (see src/mail/cache): each mailbox's snapshot read once,
 * when the view first shows the mailbox, and saved as its mail changes. The files go with the
 * mailbox: Sign Out (here or through Remove Account) removes those of the sign-in's mailboxes,
 * an account or shared mailbox gone from the settings its own, and `exchangeMail.cache.enabled`
 * turned off all of them.
 */
export class CachedMailboxes implements vscode.Disposable {
  private readonly store: SnapshotStore;
  /** By mailbox id and server: each read once. */
  private readonly snapshots = new Map<string, Promise<MailboxSnapshot | undefined>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(storage: vscode.Uri, private readonly settings: AccountSettings, signIns: SignIns, log: MailLog, debounceMs?: number) {
    this.store = new SnapshotStore(join(storage.fsPath, 'mailbox-cache'), { debounceMs, onError: (message) => log.warn(message) });
    this.subscriptions = [
      settings.onDidChange(() => void this.retain()),
      signIns.onDidChange((change) => {
        if (change.signedIn !== false) return;
        const account = settings.find(change.accountId);
        if (account) void this.forget([account, ...sharedMailboxesOf(signInOf(account))]);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CACHE_SETTING)) void this.retain();
      }),
    ];
    void this.retain();
  }

  /** The folder that holds the files. */
  get folder(): string {
    return this.store.folder;
  }

  /** The file of a mailbox's snapshot. */
  fileOf(mailboxId: string): string {
    return this.store.fileOf(mailboxId);
  }

  /** The mailbox's snapshot as it was when this window first asked; undefined with the cache off or none kept. */
  snapshot(account: Account): Promise<MailboxSnapshot | undefined> {
    const server = serverOf(account);
    if (!enabled() || !server) return Promise.resolve(undefined);
    const key = `${account.id}\n${server}`;
    let read = this.snapshots.get(key);
    if (!read) {
      read = this.store.read(account.id, server);
      this.snapshots.set(key, read);
    }
    return read;
  }

  /** Saves the mailbox's snapshot soon (debounced); `make` is asked then, and may give nothing. */
  save(account: Account, make: (server: string) => Promise<Omit<MailboxSnapshot, 'server'> | undefined>): void {
    const server = serverOf(account);
    if (!enabled() || !server) return;
    this.store.schedule(account.id, async () => {
      const made = await make(server);
      return made && { ...made, server };
    });
  }

  /** Writes what is scheduled now: the extension stops. */
  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Removes the mailboxes' snapshots; this window shows them no more. */
  async forget(mailboxes: readonly Account[]): Promise<void> {
    for (const mailbox of mailboxes) {
      const server = serverOf(mailbox);
      if (server) this.snapshots.set(`${mailbox.id}\n${server}`, Promise.resolve(undefined));
    }
    await this.store.remove(mailboxes.map((m) => m.id));
  }

  /** Keeps the files of the mailboxes in the settings, or none with the cache off. */
  private async retain(): Promise<void> {
    if (enabled()) return this.store.retain(this.settings.mailboxes().map((m) => m.id));
    this.snapshots.clear();
    await this.store.clear();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
