/**
 * MSAL's token cache kept in SecretStorage: one entry per app registration and authority,
 * written only when MSAL changed it, and read again once another window (or another account of
 * this window on the same registration) wrote it.
 *
 * Accounts on one registration share the entry, each through its own MSAL instance. A write
 * is a read-merge-write, one at a time per entry in this window: what this instance changed
 * since it last loaded the cache goes onto what the store holds now, so two accounts that
 * refresh at the same moment keep both their tokens.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Disposable, SecretStore } from './ports';

export function cacheKey(clientId: string, authority: string): string {
  return `exchangeMail.msalCache/${clientId}@${authority}`;
}

/** The sections of MSAL's serialized cache that hold an account or a token. */
const TOKEN_SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken'];

const EMPTY_CACHE = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

type CacheSections = Record<string, Record<string, unknown>>;

function sections(serialized: string): CacheSections | undefined {
  try {
    const cache = JSON.parse(serialized) as unknown;
    return cache && typeof cache === 'object' && !Array.isArray(cache) ? cache as CacheSections : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `ours` (this instance's cache) applied onto `stored` (the entry now) as changes since `base`
 * (what this instance loaded): entries it added or changed win, entries it removed go, entries
 * only someone else touched stay.
 */
function mergeCaches(stored: string, base: string, ours: string): string {
  const [now, before, mine] = [sections(stored), sections(base), sections(ours)];
  if (!now || !before || !mine) return ours;
  const merged: CacheSections = {};
  for (const name of new Set([...Object.keys(now), ...Object.keys(mine)])) {
    const entries = { ...now[name] };
    const had = before[name] ?? {};
    const has = mine[name] ?? {};
    for (const [key, value] of Object.entries(has)) {
      if (JSON.stringify(value) !== JSON.stringify(had[key])) entries[key] = value;
    }
    for (const key of Object.keys(had)) {
      if (!(key in has)) delete entries[key];
    }
    merged[name] = entries;
  }
  return JSON.stringify(merged);
}

/** The write in progress for each entry in this window; the next waits for it. */
const writes = new Map<string, Promise<void>>();

async function oneWriterAtATime(key: string, write: () => Promise<void>): Promise<void> {
  const previous = writes.get(key) ?? Promise.resolve();
  const mine = previous.then(write, write);
  const settled = mine.catch(() => undefined);
  writes.set(key, settled);
  try {
    await mine;
  } finally {
    if (writes.get(key) === settled) writes.delete(key);
  }
}

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
  /** What MSAL's in-memory cache was last filled with: the base of this instance's changes. */
  private deserialized = EMPTY_CACHE;
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
    this.deserialized = this.known ?? EMPTY_CACHE;
    context.tokenCache.deserialize(this.deserialized);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const ours = context.tokenCache.serialize();
    const base = this.deserialized;
    await oneWriterAtATime(this.key, async () => {
      const stored = await this.secrets.get(this.key);
      const current = stored ?? EMPTY_CACHE;
      const merged = current === base ? ours : mergeCaches(current, base, ours);
      this.deserialized = merged;
      if (holdsTokens(merged)) {
        this.known = merged;
        await this.secrets.store(this.key, merged);
      } else if (stored !== undefined) {
        this.known = undefined;
        await this.secrets.delete(this.key);
      }
    });
  }

  /** Drops the stored cache (app-only tokens have no account to remove one by one). */
  async clear(): Promise<void> {
    await oneWriterAtATime(this.key, async () => {
      this.known = undefined;
      this.deserialized = EMPTY_CACHE;
      await this.secrets.delete(this.key);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
