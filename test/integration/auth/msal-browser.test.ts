import * as assert from 'node:assert/strict';
import { isExplained } from '../../../src/errors';
import { keptAccountKey } from '../../../src/auth/delegated-source';
import { createTokenSource } from '../../../src/core';
import { testPorts, TestPorts } from '../../unit/auth/fakes';
import { accountSettings, AuthPlatform, browse, loopbackListening, restoreDefaults, sum } from './platform';
import { sandbox } from '../sandbox';
import { eventually } from '../../eventually';

/** Ports whose browser signs in at once (the platform's auto sign-in) and posts back to MSAL's loopback. */
function browserPorts(platform: AuthPlatform, base: Partial<TestPorts> = {}): TestPorts {
  const ports = testPorts(base);
  ports.openExternal = async (url) => {
    ports.opened.push(url);
    setImmediate(() => void browse(url, platform.certificates.caFile).catch(() => undefined));
    return true;
  };
  return ports;
}

describe('msal-browser: system browser and MSAL\'s loopback', function () {
  this.timeout(20_000);
  let platform: AuthPlatform;

  before(() => {
    platform = sandbox();
  });
  beforeEach(() => {
    restoreDefaults(platform.identity);
    platform.identity.control.setAutoSignIn('alice@contoso.test');
  });
  afterEach(() => restoreDefaults(platform.identity));

  it('signs in through the browser and gives an IMAP token whose XOAUTH2 user is the account\'s username', async () => {
    const ports = browserPorts(platform);
    const token = await createTokenSource(accountSettings(platform, 'public'), ports).getToken({ protocol: 'imap', interactive: true });
    assert.deepEqual([token.user, token.scopes.includes('https://outlook.office.com/IMAP.AccessAsUser.All')], ['alice@contoso.test', true]);
  });

  it('the sign-in page gets the address as login hint and asks for every protocol of the account at once', async () => {
    const ports = browserPorts(platform);
    await createTokenSource(accountSettings(platform, 'public'), ports).getToken({ protocol: 'imap', interactive: true });
    const query = new URL(ports.opened[0]).searchParams;
    assert.deepEqual([query.get('login_hint'), ['IMAP.AccessAsUser.All', 'SMTP.Send'].every((p) => query.get('scope')?.includes(p))], ['alice@contoso.test', true]);
  });

  it('a second token is served from the cache without any request to the identity platform', async () => {
    const source = createTokenSource(accountSettings(platform, 'public'), browserPorts(platform));
    await source.getToken({ protocol: 'imap', interactive: true });
    platform.identity.control.resetCounts();
    await source.getToken({ protocol: 'imap', interactive: false });
    assert.equal(sum(platform.identity.control.counts()), 0);
  });

  it('the other protocol\'s token comes silently, without a request: the first consent covered it', async () => {
    const source = createTokenSource(accountSettings(platform, 'public'), browserPorts(platform));
    await source.getToken({ protocol: 'imap', interactive: true });
    platform.identity.control.resetCounts();
    const smtp = await source.getToken({ protocol: 'smtp', interactive: false });
    assert.deepEqual([sum(platform.identity.control.counts()), smtp.scopes.includes('https://outlook.office.com/SMTP.Send')], [0, true]);
  });

  it('an expired access token is refreshed with the refresh token, without asking the user', async () => {
    platform.identity.control.setAccessTokenLifetime(0);
    const ports = browserPorts(platform);
    const source = createTokenSource(accountSettings(platform, 'public'), ports);
    await source.getToken({ protocol: 'imap', interactive: true });
    platform.identity.control.resetCounts();
    await source.getToken({ protocol: 'imap', interactive: false });
    assert.deepEqual([platform.identity.control.counts()['token:refresh_token'], ports.opened.length], [1, 1]);
  });

  it('the cache survives a new MSAL instance through SecretStorage', async () => {
    const ports = browserPorts(platform);
    await createTokenSource(accountSettings(platform, 'public'), ports).getToken({ protocol: 'imap', interactive: true });
    platform.identity.control.resetCounts();
    const token = await createTokenSource(accountSettings(platform, 'public'), ports).getToken({ protocol: 'smtp', interactive: false });
    assert.deepEqual([token.user, platform.identity.control.counts().token], ['alice@contoso.test', 0]);
  });

  it('tokens are kept only in SecretStorage, as one cache entry per client id and authority', async () => {
    const ports = browserPorts(platform);
    const settings = accountSettings(platform, 'public');
    await createTokenSource(settings, ports).getToken({ protocol: 'imap', interactive: true });
    assert.deepEqual(ports.secrets.keys().sort(), [
      `exchangeMail.msalAccount/${settings.accountId}`,
      `exchangeMail.msalCache/${settings.clientId}@${platform.identity.url}/${settings.tenant}`,
    ]);
  });

  it('sign out leaves no token of the account behind', async () => {
    const ports = browserPorts(platform);
    const settings = accountSettings(platform, 'public');
    const source = createTokenSource(settings, ports);
    await source.getToken({ protocol: 'imap', interactive: true });
    await source.signOut();
    const error = await createTokenSource(settings, ports).getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
    assert.deepEqual([ports.secrets.keys(), isExplained(error) && error.code], [[], 'sign-in-required']);
  });

  it('sign out keeps the tokens of another account on the same app registration', async () => {
    const ports = browserPorts(platform);
    const alice = createTokenSource(accountSettings(platform, 'public'), ports);
    await alice.getToken({ protocol: 'imap', interactive: true });
    platform.identity.control.setAutoSignIn('bob@contoso.test');
    const bob = createTokenSource(accountSettings(platform, 'public', { address: 'bob@contoso.test' }), ports);
    await bob.getToken({ protocol: 'imap', interactive: true });
    await alice.signOut();
    platform.identity.control.resetCounts();
    const token = await createTokenSource(accountSettings(platform, 'public', { address: 'bob@contoso.test' }), ports).getToken({ protocol: 'imap', interactive: false });
    assert.deepEqual([token.user, platform.identity.control.counts().token, ports.secrets.keys().includes(keptAccountKey('alice@contoso.test'))],
      ['bob@contoso.test', 0, false]);
  });

  /** Signs in, then starts a forced refresh that the platform holds until `release`. */
  async function refreshHeldAtSignOut(ports: TestPorts) {
    const settings = accountSettings(platform, 'public');
    const source = createTokenSource(settings, ports);
    await source.getToken({ protocol: 'imap', interactive: true });
    const release = platform.identity.control.holdTokenReplies();
    platform.identity.control.resetCounts();
    const refreshing = source.getToken({ protocol: 'imap', interactive: false, forceRefresh: true }).catch((e: unknown) => e);
    await eventually('the refresh reaches the platform', () => platform.identity.control.counts()['token:refresh_token'] === 1 || undefined);
    return { settings, source, refreshing, release };
  }

  it('a refresh under way when the user signs out does not bring the tokens back', async () => {
    const ports = browserPorts(platform);
    const { settings, source, refreshing, release } = await refreshHeldAtSignOut(ports);
    await source.signOut();
    release();
    const [during, after] = [await refreshing, await createTokenSource(settings, ports).getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e)];
    assert.deepEqual([isExplained(during) && during.code, isExplained(after) && after.code, ports.secrets.keys()],
      ['sign-in-required', 'sign-in-required', []]);
  });

  it('a refresh under way in another window when the user signs out here does not bring the tokens back', async () => {
    const ports = browserPorts(platform);
    const { settings, refreshing, release } = await refreshHeldAtSignOut(ports);
    await createTokenSource(settings, ports).signOut();
    release();
    await refreshing;
    const after = await createTokenSource(settings, ports).getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
    assert.deepEqual([isExplained(after) && after.code, ports.secrets.keys()], ['sign-in-required', []]);
  });

  it('neither the log nor the messages ever hold a token', async () => {
    const ports = browserPorts(platform);
    const source = createTokenSource(accountSettings(platform, 'public'), ports);
    const token = await source.getToken({ protocol: 'imap', interactive: true });
    await source.getToken({ protocol: 'smtp', interactive: false, forceRefresh: true });
    const refresh = JSON.parse([...ports.secrets.values.values()].find((v) => v.startsWith('{')) ?? '{}') as { RefreshToken: Record<string, { secret: string }> };
    const secrets = [token.accessToken, ...Object.values(refresh.RefreshToken).map((r) => r.secret)];
    const said = [...ports.log.lines, ...ports.notices].join('\n');
    assert.deepEqual(secrets.filter((s) => said.includes(s)), []);
  });

  it('a revoked refresh token leads to "sign in again"', async () => {
    platform.identity.control.setAutoSignIn('bob@contoso.test');
    platform.identity.control.setAccessTokenLifetime(0);
    const source = createTokenSource(accountSettings(platform, 'public', { address: 'bob@contoso.test' }), browserPorts(platform));
    await source.getToken({ protocol: 'imap', interactive: true });
    platform.identity.control.revokeRefreshTokens('bob@contoso.test');
    const error = await source.getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
    assert.ok(isExplained(error), String(error));
    assert.deepEqual([error.message, error.actions], ['The sign-in has expired or was revoked: sign in again.', ['signIn']]);
  });

  it('a sign-in the user never completes can be cancelled, and MSAL\'s loopback closes', async () => {
    platform.identity.control.setAutoSignIn(null);
    const ports = testPorts();
    const controller = new AbortController();
    ports.openExternal = async (url) => {
      ports.opened.push(url);
      setTimeout(() => controller.abort(), 50);
      return true;
    };
    const error = await createTokenSource(accountSettings(platform, 'public'), ports)
      .getToken({ protocol: 'imap', interactive: true, signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual([isExplained(error) && error.code, await loopbackListening(ports.opened[0])], ['sign-in-cancelled', false]);
  });

  it('a sign-in the user never completes times out with a clear message', async () => {
    platform.identity.control.setAutoSignIn(null);
    const ports = testPorts();
    const error = await createTokenSource(accountSettings(platform, 'public'), ports, { interactionTimeoutMs: 1000 })
      .getToken({ protocol: 'imap', interactive: true }).catch((e: unknown) => e);
    assert.ok(isExplained(error));
    assert.equal(error.message, 'Sign-in timed out: the browser sign-in did not finish within 1 second.');
  });
});
