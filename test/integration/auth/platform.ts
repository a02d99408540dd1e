/**
 * What the auth tests need around the layer's sandbox (see ../hooks): its identity platform
 * and certificates, the browser the tests lend the product (`openExternal`), and account
 * settings for the sandbox's app registrations.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AuthSettings } from '../../../src/auth/token-source';
import type { Sandbox } from '../../sandbox';
import { appByKey, AppRegistration, CONTOSO_TENANT_ID } from '../../sandbox/directory';
import { IdentityPlatform } from '../../sandbox/identity';

export type AuthPlatform = Pick<Sandbox, 'identity' | 'certificates'>;

/** Puts the platform's knobs back the way other tests expect them. */
export function restoreDefaults(identity: IdentityPlatform): void {
  identity.control.setAutoSignIn(null);
  identity.control.setAccessTokenLifetime(3600);
  identity.control.setDeviceCodeInterval(1);
}

export function accountSettings(platform: AuthPlatform, app: AppRegistration['key'], overrides: Partial<AuthSettings> = {}): AuthSettings {
  const address = overrides.address ?? 'alice@contoso.test';
  return {
    accountId: address, address, mode: 'msal-browser', clientId: appByKey(app).clientId, tenant: CONTOSO_TENANT_ID,
    authorityHost: platform.identity.url, delegatedResource: 'https://outlook.office.com',
    appOnlyResources: { imapPop: 'https://ps.outlook.com', smtp: 'https://outlook.office365.com' },
    protocols: ['imap', 'smtp'], caFile: platform.certificates.caFile, vscodeProvider: 'microsoft',
    ...overrides,
  };
}

interface Page {
  status: number;
  location?: string;
  text: string;
}

function get(url: string, ca: Buffer, method = 'GET', body?: string): Promise<Page> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    // MSAL's and the web app's loopbacks listen on 127.0.0.1; a browser finds them under localhost.
    if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
    const headers: Record<string, string | number> = body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function unescapeHtml(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * What the system browser does with a sign-in URL once the platform signs the user in at once
 * (control.setAutoSignIn): follow redirects (the web app's `?code=`) and submit form_post pages
 * (MSAL's loopback). Returns the last page.
 */
export async function browse(url: string, caFile: string): Promise<Page> {
  const ca = readFileSync(caFile);
  let page = await get(url, ca);
  for (let hops = 0; hops < 5; hops++) {
    if (page.status >= 300 && page.status < 400 && page.location) {
      page = await get(new URL(page.location, url).toString(), ca);
      continue;
    }
    const form = /<form method="POST" name="hiddenform" action="([^"]+)">/.exec(page.text);
    if (!form) return page;
    const fields = new URLSearchParams();
    for (const input of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(unescapeHtml(input[1]), unescapeHtml(input[2]));
    page = await get(unescapeHtml(form[1]), ca, 'POST', fields.toString());
  }
  return page;
}

/** Whether anything still listens on the loopback port of a sign-in URL's redirect URI. */
export function loopbackListening(signInUrl: string): Promise<boolean> {
  const redirect = new URL(new URL(signInUrl).searchParams.get('redirect_uri') ?? '');
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port: redirect.port, path: '/favicon.ico' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function sum(counts: Record<string, number>): number {
  return Object.entries(counts).filter(([name]) => !name.includes(':')).reduce((total, [, n]) => total + n, 0);
}
