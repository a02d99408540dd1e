/**
 * Tokens on behalf of a signed-in user through MSAL, the part every delegated flow shares:
 * silent first (a valid cached token costs no request, an expired one is refreshed with the
 * refresh token), and only then, when the caller allows it, the flow's interactive sign-in,
 * asking for every protocol of the account at once. The account that signed in is kept (its
 * homeAccountId) so later tokens come silently even when the user picked another account than
 * the address (the guide's note on `result.Account.Username`).
 */
import { AccountInfo, AuthenticationResult, ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { ExplainedError } from '../errors';
import { needsSignIn, signInRequired } from './explain';
import { DEFAULT_INTERACTION_TIMEOUT_MS, withinLimits } from './interaction';
import { AccountMsalConfig, TokenSourceOptions } from './msal-config';
import type { AuthPorts } from './ports';
import { AccountScopes } from './scopes';
import type { AccessToken, AuthMode, AuthSettings, TokenRequest, TokenSource } from './token-source';

/** How one delegated flow signs the user in when silent acquisition cannot serve. */
export interface InteractiveFlow {
  /** For messages: "the browser sign-in". */
  readonly what: string;
  /** Signs in asking for `scopes`; stops waiting for the user as soon as `signal` aborts. */
  signIn(scopes: string[], signal: AbortSignal): Promise<AuthenticationResult>;
}

export type MsalApplication = PublicClientApplication | ConfidentialClientApplication;

export interface DelegatedParts {
  app: MsalApplication;
  flow: InteractiveFlow;
}

/** SecretStorage key of the homeAccountId an account signed in with. */
export function keptAccountKey(accountId: string): string {
  return `exchangeMail.msalAccount/${accountId}`;
}

const ONE_HOUR_MS = 3600_000;

export function accessTokenOf(result: AuthenticationResult, user: string): AccessToken {
  // MSAL hands back "" when the platform's answer had no access_token.
  if (!result.accessToken) {
    throw new ExplainedError('The identity platform answered without an access token.',
      'Sign in again; if it keeps happening, the identity platform (or a proxy in front of it) is answering wrongly: the log has its reply.',
      { code: 'no-access-token', actions: ['signIn', 'showLog'] });
  }
  return {
    accessToken: result.accessToken,
    user,
    expiresOn: result.expiresOn ?? new Date(Date.now() + ONE_HOUR_MS),
    scopes: result.scopes,
  };
}

export class DelegatedTokenSource implements TokenSource {
  private readonly scopes: AccountScopes;
  private parts: Promise<DelegatedParts & { msalConfig: AccountMsalConfig }> | undefined;
  /** getToken calls one after another: two protocols must not open two sign-ins at once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly mode: AuthMode,
    private readonly settings: AuthSettings,
    private readonly ports: AuthPorts,
    private readonly options: TokenSourceOptions,
    private readonly build: (msalConfig: AccountMsalConfig) => Promise<DelegatedParts> | DelegatedParts,
  ) {
    this.scopes = new AccountScopes(settings);
  }

  getToken(request: TokenRequest): Promise<AccessToken> {
    const next = this.queue.then(() => this.acquire(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async isSignedIn(): Promise<boolean> {
    try {
      const { app, release } = await this.cacheApp();
      try {
        return (await this.findAccount(app, await this.keptAccount())) !== null;
      } finally {
        release();
      }
    } catch {
      return false;
    }
  }

  /**
   * Forgets the kept account first: a refresh under way (here or in another window) sees it gone
   * when it ends and removes what it wrote, whether it ends before the removal below or after.
   */
  async signOut(): Promise<void> {
    const { app, release } = await this.cacheApp();
    try {
      const account = await this.findAccount(app, await this.keptAccount());
      await this.ports.secrets.delete(keptAccountKey(this.settings.accountId));
      if (account) await app.getTokenCache().removeAccount(account);
    } finally {
      release();
    }
    this.ports.log.info(`${this.settings.accountId}: signed out (${this.mode})`);
  }

  /**
   * An app to read and edit the account's cache with: the flow's own, or, when that cannot be
   * built (a web app whose secret is gone), a public client over the same cache entry.
   */
  private async cacheApp(): Promise<{ app: MsalApplication; release: () => void }> {
    try {
      return { app: (await this.ready()).app, release: () => undefined };
    } catch {
      const msalConfig = await AccountMsalConfig.create(this.settings, this.ports, this.options);
      return { app: new PublicClientApplication(msalConfig.configuration()), release: () => msalConfig.cache.dispose() };
    }
  }

  private ready(): Promise<DelegatedParts & { msalConfig: AccountMsalConfig }> {
    this.parts ??= (async () => {
      const msalConfig = await AccountMsalConfig.create(this.settings, this.ports, this.options);
      return { msalConfig, ...await this.build(msalConfig) };
    })();
    this.parts.catch(() => {
      this.parts = undefined;
    });
    return this.parts;
  }

  private async acquire(request: TokenRequest): Promise<AccessToken> {
    const { msalConfig, app, flow } = await this.ready();
    msalConfig.network.reset();
    const scopes = this.scopes.forProtocol(request.protocol);
    const log = this.ports.log;
    let silentFailure: unknown;
    try {
      const kept = await this.keptAccount();
      const account = await this.findAccount(app, kept);
      if (account) {
        const result = await app.acquireTokenSilent({ account, scopes, forceRefresh: request.forceRefresh === true });
        if (kept && !result.fromCache && !await this.keptAccount()) {
          // Signed out while the refresh was under way: what it wrote to the cache goes too.
          await app.getTokenCache().removeAccount(account);
          throw signInRequired(this.mode);
        }
        log.debug(`${this.settings.accountId}: ${request.protocol} token from ${result.fromCache ? 'the cache' : 'a refresh'}`);
        return accessTokenOf(result, result.account?.username || account.username);
      }
    } catch (err) {
      if (!needsSignIn(err, msalConfig.explainContext().network)) throw msalConfig.explain(err, scopes);
      silentFailure = err;
      log.info(`${this.settings.accountId}: silent ${request.protocol} token failed: ${msalConfig.explain(err, scopes).detail ?? ''}`);
    }
    if (!request.interactive) throw silentFailure ? msalConfig.explain(silentFailure, scopes) : signInRequired(this.mode);
    const consent = this.scopes.consent(request.protocol);
    log.info(`${this.settings.accountId}: signing in with ${flow.what} for ${consent.join(' ')}`);
    msalConfig.network.reset();
    let result: AuthenticationResult;
    try {
      result = await withinLimits(
        { signal: request.signal, timeoutMs: this.options.interactionTimeoutMs ?? DEFAULT_INTERACTION_TIMEOUT_MS, what: flow.what },
        (signal) => flow.signIn(consent, signal),
      );
    } catch (err) {
      throw msalConfig.explain(err, consent);
    }
    if (result.account) await this.ports.secrets.store(keptAccountKey(this.settings.accountId), result.account.homeAccountId);
    log.info(`${this.settings.accountId}: signed in as ${result.account?.username ?? '(no account)'}`);
    // The consent token carries every protocol's scope of the account, this one's included.
    return accessTokenOf(result, result.account?.username || this.settings.address);
  }

  /** The homeAccountId this account signed in with, kept until Sign Out. */
  private keptAccount(): Promise<string | undefined> {
    return this.ports.secrets.get(keptAccountKey(this.settings.accountId));
  }

  /** The account `kept` names, else the one signed in with the address. */
  private async findAccount(app: MsalApplication, kept: string | undefined): Promise<AccountInfo | null> {
    const cache = app.getTokenCache();
    if (kept) return cache.getAccountByHomeId(kept);
    const address = this.settings.address.toLowerCase();
    return (await cache.getAllAccounts()).find((a) => a.username.toLowerCase() === address) ?? null;
  }
}
