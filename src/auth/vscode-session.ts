/**
 * `vscode`: VS Code's own Microsoft sign-in (`vscode.authentication.getSession` on `microsoft`
 * or `microsoft-sovereign-cloud`), with the account's app registration and tenant passed as
 * `VSCODE_CLIENT_ID:`/`VSCODE_TENANT:` scopes. VS Code keeps and refreshes the session; this
 * source asks silently first and opens VS Code's sign-in only when the caller allows it.
 */
import { cancelledError, DEFAULT_INTERACTION_TIMEOUT_MS, withinLimits } from './interaction';
import { signInRequired } from './explain';
import type { TokenSourceOptions } from './msal-config';
import type { AuthPorts, ProviderSession } from './ports';
import { AccountScopes, withoutVsCodeMarkers } from './scopes';
import type { AccessToken, AuthSettings, TokenRequest, TokenSource } from './token-source';

/** The provider is missing or failed (not a cancellation): the account falls back to MSAL. */
export class ProviderUnavailable extends Error {
  constructor(readonly providerId: string, reason: string) {
    super(`VS Code's "${providerId}" authentication provider ${reason}`);
    this.name = 'ProviderUnavailable';
  }
}

function isCancellation(err: unknown): boolean {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  return name === 'Canceled' || name === 'SignInCancelled' || name === 'CancellationError' || /^cancel+ed$/i.test(message);
}

/** The `exp` of a JWT access token; VS Code's session does not say when its token expires. */
function expiryOf(accessToken: string): Date {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return new Date(payload.exp * 1000);
  } catch {
    // not a JWT: assume the shortest lifetime Entra gives
  }
  return new Date(Date.now() + 5 * 60_000);
}

export class VsCodeSessionSource implements TokenSource {
  readonly mode = 'vscode' as const;
  private readonly scopes: AccountScopes;

  constructor(private readonly settings: AuthSettings, private readonly ports: AuthPorts, private readonly options: TokenSourceOptions) {
    this.scopes = new AccountScopes(settings);
  }

  get providerId(): string {
    return this.settings.vscodeProvider;
  }

  async getToken(request: TokenRequest): Promise<AccessToken> {
    if (!this.ports.vscodeAuth.hasProvider(this.providerId)) throw new ProviderUnavailable(this.providerId, 'is not available in this editor');
    const scopes = this.scopes.forProtocol(request.protocol);
    if (!request.forceRefresh || !request.interactive) {
      const session = await this.session(scopes, { silent: true });
      if (session) return this.token(session, scopes);
      if (!request.interactive) throw signInRequired(this.mode);
    }
    const consent = this.scopes.consent(request.protocol);
    const session = await withinLimits(
      { signal: request.signal, timeoutMs: this.options.interactionTimeoutMs ?? DEFAULT_INTERACTION_TIMEOUT_MS, what: 'VS Code\'s Microsoft sign-in' },
      () => this.session(consent, request.forceRefresh ? { forceNewSession: true } : { createIfNone: true }),
    );
    if (!session) throw signInRequired(this.mode);
    this.ports.log.info(`${this.settings.accountId}: signed in through VS Code as ${session.account.label}`);
    return this.token(session, consent);
  }

  async isSignedIn(): Promise<boolean> {
    if (!this.ports.vscodeAuth.hasProvider(this.providerId)) return false;
    const scopes = this.scopes.forProtocol(this.settings.protocols[0] ?? 'imap');
    return (await this.session(scopes, { silent: true }).catch(() => undefined)) !== undefined;
  }

  /** VS Code owns the session: the user signs out of it from the Accounts menu. */
  async signOut(): Promise<void> {
    this.ports.log.info(`${this.settings.accountId}: VS Code keeps its own Microsoft session; sign out of it from the Accounts menu`);
  }

  private async session(scopes: string[], options: { silent?: boolean; createIfNone?: boolean; forceNewSession?: boolean }): Promise<ProviderSession | undefined> {
    try {
      return await this.ports.vscodeAuth.getSession(this.providerId, this.scopes.forVsCode(scopes), options);
    } catch (err) {
      if (isCancellation(err)) throw cancelledError('VS Code\'s Microsoft sign-in');
      throw new ProviderUnavailable(this.providerId, `failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private token(session: ProviderSession, scopes: string[]): AccessToken {
    return { accessToken: session.accessToken, user: session.account.label, expiresOn: expiryOf(session.accessToken), scopes: withoutVsCodeMarkers(scopes) };
  }
}
