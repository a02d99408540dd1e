import * as assert from 'node:assert/strict';
import { TokenCacheContext } from '@azure/msal-node';
import { cacheKey, SecretCachePlugin } from '../../../src/auth/secret-cache';
import { MemorySecrets } from './memory-secrets';

const KEY = cacheKey('client-id', 'https://login.microsoftonline.com/organizations');
const WITH_TOKEN = JSON.stringify({ Account: { a: { username: 'alice' } }, IdToken: {}, AccessToken: { t: { secret: 'x' } }, RefreshToken: {}, AppMetadata: {} });
const OTHER_TOKEN = JSON.stringify({ Account: { b: { username: 'bob' } }, IdToken: {}, AccessToken: {}, RefreshToken: { r: { secret: 'y' } }, AppMetadata: {} });
const NO_TOKEN = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: { m: {} } });

/** Stands for MSAL's in-memory cache: what it holds and how often it was (de)serialized. */
class FakeTokenCache {
  state = '';
  deserialized = 0;
  serialize(): string {
    return this.state;
  }
  deserialize(value: string): void {
    this.deserialized++;
    this.state = value;
  }
  hasChanged(): boolean {
    return false;
  }
}

function access(cache: FakeTokenCache, changed: boolean): TokenCacheContext {
  return new TokenCacheContext(cache as never, changed);
}

describe('secret cache: MSAL\'s token cache in SecretStorage', () => {
  it('is keyed by client id and authority', () => {
    assert.equal(KEY, 'exchangeMail.msalCache/client-id@https://login.microsoftonline.com/organizations');
  });

  it('a read-only cache access writes nothing', async () => {
    const secrets = new MemorySecrets();
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    await plugin.beforeCacheAccess(access(cache, false));
    await plugin.afterCacheAccess(access(cache, false));
    assert.equal(secrets.writes, 0);
  });

  it('a changed cache is written once, under its key', async () => {
    const secrets = new MemorySecrets();
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    await plugin.beforeCacheAccess(access(cache, true));
    cache.state = WITH_TOKEN;
    await plugin.afterCacheAccess(access(cache, true));
    assert.deepEqual([secrets.writes, secrets.values.get(KEY)], [1, WITH_TOKEN]);
  });

  it('the store is read once, not at every cache access', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(KEY, WITH_TOKEN);
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    for (let i = 0; i < 3; i++) await plugin.beforeCacheAccess(access(cache, false));
    assert.equal(secrets.reads, 1);
  });

  it('every access hands MSAL the stored state again (MSAL empties its memory before a silent lookup)', async () => {
    const secrets = new MemorySecrets();
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    await plugin.beforeCacheAccess(access(cache, true));
    cache.state = WITH_TOKEN;
    await plugin.afterCacheAccess(access(cache, true));
    cache.state = '';
    await plugin.beforeCacheAccess(access(cache, false));
    assert.equal(cache.state, WITH_TOKEN);
  });

  it('another window\'s change is loaded at the next cache access', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(KEY, WITH_TOKEN);
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    await plugin.beforeCacheAccess(access(cache, false));
    secrets.storeFromOtherWindow(KEY, OTHER_TOKEN);
    await plugin.beforeCacheAccess(access(cache, false));
    assert.equal(cache.state, OTHER_TOKEN);
  });

  it('a change to another key is ignored', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(KEY, WITH_TOKEN);
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    await plugin.beforeCacheAccess(access(cache, false));
    secrets.storeFromOtherWindow('exchangeMail.msalCache/other@x', OTHER_TOKEN);
    await plugin.beforeCacheAccess(access(cache, false));
    assert.equal(secrets.reads, 1);
  });

  it('a cache left without accounts or tokens is deleted from the store', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(KEY, WITH_TOKEN);
    const plugin = new SecretCachePlugin(secrets, KEY);
    const cache = new FakeTokenCache();
    await plugin.beforeCacheAccess(access(cache, true));
    cache.state = NO_TOKEN;
    await plugin.afterCacheAccess(access(cache, true));
    assert.deepEqual(secrets.keys(), []);
  });

  it('two accounts on one registration that refresh at the same moment keep both their tokens', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(KEY, NO_TOKEN);
    const [alice, bob] = [new SecretCachePlugin(secrets, KEY), new SecretCachePlugin(secrets, KEY)];
    const [aliceCache, bobCache] = [new FakeTokenCache(), new FakeTokenCache()];
    await Promise.all([alice.beforeCacheAccess(access(aliceCache, true)), bob.beforeCacheAccess(access(bobCache, true))]);
    // Each MSAL instance adds its own account's refreshed tokens to the cache it loaded.
    aliceCache.state = WITH_TOKEN;
    bobCache.state = OTHER_TOKEN;
    await Promise.all([alice.afterCacheAccess(access(aliceCache, true)), bob.afterCacheAccess(access(bobCache, true))]);
    const stored = JSON.parse(secrets.values.get(KEY)!);
    assert.deepEqual([Object.keys(stored.Account), Object.keys(stored.AccessToken), Object.keys(stored.RefreshToken)], [['a', 'b'], ['t'], ['r']]);
  });

  it('an account removed by one instance stays removed when another writes', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(KEY, WITH_TOKEN);
    const [alice, bob] = [new SecretCachePlugin(secrets, KEY), new SecretCachePlugin(secrets, KEY)];
    const [aliceCache, bobCache] = [new FakeTokenCache(), new FakeTokenCache()];
    await alice.beforeCacheAccess(access(aliceCache, true));
    await bob.beforeCacheAccess(access(bobCache, true));
    aliceCache.state = NO_TOKEN;
    await alice.afterCacheAccess(access(aliceCache, true));
    bobCache.state = JSON.stringify({ ...JSON.parse(WITH_TOKEN), RefreshToken: { r: { secret: 'y' } } });
    await bob.afterCacheAccess(access(bobCache, true));
    const stored = JSON.parse(secrets.values.get(KEY)!);
    assert.deepEqual([Object.keys(stored.Account), Object.keys(stored.AccessToken), Object.keys(stored.RefreshToken)], [[], [], ['r']]);
  });
});