/**
 * MSAL's token cache kept in SecretStorage: one entry per app registration and authority,
 * written only when MSAL changed it, and read again once another window (or another account of
 * this window on the same registration) wrote it.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Disposable, SecretStore } from './ports';

export function cacheKey(clientId: string, authority: string): string {
  return `exchangeMail.msalCache/${clientId}@${authority}`;
}

/** The sections of MSAL's serialized cache that hold an account or a token. */
const TOKEN_SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken'];

const EMPTY_CACHE = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

function holdsTokens(serialized: string): boolean {
  try {
    const cache = JSON.parse(serialized) as Record<string, unknown>;
    return TOKEN_SECTIONS.some((section) => {
      const entries = cache[section];
      return !!entries && typeof entries === 'object' && Object.keys(entries).length > 0;
    });
  } catch {
    return true;
  }
}

export class SecretCachePlugin implements ICachePlugin, Disposable {
  /** What the store held when last read or written by this plugin; undefined: nothing. */
  private known: string | undefined;
  private loaded = false;
  private stale = false;
  private readonly subscription: Disposable;

  constructor(private readonly secrets: SecretStore, readonly key: string) {
    this.subscription = secrets.onDidChange((changed) => {
      if (changed === key) this.stale = true;
    });
  }

  /**
   * MSAL empties its in-memory cache before every silent lookup and refills it from what this
   * hands it, so every access deserializes; SecretStorage itself is read only when it changed.
   */
  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!this.loaded || this.stale) {
      this.stale = false;
      this.known = await this.secrets.get(this.key);
      this.loaded = true;
    }
    context.tokenCache.deserialize(this.known ?? EMPTY_CACHE);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const serialized = context.tokenCache.serialize();
    if (holdsTokens(serialized)) {
      this.known = serialized;
      await this.secrets.store(this.key, serialized);
    } else if (this.known !== undefined) {
      this.known = undefined;
      await this.secrets.delete(this.key);
    }
  }

  /** Drops the stored cache (app-only tokens have no account to remove one by one). */
  async clear(): Promise<void> {
    this.known = undefined;
    await this.secrets.delete(this.key);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
