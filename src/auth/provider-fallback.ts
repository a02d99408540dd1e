/**
 * The `vscode` mode where VS Code's Microsoft provider is missing (VSCodium, some code-server
 * builds) or fails (a tenant that blocks VS Code's sign-in): the account's tokens then come
 * from MSAL with the same app registration, and the user is told so once.
 */
import { isExplained } from '../errors';
import { signInRequired } from './explain';
import type { AuthPorts } from './ports';
import type { AccessToken, TokenRequest, TokenSource } from './token-source';
import { ProviderUnavailable, VsCodeSessionSource } from './vscode-session';

/** Accounts already told about their fallback, per extension host (per ports object). */
const told = new WeakMap<AuthPorts, Set<string>>();

export class ProviderWithFallback implements TokenSource {
  readonly mode = 'vscode' as const;
  /** Set once the account's tokens come from MSAL. */
  private fallback: TokenSource | undefined;
  private standby: TokenSource | undefined;

  constructor(
    private readonly accountId: string,
    private readonly provider: VsCodeSessionSource,
    private readonly createFallback: () => TokenSource,
    private readonly fallbackName: string,
    private readonly ports: AuthPorts,
  ) {}

  async getToken(request: TokenRequest): Promise<AccessToken> {
    if (this.fallback) return this.fallback.getToken(request);
    try {
      if (!(request.forceRefresh && request.interactive)) {
        try {
          return await this.provider.getToken({ ...request, interactive: false });
        } catch (err) {
          if (!isExplained(err) || err.code !== 'sign-in-required') throw err;
        }
        // An earlier window may have signed in through the fallback: its tokens still serve.
        if (await this.msal().isSignedIn().catch(() => false)) return await this.engage(undefined).getToken(request);
        if (!request.interactive) throw signInRequired(this.mode);
      }
      return await this.provider.getToken(request);
    } catch (err) {
      if (err instanceof ProviderUnavailable) return this.engage(err.message).getToken(request);
      throw err;
    }
  }

  async isSignedIn(): Promise<boolean> {
    if (this.fallback) return this.fallback.isSignedIn();
    return await this.provider.isSignedIn() || await this.msal().isSignedIn().catch(() => false);
  }

  async signOut(): Promise<void> {
    await this.provider.signOut();
    await this.msal().signOut();
  }

  private msal(): TokenSource {
    return this.standby ??= this.createFallback();
  }

  private engage(reason: string | undefined): TokenSource {
    this.fallback = this.msal();
    const accounts = told.get(this.ports) ?? new Set<string>();
    told.set(this.ports, accounts);
    if (reason !== undefined && !accounts.has(this.accountId)) {
      accounts.add(this.accountId);
      const message = `${reason}. Exchange Mail signs ${this.accountId} in with its own ${this.fallbackName} instead.`;
      this.ports.log.warn(message);
      this.ports.notify(message);
    } else {
      this.ports.log.info(`${this.accountId}: tokens from the MSAL ${this.fallbackName} (fallback from VS Code's provider)`);
    }
    return this.fallback;
  }
}
