import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { toMailServer } from '../../accounts/mail-server';
import { signInOf, xoauth2UserFor } from '../../accounts/mailboxes';
import type { ImapSession } from '../../mail/imap/session';
import type { MailLog } from '../../mail/server';
import type { AccountSettings } from '../accounts/account-settings';
import { loadCore } from '../bundle-loader';
import type { SignInChange, SignIns } from '../accounts/sign-ins';
import { credentialsFrom } from '../../auth/credentials';

interface Kept {
  /** The account's settings when the session was made: other settings need another session. */
  key: string;
  account: Account;
  session: ImapSession;
}

/**
 * One IMAP session per signed-in account, made when something first needs the account's mail
 * (the account node is expanded, a message opened), through the core, so activation loads no
 * IMAP code. A session is closed when its account is signed out (here or in another window),
 * removed or changed in settings, and when the extension deactivates; never while the view
 * renders, and not when the account signs in (its connections take the new token when they need
 * one), so a listing under way is not cut short.
 *
 * Tokens come silently (`interactive: false`): browsing the tree never pops a sign-in up; a
 * token that cannot be had silently fails with "Sign In" as its action.
 */
export class AccountSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Kept>();
  private readonly closed = new vscode.EventEmitter<string>();
  /** Fires with the account id when its session was closed; the next use opens a new one. */
  readonly onDidClose = this.closed.event;
  private readonly signedIn = new vscode.EventEmitter<string>();
  /** Fires with the account id after it signed in: what failed for want of a token can be tried again. */
  readonly onDidSignIn = this.signedIn.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(settings: AccountSettings, private readonly signIns: SignIns, private readonly log: MailLog, secretsChanged: vscode.Event<unknown>) {
    this.subscriptions = [
      signIns.onDidChange((change) => void this.signInChanged(change)),
      // Another window signed out: the token caches live in SecretStorage.
      secretsChanged(() => void this.closeSignedOut()),
      settings.onDidChange(() => {
        for (const [id, kept] of this.sessions) {
          const account = settings.find(id);
          if (!account || keyOf(account) !== kept.key) void this.close(id);
        }
      }),
    ];
  }

  /** The account's open session, or a new one. Throws an ExplainedError when the account has no usable IMAP server. */
  get(account: Account): ImapSession {
    const key = keyOf(account);
    const kept = this.sessions.get(account.id);
    if (kept?.key === key) return kept.session;
    if (kept) void this.close(account.id);
    const server = toMailServer(account, 'imap');
    const source = this.signIns.source(account);
    const session = new (loadCore().ImapSession)({
      server,
      // Browsing never pops up a sign-in: the tree offers Sign In instead.
      credentials: credentialsFrom(source, 'imap', { interactive: false, user: xoauth2UserFor(account, 'imap') }),
      log: this.log,
    });
    this.sessions.set(account.id, { key, account, session });
    this.log.info(`${account.address}: IMAP session opened for ${server.host}:${server.port}`);
    return session;
  }

  /** The account's session if it has one open, without opening one. */
  peek(accountId: string): ImapSession | undefined {
    return this.sessions.get(accountId)?.session;
  }

  /** The account's own mailbox and the shared ones its sign-in opens go together. */
  private async signInChanged(change: SignInChange): Promise<void> {
    const opened = [...this.sessions.values()].filter((k) => signInOf(k.account).id === change.accountId);
    const signedIn = change.signedIn ?? (opened[0] ? await this.signIns.isSignedIn(opened[0].account) : undefined);
    if (signedIn === false) await Promise.all(opened.map((k) => this.close(k.account.id)));
    if (change.signedIn) for (const id of new Set([change.accountId, ...opened.map((k) => k.account.id)])) this.signedIn.fire(id);
  }

  private async closeSignedOut(): Promise<void> {
    await Promise.all([...this.sessions.values()].map(async ({ account, session }) => {
      if (await this.signIns.isSignedIn(account)) return;
      if (this.sessions.get(account.id)?.session === session) await this.close(account.id);
    }));
  }

  async close(accountId: string): Promise<void> {
    const kept = this.sessions.get(accountId);
    if (!kept) return;
    this.sessions.delete(accountId);
    this.closed.fire(accountId);
    await kept.session.close().catch((err: unknown) =>
      this.log.debug(`${accountId}: closing the IMAP session: ${err instanceof Error ? err.message : String(err)}`));
    this.log.info(`${accountId}: IMAP session closed`);
  }

  /** Logs every session out; what deactivation waits for. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  dispose(): void {
    void this.closeAll();
    this.subscriptions.forEach((s) => s.dispose());
    this.closed.dispose();
    this.signedIn.dispose();
  }
}

function keyOf(account: Account): string {
  return JSON.stringify(account);
}
