import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { toAuthSettings } from '../../accounts/auth-settings';
import { signInOf } from '../../accounts/mailboxes';
import type { AuthPorts } from '../../auth/ports';
import type { AccessToken, TokenSource } from '../../auth/token-source';
import { loadCore } from '../bundle-loader';

/** An account signed in (`signedIn` true), out (false), or a sign-in failed and its state is to be asked again (undefined). */
export interface SignInChange {
  accountId: string;
  signedIn?: boolean;
}

/**
 * The token source of each account, made on first use through the core (so activation never
 * loads MSAL) and made again when the account's settings change. Says when an account signed
 * in or out, for the tree.
 */
export class SignIns implements vscode.Disposable {
  private readonly sources = new Map<string, { key: string; source: TokenSource }>();
  private readonly changed = new vscode.EventEmitter<SignInChange>();
  /** Fires after a sign-in or sign-out, done or failed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ports: AuthPorts) {}

  /** The token source of the account's sign-in (a shared mailbox's is its account's). */
  source(mailbox: Account): TokenSource {
    const account = signInOf(mailbox);
    const settings = toAuthSettings(account);
    const key = JSON.stringify(settings);
    const kept = this.sources.get(account.id);
    if (kept?.key === key) return kept.source;
    const source = loadCore().createTokenSource(settings, this.ports);
    this.sources.set(account.id, { key, source });
    return source;
  }

  /** False also when the question itself fails: the tree then offers Sign In. */
  async isSignedIn(account: Account): Promise<boolean> {
    try {
      return await this.source(account).isSignedIn();
    } catch (err) {
      this.ports.log.debug(`${account.id}: cannot tell whether signed in: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /** An interactive token for the account's first protocol: consent covers all its protocols. */
  async signIn(account: Account, signal: AbortSignal): Promise<AccessToken> {
    let signedIn: boolean | undefined;
    try {
      const token = await this.source(account).getToken({ protocol: account.protocols[0], interactive: true, signal });
      signedIn = true;
      return token;
    } finally {
      this.changed.fire({ accountId: signInOf(account).id, signedIn });
    }
  }

  async signOut(account: Account): Promise<void> {
    try {
      await this.source(account).signOut();
    } finally {
      this.changed.fire({ accountId: signInOf(account).id, signedIn: false });
    }
  }

  /** Drops the sources of accounts that no longer exist. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of [...this.sources.keys()]) if (!keep.has(id)) this.sources.delete(id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
