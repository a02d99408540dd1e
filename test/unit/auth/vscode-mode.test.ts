import * as assert from 'node:assert/strict';
import { isExplained } from '../../../src/errors';
import { SignInCancelled } from '../../../src/auth/ports';
import { ProviderWithFallback } from '../../../src/auth/provider-fallback';
import type { AccessToken, AuthSettings, TokenRequest, TokenSource } from '../../../src/auth/token-source';
import { VsCodeSessionSource } from '../../../src/auth/vscode-session';
import { authSettings, CLIENT_ID, testPorts, TestPorts } from './fakes';

const settings = (overrides: Partial<AuthSettings> = {}): AuthSettings => authSettings({ mode: 'vscode', tenant: 'contoso.test', ...overrides });

/** A JWT-shaped token whose payload says when it expires. */
function jwt(expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ exp: expSeconds })}.signature`;
}

/** Stands for the MSAL source the account falls back to. */
class FallbackDouble implements TokenSource {
  readonly mode = 'msal-browser' as const;
  requests: TokenRequest[] = [];
  signedIn = false;
  signedOut = false;
  async getToken(request: TokenRequest): Promise<AccessToken> {
    this.requests.push(request);
    return { accessToken: 'msal-token', user: 'alice@contoso.test', expiresOn: new Date(Date.now() + 3600_000), scopes: [] };
  }
  async isSignedIn(): Promise<boolean> {
    return this.signedIn;
  }
  async signOut(): Promise<void> {
    this.signedOut = true;
  }
}

function withFallback(ports: TestPorts, fallback: FallbackDouble, overrides: Partial<AuthSettings> = {}): ProviderWithFallback {
  const s = settings(overrides);
  return new ProviderWithFallback(s.accountId, new VsCodeSessionSource(s, ports, { interactionTimeoutMs: 200 }), () => fallback, 'browser sign-in', ports);
}

describe('vscode mode: VS Code\'s Microsoft sign-in', () => {
  const imap = { protocol: 'imap', interactive: false } as const;

  it('asks the microsoft provider with the account\'s app registration and tenant', async () => {
    const ports = testPorts();
    ports.vscodeAuth.existing = { accessToken: jwt(2_000_000_000), account: { label: 'alice@contoso.test' } };
    await new VsCodeSessionSource(settings(), ports, {}).getToken(imap);
    assert.deepEqual(ports.vscodeAuth.calls[0], {
      providerId: 'microsoft',
      scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access', `VSCODE_CLIENT_ID:${CLIENT_ID}`, 'VSCODE_TENANT:contoso.test'],
      options: { silent: true },
    });
  });

  it('uses microsoft-sovereign-cloud when the account says so', async () => {
    const ports = testPorts();
    ports.vscodeAuth.existing = { accessToken: jwt(2_000_000_000), account: { label: 'alice@contoso.test' } };
    await new VsCodeSessionSource(settings({ vscodeProvider: 'microsoft-sovereign-cloud' }), ports, {}).getToken(imap);
    assert.equal(ports.vscodeAuth.calls[0].providerId, 'microsoft-sovereign-cloud');
  });

  it('the XOAUTH2 user is the signed-in account\'s label and the expiry is the token\'s', async () => {
    const ports = testPorts();
    ports.vscodeAuth.existing = { accessToken: jwt(2_000_000_000), account: { label: 'alice.other@contoso.test' } };
    const token = await new VsCodeSessionSource(settings(), ports, {}).getToken(imap);
    assert.deepEqual([token.user, token.expiresOn.getTime()], ['alice.other@contoso.test', 2_000_000_000_000]);
  });

  it('without a session and without permission to ask, fails with "sign in" and never opens a dialog', async () => {
    const ports = testPorts();
    const error = await new VsCodeSessionSource(settings(), ports, {}).getToken(imap).catch((e: unknown) => e);
    assert.ok(isExplained(error) && error.code === 'sign-in-required' && ports.vscodeAuth.calls.every((c) => c.options.silent));
  });

  it('when allowed to ask, signs in with createIfNone for every protocol of the account at once', async () => {
    const ports = testPorts();
    ports.vscodeAuth.onInteractive = async () => ({ accessToken: jwt(2_000_000_000), account: { label: 'alice@contoso.test' } });
    await new VsCodeSessionSource(settings(), ports, {}).getToken({ protocol: 'imap', interactive: true });
    const interactive = ports.vscodeAuth.calls[1];
    assert.deepEqual([interactive.options, interactive.scopes.filter((s) => s.startsWith('https://'))],
      [{ createIfNone: true }, ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send']]);
  });

  it('a refused token is replaced through forceNewSession when the user may be asked', async () => {
    const ports = testPorts();
    ports.vscodeAuth.onInteractive = async () => ({ accessToken: jwt(2_000_000_000), account: { label: 'alice@contoso.test' } });
    await new VsCodeSessionSource(settings(), ports, {}).getToken({ protocol: 'smtp', interactive: true, forceRefresh: true });
    assert.deepEqual(ports.vscodeAuth.calls.map((c) => c.options), [{ forceNewSession: true }]);
  });
});

describe('vscode mode: falling back to MSAL', () => {
  const interactive = { protocol: 'imap', interactive: true } as const;

  it('a missing provider (VSCodium, code-server) sends the account to MSAL', async () => {
    const ports = testPorts();
    ports.vscodeAuth.providers.clear();
    const fallback = new FallbackDouble();
    const token = await withFallback(ports, fallback).getToken(interactive);
    assert.equal(token.accessToken, 'msal-token');
  });

  it('a failing provider sends the account to MSAL, and the user is told once', async () => {
    const ports = testPorts();
    ports.vscodeAuth.onInteractive = async () => {
      throw new Error('AADSTS65002: Consent between first party application and first party resource must be configured');
    };
    const fallback = new FallbackDouble();
    const source = withFallback(ports, fallback);
    await source.getToken(interactive);
    await source.getToken(interactive);
    await withFallback(ports, new FallbackDouble()).getToken(interactive);
    assert.equal(ports.notices.length, 1);
  });

  it('the notice names the account and the MSAL flow used instead', async () => {
    const ports = testPorts();
    ports.vscodeAuth.providers.clear();
    await withFallback(ports, new FallbackDouble()).getToken(interactive);
    assert.match(ports.notices[0], /"microsoft" authentication provider is not available.*alice@contoso\.test.*browser sign-in/);
  });

  it('a cancelled VS Code sign-in is a cancellation, not a reason to fall back', async () => {
    const ports = testPorts();
    ports.vscodeAuth.onInteractive = async () => {
      throw new SignInCancelled();
    };
    const fallback = new FallbackDouble();
    const error = await withFallback(ports, fallback).getToken(interactive).catch((e: unknown) => e);
    assert.ok(isExplained(error) && error.code === 'sign-in-cancelled' && fallback.requests.length === 0);
  });

  it('tokens an earlier fallback sign-in left in the MSAL cache still serve silently', async () => {
    const ports = testPorts();
    const fallback = new FallbackDouble();
    fallback.signedIn = true;
    const token = await withFallback(ports, fallback).getToken({ protocol: 'imap', interactive: false });
    assert.deepEqual([token.accessToken, ports.notices.length], ['msal-token', 0]);
  });

  it('VS Code\'s sign-in that never finishes times out with a message', async () => {
    const ports = testPorts();
    ports.vscodeAuth.onInteractive = () => new Promise(() => undefined);
    const error = await withFallback(ports, new FallbackDouble()).getToken(interactive).catch((e: unknown) => e);
    assert.ok(isExplained(error) && error.code === 'sign-in-timeout', String(error));
  });

  it('sign out also forgets the fallback\'s MSAL tokens', async () => {
    const ports = testPorts();
    const fallback = new FallbackDouble();
    await withFallback(ports, fallback).signOut();
    assert.ok(fallback.signedOut);
  });
});
