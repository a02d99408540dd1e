import type { Protocol } from '../mail/server';

/**
 * How an account gets its tokens: VS Code's Microsoft provider (`vscode`), MSAL in the browser
 * or by device code, a web app's auth code with a client secret (all delegated: the token is the
 * signed-in user's), or an app-only token by client credentials (the mailbox is the XOAUTH2 user).
 */
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

/**
 * What a token source needs to know of an account. src/accounts maps a user's account setting
 * to this; src/auth never reads settings itself.
 */
export interface AuthSettings {
  /** Stable key of the account (its address, lower case); names its cache entries and secrets. */
  accountId: string;
  /** The mailbox address: login hint for delegated flows, XOAUTH2 user for app-only tokens. */
  address: string;
  mode: AuthMode;
  clientId: string;
  /** `organizations`, `common`, `consumers`, a tenant GUID or a verified domain. */
  tenant: string;
  /** Scheme and host of the identity platform: https://login.microsoftonline.com, a sovereign cloud's, or the sandbox's. */
  authorityHost: string;
  /** Exchange's resource for delegated scopes: https://outlook.office.com (sovereign clouds differ). */
  delegatedResource: string;
  /** Exchange's resources for app-only `.default` scopes: https://outlook.office365.com by default (MailKit's guide: https://ps.outlook.com for IMAP/POP). */
  appOnlyResources: { imapPop: string; smtp: string };
  /** The account's protocols: the first consent asks for all of them at once. */
  protocols: Protocol[];
  /** PEM file of extra CAs to trust for the identity platform (and the mail servers). */
  caFile?: string;
  /** For `client-credentials`: a client secret or a certificate (private key in SecretStorage). */
  credential?: 'secret' | 'certificate';
  /** SHA-256 thumbprint (hex) of the registered certificate, for `credential: 'certificate'`. */
  certificateThumbprint?: string;
  /** VS Code's provider for the `vscode` mode. */
  vscodeProvider: 'microsoft' | 'microsoft-sovereign-cloud';
}

/** SecretStorage keys of an account's own secrets (entered by the user in Add Account). */
export const secretKeys = {
  clientSecret: (accountId: string) => `exchangeMail.clientSecret/${accountId}`,
  certificatePrivateKey: (accountId: string) => `exchangeMail.certificateKey/${accountId}`,
};
