import type { Protocol } from '../mail/server';

/** The authentication modes an account can use (DESIGN.md, "Accounts and authentication"). */
export type AuthMode = 'vscode' | 'msal-browser' | 'msal-device-code' | 'web-app' | 'client-credentials';

export interface AccessToken {
  /** The bearer token. Never logged, never shown. */
  accessToken: string;
  /** The XOAUTH2 user: the signed-in account's username, or the mailbox for app-only tokens. */
  user: string;
  expiresOn: Date;
  /** The scopes the token was granted, as the identity platform returned them. */
  scopes: string[];
}

export interface TokenRequest {
  protocol: Protocol;
  /** May the source ask the user (browser, device code, consent)? False: silent or fail. */
  interactive: boolean;
  /** Skip the cache: the server refused the cached token. */
  forceRefresh?: boolean;
  signal?: AbortSignal;
}

/** One way of getting tokens for an account; one implementation per flow, chosen per account. */
export interface TokenSource {
  readonly mode: AuthMode;
  /** Silent first; interactive only when allowed and needed. Fails with an ExplainedError. */
  getToken(request: TokenRequest): Promise<AccessToken>;
  /** Whether a token can be had without asking the user. */
  isSignedIn(): Promise<boolean>;
  /** Forgets this account's tokens (cache entries, kept account identifiers). */
  signOut(): Promise<void>;
}
