/**
 * The sandbox identity platform, seen through the real @azure/msal-node: every flow the product
 * uses signs in and caches as it would against Entra, and Entra's refusals reach MSAL with the
 * same error codes.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import {
  AuthenticationResult, ConfidentialClientApplication, Configuration, CryptoProvider, INetworkModule,
  NetworkRequestOptions, NetworkResponse, PublicClientApplication,
} from '@azure/msal-node';
import { SandboxCertificates } from '../sandbox/certificates';
import {
  appByKey, CONTOSO_TENANT_ID, EXCHANGE_APP_AUDIENCE, EXCHANGE_DELEGATED_AUDIENCE, GRAPH_AUDIENCE,
} from '../sandbox/directory';
import { EntraError, IdentityPlatform } from '../sandbox/identity';
import { decodeJwt, JwtClaims, verifyJwtSignature } from '../sandbox/identity/jwt';
import { sandbox } from './sandbox';

const IMAP = 'https://outlook.office.com/IMAP.AccessAsUser.All';
const POP = 'https://outlook.office.com/POP.AccessAsUser.All';
const SMTP = 'https://outlook.office.com/SMTP.Send';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** HTTPS to the sandbox, trusting its CA; plain HTTP for loopback redirect URIs. */
function send(url: string, ca: Buffer, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const requester = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = requester(target, { method: options.method ?? 'GET', headers: options.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value ?? '';
        resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** MSAL uses global fetch, which cannot be told about a private CA at run time: this can. */
class SandboxNetworkClient implements INetworkModule {
  constructor(private readonly ca: Buffer) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.sendRequest<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.sendRequest<T>('POST', url, options);
  }

  private async sendRequest<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await send(url, this.ca, { method, body: options?.body, headers: options?.headers });
    return { status: response.status, headers: response.headers, body: JSON.parse(response.text) as T };
  }
}

function claimsOf(token: string): JwtClaims {
  const jwt = decodeJwt(token);
  assert.ok(jwt, 'a JWT');
  return jwt.claims;
}

function formFields(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]] = match[2].replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { errorCode?: string; errorNo?: number; subError?: string; errorMessage?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string };
  }
  assert.fail('expected a failure');
}

describe('the sandbox identity platform', function () {
  this.timeout(15000);
  let certificates: SandboxCertificates;
  let platform: IdentityPlatform;
  let ca: Buffer;

  function msalConfig(clientId: string, tenant: string, auth: Partial<Configuration['auth']> = {}): Configuration {
    return {
      auth: { clientId, authority: platform.authority(tenant), knownAuthorities: [`127.0.0.1:${platform.port}`], ...auth },
      system: { networkClient: new SandboxNetworkClient(ca) },
    };
  }

  function publicApp(key: 'public' | 'publicNoDeviceFlow' = 'public', tenant = 'organizations'): PublicClientApplication {
    return new PublicClientApplication(msalConfig(appByKey(key).clientId, tenant));
  }

  function webApp(secret = appByKey('web').secrets[0]): ConfidentialClientApplication {
    return new ConfidentialClientApplication(msalConfig(appByKey('web').clientId, CONTOSO_TENANT_ID, { clientSecret: secret }));
  }

  /** What a browser does with the authorize URL when auto sign-in is on: follow it to the code. */
  async function codeFromRedirect(authorizeUrl: string): Promise<URLSearchParams> {
    const response = await send(authorizeUrl, ca);
    assert.equal(response.status, 302, response.text);
    return new URL(response.headers.location).searchParams;
  }

  before(() => {
    ({ identity: platform, certificates } = sandbox());
    ca = readFileSync(certificates.caFile);
  });

  // The platform is the layer's: leave it as the hooks started it.
  after(() => platform.control.reset());

  beforeEach(() => {
    platform.control.reset();
    platform.control.setDeviceCodeInterval(1);
  });

  describe('discovery', () => {
    it('publishes Entra-shaped metadata, with the {tenantid} placeholder for organizations', async () => {
      const organizations = JSON.parse((await send(`${platform.authority('organizations')}/v2.0/.well-known/openid-configuration`, ca)).text) as Record<string, string>;
      assert.equal(organizations.issuer, `${platform.url}/{tenantid}/v2.0`);
      assert.equal(organizations.token_endpoint, platform.tokenEndpoint('organizations'));
      const contoso = JSON.parse((await send(`${platform.authority('contoso.test')}/v2.0/.well-known/openid-configuration`, ca)).text) as Record<string, string>;
      assert.equal(contoso.issuer, platform.issuer(CONTOSO_TENANT_ID));
    });

    it('answers an unknown tenant with AADSTS90002', async () => {
      const response = await send(`${platform.authority('nowhere.test')}/v2.0/.well-known/openid-configuration`, ca);
      assert.equal(response.status, 400);
      assert.deepEqual(JSON.parse(response.text).error_codes, [90002]);
    });

    it('signs tokens with the key it writes to signingKeysDir and publishes in the JWKS', async () => {
      const jwks = JSON.parse((await send(`${platform.authority('common')}/discovery/v2.0/keys`, ca)).text) as { keys: Array<{ kid: string }> };
      const token = platform.control.mintAccessToken();
      const jwt = decodeJwt(token);
      assert.ok(jwt);
      assert.deepEqual(jwks.keys.map((k) => k.kid), [jwt.header.kid]);
      assert.ok(verifyJwtSignature(jwt, readFileSync(join(platform.signingKeysDir, `${jwt.header.kid}.pem`), 'utf8')));
    });
  });

  describe('device code', () => {
    it('signs alice in once the code is approved, after authorization_pending polls', async () => {
      const pca = publicApp();
      const result = await pca.acquireTokenByDeviceCode({
        scopes: [IMAP, 'offline_access'],
        deviceCodeCallback: (response) => {
          assert.match(response.message, /\/devicelogin/);
          setTimeout(() => platform.control.approveDeviceCode(response.userCode, 'alice@contoso.test'), 200);
        },
      });
      assert.ok(result);
      assert.equal(result.account?.username, 'alice@contoso.test');
      const claims = claimsOf(result.accessToken);
      assert.equal(claims.aud, EXCHANGE_DELEGATED_AUDIENCE);
      assert.equal(claims.upn, 'alice@contoso.test');
      assert.equal(claims.scp, 'IMAP.AccessAsUser.All');
      assert.equal(claims.iss, `https://sts.windows.net/${CONTOSO_TENANT_ID}/`);
      assert.ok(platform.control.counts()['token:device_code'] >= 2, 'at least one pending poll');
    });

    it('approved on the /devicelogin page works like the control API', async () => {
      const pca = publicApp();
      const result = await pca.acquireTokenByDeviceCode({
        scopes: [SMTP],
        deviceCodeCallback: (response) => {
          void send(`${platform.url}/devicelogin`, ca, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ otc: response.userCode, login: 'bob@contoso.test', action: 'approve' }).toString(),
          });
        },
      });
      assert.equal(result?.account?.username, 'bob@contoso.test');
    });

    it('refuses an app without public client flows with AADSTS7000218 after approval, as Entra does', async () => {
      const pca = publicApp('publicNoDeviceFlow');
      const error = await rejection(pca.acquireTokenByDeviceCode({
        scopes: [IMAP],
        deviceCodeCallback: (response) => {
          platform.control.approveDeviceCode(response.userCode, 'alice@contoso.test');
        },
      }));
      assert.match(error.message, /invalid_client/);
      // MSAL's device-code error keeps only `error`; the AADSTS number is in the raw reply.
      const code = await send(`${platform.authority('organizations')}/oauth2/v2.0/devicecode`, ca, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: appByKey('publicNoDeviceFlow').clientId, scope: IMAP }).toString(),
      });
      const { user_code: userCode, device_code: deviceCode } = JSON.parse(code.text) as Record<string, string>;
      platform.control.approveDeviceCode(userCode, 'alice@contoso.test');
      const rawError = await send(platform.tokenEndpoint('organizations'), ca, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: appByKey('publicNoDeviceFlow').clientId, device_code: deviceCode }).toString(),
      });
      assert.equal(rawError.status, 401);
      const body = JSON.parse(rawError.text) as Record<string, unknown>;
      assert.equal(body.error, 'invalid_client');
      assert.deepEqual(body.error_codes, [7000218]);
      assert.match(String(body.error_description), /^AADSTS7000218: .* Trace ID: \S+ Correlation ID: \S+ Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    });

    it('stops polling when the person declines', async () => {
      const error = await rejection(publicApp().acquireTokenByDeviceCode({
        scopes: [IMAP],
        deviceCodeCallback: (response) => platform.control.denyDeviceCode(response.userCode),
      }));
      assert.match(error.message, /authorization_declined/);
    });

    it('refuses a personal account for an organizations-only app with AADSTS50020', async () => {
      await rejection(publicApp('publicNoDeviceFlow').acquireTokenByDeviceCode({
        scopes: [IMAP],
        deviceCodeCallback: (response) => {
          assert.throws(() => platform.control.approveDeviceCode(response.userCode, 'carol@outlook.test'),
            (e: unknown) => e instanceof EntraError && e.code === 50020);
        },
      }));
    });
  });

  describe('interactive sign-in (loopback, form_post, PKCE)', () => {
    it('acquireTokenInteractive completes through the form_post to MSAL\'s loopback', async () => {
      platform.control.setAutoSignIn('bob@contoso.test');
      const pca = publicApp('public', 'organizations');
      const result = await pca.acquireTokenInteractive({
        scopes: [IMAP, SMTP],
        openBrowser: async (url) => {
          const page = await send(url, ca);
          const { action, fields } = formFields(page.text);
          void send(action, ca, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(fields).toString(),
          });
        },
      });
      assert.equal(result.account?.username, 'bob@contoso.test');
      assert.equal(result.account?.homeAccountId, `${'b0b00000-0000-4000-8000-000000000002'}.${CONTOSO_TENANT_ID}`);
      assert.equal(claimsOf(result.accessToken).scp, 'IMAP.AccessAsUser.All SMTP.Send');
    });

    it('a person can pick an account on the sign-in page', async () => {
      const pkce = await new CryptoProvider().generatePkceCodes();
      const url = await publicApp().getAuthCodeUrl({
        scopes: [IMAP], redirectUri: 'http://localhost:8400', codeChallenge: pkce.challenge, codeChallengeMethod: 'S256',
      });
      const page = await send(url, ca);
      assert.equal(page.status, 200);
      const ctx = /name="ctx" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const signedIn = await send(`${platform.authority('organizations')}/login`, ca, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ctx, login: 'bob@contoso.test', action: 'signin' }).toString(),
      });
      assert.ok(new URL(signedIn.headers.location).searchParams.get('code'));
    });
  });

  describe('auth code with PKCE, then silent', () => {
    async function signInWithCode(pca: PublicClientApplication, upn: string, scopes: string[]): Promise<AuthenticationResult> {
      platform.control.setAutoSignIn(upn);
      const pkce = await new CryptoProvider().generatePkceCodes();
      const redirectUri = 'http://localhost:8400';
      const url = await pca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
      const code = (await codeFromRedirect(url)).get('code') ?? '';
      return pca.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier });
    }

    it('a cached token serves a second acquireTokenSilent without any request', async () => {
      const pca = publicApp();
      const first = await signInWithCode(pca, 'alice@contoso.test', [IMAP]);
      assert.ok(first.account);
      await pca.acquireTokenSilent({ scopes: [IMAP], account: first.account });
      platform.control.resetCounts();
      await pca.acquireTokenSilent({ scopes: [IMAP], account: first.account });
      const total = Object.values(platform.control.counts()).reduce((a, b) => a + b, 0);
      assert.equal(total, 0);
    });

    it('short-lived tokens are refreshed silently with the refresh token, which rotates', async () => {
      const pca = publicApp();
      platform.control.setAccessTokenLifetime(60);
      const first = await signInWithCode(pca, 'alice@contoso.test', [IMAP, POP]);
      assert.ok(first.account);
      const refreshTokens = () => Object.values((JSON.parse(pca.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> }).RefreshToken).map((t) => t.secret);
      const before = refreshTokens();
      platform.control.resetCounts();
      const refreshed = await pca.acquireTokenSilent({ scopes: [POP], account: first.account });
      assert.deepEqual(
        [platform.control.counts()['token:refresh_token'], claimsOf(refreshed.accessToken).scp, refreshTokens().length],
        [1, 'IMAP.AccessAsUser.All POP.AccessAsUser.All', 1],
      );
      assert.notDeepEqual(refreshTokens(), before);
    });

    it('an already expired token has exp in the past', async () => {
      platform.control.setAccessTokenLifetime(-60);
      const result = await signInWithCode(publicApp(), 'alice@contoso.test', [IMAP]);
      assert.ok(Number(claimsOf(result.accessToken).exp) < Date.now() / 1000);
    });

    it('a code is single use (AADSTS54005) and needs its PKCE verifier (AADSTS501481)', async () => {
      platform.control.setAutoSignIn('alice@contoso.test');
      const pca = publicApp();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const redirectUri = 'http://127.0.0.1:8400';
      const url = await pca.getAuthCodeUrl({ scopes: [IMAP], redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
      const code = (await codeFromRedirect(url)).get('code') ?? '';
      const wrongVerifier = await rejection(pca.acquireTokenByCode({ code, scopes: [IMAP], redirectUri, codeVerifier: 'x'.repeat(43) }));
      assert.equal(wrongVerifier.errorNo, 501481);
      const reused = await rejection(pca.acquireTokenByCode({ code, scopes: [IMAP], redirectUri, codeVerifier: pkce.verifier }));
      assert.equal(reused.errorNo, 54005);
    });

    it('a revoked refresh token fails with invalid_grant (AADSTS50173)', async () => {
      const pca = publicApp();
      const first = await signInWithCode(pca, 'alice@contoso.test', [IMAP]);
      assert.ok(first.account);
      platform.control.revokeRefreshTokens('alice@contoso.test');
      const error = await rejection(pca.acquireTokenSilent({ scopes: [IMAP], account: first.account, forceRefresh: true }));
      assert.equal(error.errorCode, 'invalid_grant');
      assert.equal(error.errorNo, 50173);
    });

    it('an unknown scope fails with invalid_scope (AADSTS70011)', async () => {
      const pca = publicApp();
      const first = await signInWithCode(pca, 'alice@contoso.test', [IMAP]);
      assert.ok(first.account);
      const error = await rejection(pca.acquireTokenSilent({ scopes: ['https://outlook.office.com/Nothing.Here'], account: first.account }));
      assert.equal(error.errorCode, 'invalid_scope');
      assert.equal(error.errorNo, 70011);
    });

    it('Graph scopes give a Graph token', async () => {
      const pca = publicApp();
      const result = await signInWithCode(pca, 'alice@contoso.test', ['User.Read']);
      assert.equal(claimsOf(result.accessToken).aud, GRAPH_AUDIENCE);
    });

    it('a personal account signs in through common, with its own tenant id', async () => {
      const result = await signInWithCode(publicApp('public', 'common'), 'carol@outlook.test', [IMAP]);
      assert.equal(claimsOf(result.idToken).tid, '9188040d-6c67-4c5b-b112-36a304b66dad');
    });
  });

  describe('errors at /authorize', () => {
    it('an unregistered redirect URI is shown on a page as AADSTS50011', async () => {
      const url = await publicApp().getAuthCodeUrl({ scopes: [IMAP], redirectUri: 'https://elsewhere.test/callback', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'S256' });
      const page = await send(url, ca);
      assert.equal(page.status, 400);
      assert.match(page.text, /AADSTS50011/);
    });

    it('a permission the app was not granted comes back as consent_required (AADSTS65001)', async () => {
      platform.control.setAutoSignIn('alice@contoso.test');
      const url = await publicApp().getAuthCodeUrl({ scopes: ['https://outlook.office.com/EWS.AccessAsUser.All'], redirectUri: 'http://localhost:8400', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'S256' });
      const params = await codeFromRedirect(url);
      assert.equal(params.get('error'), 'consent_required');
      assert.match(params.get('error_description') ?? '', /^AADSTS65001:/);
    });

    it('a personal account on a single-tenant web app is refused with AADSTS50020', async () => {
      platform.control.setAutoSignIn('carol@outlook.test');
      const url = await webApp().getAuthCodeUrl({ scopes: [IMAP], redirectUri: 'http://localhost:8400' });
      assert.match((await codeFromRedirect(url)).get('error_description') ?? '', /^AADSTS50020:/);
    });

    it('an account the directory does not know is refused with AADSTS50126', async () => {
      platform.control.setAutoSignIn('mallory@contoso.test');
      const url = await webApp().getAuthCodeUrl({ scopes: [IMAP], redirectUri: 'http://localhost:8400' });
      assert.match((await codeFromRedirect(url)).get('error_description') ?? '', /^AADSTS50126:/);
    });

    it('Cancel on the sign-in page returns access_denied', async () => {
      const url = await webApp().getAuthCodeUrl({ scopes: [IMAP], redirectUri: 'http://localhost:8400', state: 'abc' });
      const page = await send(url, ca);
      const ctx = /name="ctx" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const cancelled = await send(`${platform.authority(CONTOSO_TENANT_ID)}/login`, ca, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ctx, action: 'cancel' }).toString(),
      });
      const params = new URL(cancelled.headers.location).searchParams;
      assert.deepEqual([params.get('error'), params.get('error_subcode'), params.get('state')], ['access_denied', 'cancel', 'abc']);
    });
  });

  describe('web app (confidential client, auth code with secret)', () => {
    it('consents to all protocols once, then gets per-protocol tokens silently', async () => {
      platform.control.setAutoSignIn('alice@contoso.test');
      const cca = webApp();
      const redirectUri = 'http://localhost:8400/';
      const url = await cca.getAuthCodeUrl({ scopes: [IMAP, POP, SMTP, 'offline_access'], redirectUri });
      const code = (await codeFromRedirect(url)).get('code') ?? '';
      const smtp = await cca.acquireTokenByCode({ code, scopes: [SMTP], redirectUri });
      assert.equal(claimsOf(smtp.accessToken).appidacr, '1');
      assert.ok(smtp.account);
      const imap = await cca.acquireTokenSilent({ scopes: [IMAP], account: smtp.account });
      assert.match(String(claimsOf(imap.accessToken).scp), /IMAP\.AccessAsUser\.All/);
    });

    it('asking silently for a resource never consented to needs interaction (AADSTS65001)', async () => {
      platform.control.setAutoSignIn('alice@contoso.test');
      const cca = webApp();
      const redirectUri = 'http://localhost:8400/';
      const code = (await codeFromRedirect(await cca.getAuthCodeUrl({ scopes: [IMAP], redirectUri }))).get('code') ?? '';
      const first = await cca.acquireTokenByCode({ code, scopes: [IMAP], redirectUri });
      assert.ok(first.account);
      const error = await rejection(cca.acquireTokenSilent({ scopes: ['User.Read'], account: first.account }));
      assert.equal(error.name, 'InteractionRequiredAuthError');
      assert.equal(error.subError, 'consent_required');
    });

    it('a wrong client secret fails with invalid_client (AADSTS7000215)', async () => {
      platform.control.setAutoSignIn('alice@contoso.test');
      const cca = webApp('not-the-secret');
      const redirectUri = 'http://localhost:8400/';
      const code = (await codeFromRedirect(await cca.getAuthCodeUrl({ scopes: [IMAP], redirectUri }))).get('code') ?? '';
      const error = await rejection(cca.acquireTokenByCode({ code, scopes: [IMAP], redirectUri }));
      assert.equal(error.errorCode, 'invalid_client');
      assert.equal(error.errorNo, 7000215);
    });

    it('a single-tenant app on /organizations is refused with AADSTS50194', async () => {
      const cca = new ConfidentialClientApplication(msalConfig(appByKey('web').clientId, 'organizations', { clientSecret: appByKey('web').secrets[0] }));
      const page = await send(await cca.getAuthCodeUrl({ scopes: [IMAP], redirectUri: 'http://localhost:8400/' }), ca);
      assert.match(page.text, /AADSTS50194/);
    });
  });

  describe('client credentials (app-only)', () => {
    function daemon(auth: Partial<Configuration['auth']>, key: 'daemon' | 'daemonCert' = 'daemon'): ConfidentialClientApplication {
      return new ConfidentialClientApplication(msalConfig(appByKey(key).clientId, CONTOSO_TENANT_ID, auth));
    }

    it('a secret gets an Exchange token with the app\'s roles', async () => {
      const app = appByKey('daemon');
      const result = await daemon({ clientSecret: app.secrets[0] }).acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
      assert.ok(result);
      const claims = claimsOf(result.accessToken);
      assert.deepEqual(
        [claims.aud, claims.roles, claims.oid, claims.idtyp, claims.upn],
        [EXCHANGE_APP_AUDIENCE, app.applicationPermissions, app.servicePrincipalId, 'app', undefined],
      );
    });

    it('ps.outlook.com/.default means Exchange too', async () => {
      const result = await daemon({ clientSecret: appByKey('daemon').secrets[0] }).acquireTokenByClientCredential({ scopes: ['https://ps.outlook.com/.default'] });
      assert.equal(claimsOf(result?.accessToken ?? '').aud, EXCHANGE_APP_AUDIENCE);
    });

    it('a certificate with a SHA-256 thumbprint (PS256 assertion) works', async () => {
      const result = await daemon({
        clientCertificate: { thumbprintSha256: certificates.appThumbprintSha256, privateKey: readFileSync(certificates.appKeyFile, 'utf8') },
      }, 'daemonCert').acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
      assert.equal(claimsOf(result?.accessToken ?? '').appidacr, '2');
    });

    it('a certificate with a SHA-1 thumbprint (RS256 assertion) works', async () => {
      const result = await daemon({
        clientCertificate: { thumbprint: certificates.appThumbprintSha1, privateKey: readFileSync(certificates.appKeyFile, 'utf8') },
      }, 'daemonCert').acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
      assert.deepEqual(claimsOf(result?.accessToken ?? '').roles, appByKey('daemonCert').applicationPermissions);
    });

    it('an assertion signed with another key fails with AADSTS700027', async () => {
      const error = await rejection(daemon({
        clientCertificate: { thumbprintSha256: certificates.appThumbprintSha256, privateKey: readFileSync(certificates.serverKeyFile, 'utf8') },
      }, 'daemonCert').acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }));
      assert.equal(error.errorNo, 700027);
    });

    it('an unknown client id fails with AADSTS700016', async () => {
      const cca = new ConfidentialClientApplication(msalConfig('00000000-0000-4000-8000-00000000dead', CONTOSO_TENANT_ID, { clientSecret: 'x' }));
      const error = await rejection(cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }));
      assert.deepEqual([error.errorCode, error.errorNo], ['unauthorized_client', 700016]);
    });

    it('a delegated scope is refused with AADSTS1002012', async () => {
      const error = await rejection(daemon({ clientSecret: appByKey('daemon').secrets[0] }).acquireTokenByClientCredential({ scopes: [IMAP] }));
      assert.equal(error.errorNo, 1002012);
    });
  });

  describe('control API', () => {
    it('fails the next token request with the AADSTS error asked for, then recovers', async () => {
      platform.control.failNext({ code: 90033, grantType: 'client_credentials' });
      const cca = new ConfidentialClientApplication(msalConfig(appByKey('daemon').clientId, CONTOSO_TENANT_ID, { clientSecret: appByKey('daemon').secrets[0] }));
      const error = await rejection(cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }));
      assert.deepEqual([error.errorCode, error.errorNo], ['temporarily_unavailable', 90033]);
      // A 503 is throttled client-side on the same MSAL instance; a new instance is not.
      const fresh = new ConfidentialClientApplication(msalConfig(appByKey('daemon').clientId, CONTOSO_TENANT_ID, { clientSecret: appByKey('daemon').secrets[0] }));
      assert.ok(await fresh.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }));
    });

    it('serves the same operations over HTTP under /_sandbox/', async () => {
      const post = (route: string, body: unknown) => send(`${platform.url}/_sandbox/${route}`, ca, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      assert.equal((await post('access-token-lifetime', { seconds: 120 })).status, 200);
      const minted = JSON.parse((await post('mint-access-token', { claims: { upn: 'bob@contoso.test' }, omitClaims: ['scp'] })).text) as { access_token: string };
      const claims = claimsOf(minted.access_token);
      assert.deepEqual([claims.upn, claims.scp, Number(claims.exp) - Number(claims.iat)], ['bob@contoso.test', undefined, 120]);
      const counts = JSON.parse((await send(`${platform.url}/_sandbox/counts`, ca)).text) as Record<string, number>;
      assert.equal(counts.token, 0);
    });

    it('mints forged tokens that fail verification against the published key', () => {
      const token = platform.control.mintAccessToken({ aud: GRAPH_AUDIENCE }, { signWithForeignKey: true });
      const jwt = decodeJwt(token);
      assert.ok(jwt);
      assert.equal(verifyJwtSignature(jwt, readFileSync(join(platform.signingKeysDir, `${jwt.header.kid}.pem`), 'utf8')), false);
    });
  });
});
