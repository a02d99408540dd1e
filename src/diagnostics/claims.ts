/**
 * What an access token says about itself, read WITHOUT verifying it (the mail server verifies;
 * this only explains), and whether that fits the protocol and account it is used for. Personal
 * Microsoft accounts get opaque tokens from the real identity platform: those cannot be read.
 */
import type { AuthMode } from '../auth/token-source';
import type { Protocol } from '../mail/server';

/** The claims diagnostics look at; the names are Entra's. */
export interface TokenClaims {
  aud?: string | string[];
  /** Delegated permissions, space-separated. */
  scp?: string;
  /** Application permissions (app roles). */
  roles?: string[];
  upn?: string;
  preferred_username?: string;
  unique_name?: string;
  name?: string;
  tid?: string;
  appid?: string;
  azp?: string;
  app_displayname?: string;
  /** `user` or `app`. */
  idtyp?: string;
  /** The signed-in user's object id, or the service principal's for app-only tokens. */
  oid?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  iss?: string;
}

export type DecodedToken =
  | { readable: true; claims: TokenClaims }
  /** `reason` says why, in the user's words; it never quotes the token. */
  | { readable: false; reason: string };

/** The tenant id Entra gives every personal Microsoft account (Outlook.com, Hotmail, Live). */
export const PERSONAL_ACCOUNTS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** The permission each protocol needs: delegated (`scp`) and application (`roles`). */
export const PROTOCOL_PERMISSIONS: Record<Protocol, { delegated: string; application: string }> = {
  imap: { delegated: 'IMAP.AccessAsUser.All', application: 'IMAP.AccessAsApp' },
  pop3: { delegated: 'POP.AccessAsUser.All', application: 'POP.AccessAsApp' },
  smtp: { delegated: 'SMTP.Send', application: 'SMTP.SendAsApp' },
};

/** The audiences Exchange Online accepts: its identifier URIs and its application id. */
export const EXCHANGE_AUDIENCES = [
  'https://outlook.office.com', 'https://outlook.office365.com', 'https://ps.outlook.com', '00000002-0000-0ff1-ce00-000000000000',
];

/** Audiences people get by mistake, by the name they know them under. */
const KNOWN_AUDIENCES: Record<string, string> = {
  'https://graph.microsoft.com': 'Microsoft Graph',
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  'https://graph.windows.net': 'Azure AD Graph',
  '00000002-0000-0000-c000-000000000000': 'Azure AD Graph',
  'https://management.azure.com': 'Azure Resource Manager',
};

const STRING_CLAIMS = ['scp', 'upn', 'preferred_username', 'unique_name', 'name', 'tid', 'appid', 'azp', 'app_displayname', 'idtyp', 'oid', 'iss'] as const;
const NUMBER_CLAIMS = ['exp', 'nbf', 'iat'] as const;

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function pickClaims(payload: Record<string, unknown>): TokenClaims {
  const claims: TokenClaims = {};
  for (const name of STRING_CLAIMS) {
    if (typeof payload[name] === 'string') claims[name] = payload[name];
  }
  for (const name of NUMBER_CLAIMS) {
    if (typeof payload[name] === 'number') claims[name] = payload[name];
  }
  const aud = payload.aud;
  if (typeof aud === 'string') claims.aud = aud;
  else if (Array.isArray(aud)) claims.aud = aud.filter((a): a is string => typeof a === 'string');
  const roles = payload.roles;
  if (Array.isArray(roles)) claims.roles = roles.filter((r): r is string => typeof r === 'string');
  else if (typeof roles === 'string') claims.roles = roles.split(' ').filter(Boolean);
  return claims;
}

/** Reads a JWT access token's claims; never checks the signature and never throws. */
export function decodeClaims(token: string): DecodedToken {
  const parts = token.trim().split('.');
  if (parts.length !== 3 && parts.length !== 5) {
    return { readable: false, reason: 'the token is opaque (not a JWT), as Microsoft issues them for personal accounts, so its claims cannot be read here' };
  }
  if (parts.length === 5) {
    return { readable: false, reason: 'the token is encrypted (JWE), so its claims cannot be read here' };
  }
  const header = base64UrlJson(parts[0]!);
  const payload = base64UrlJson(parts[1]!);
  if (!header || !payload) return { readable: false, reason: 'the token looks like a JWT but its header or claims are not base64url JSON' };
  return { readable: true, claims: pickClaims(payload) };
}

export function audiences(claims: TokenClaims): string[] {
  if (claims.aud === undefined) return [];
  return Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}

/** Delegated permissions (`scp`) as a list. */
export function scopesOf(claims: TokenClaims): string[] {
  return (claims.scp ?? '').split(' ').filter(Boolean);
}

/** Application permissions (`roles`). */
export function rolesOf(claims: TokenClaims): string[] {
  return claims.roles ?? [];
}

/** An app-only (client credentials) token: Entra marks it `idtyp: app`; older tokens have roles and no scp. */
export function isAppOnly(claims: TokenClaims): boolean {
  if (claims.idtyp) return claims.idtyp === 'app';
  return claims.scp === undefined && claims.roles !== undefined;
}

/** The signed-in account a delegated token is for. */
export function signedInUser(claims: TokenClaims): string | undefined {
  return claims.upn ?? claims.preferred_username ?? claims.unique_name;
}

/** The app the token was issued to (v1 `appid`, v2 `azp`). */
export function appIdOf(claims: TokenClaims): string | undefined {
  return claims.appid ?? claims.azp;
}

function normalizeAudience(aud: string): string {
  return aud.trim().replace(/\/+$/, '').toLowerCase();
}

/** Whether `aud` is Exchange Online (or one of `extra`, a sovereign cloud's resources). */
export function isExchangeAudience(claims: TokenClaims, extra: string[] = []): boolean {
  const accepted = new Set([...EXCHANGE_AUDIENCES, ...extra].map(normalizeAudience));
  return audiences(claims).some((a) => accepted.has(normalizeAudience(a)));
}

/** "Microsoft Graph (https://graph.microsoft.com)", or the audience itself. */
export function describeAudience(claims: TokenClaims): string {
  const list = audiences(claims);
  if (!list.length) return 'no audience (aud)';
  return list.map((a) => {
    const known = KNOWN_AUDIENCES[normalizeAudience(a)];
    return known ? `${known} (${a})` : a;
  }).join(', ');
}

/** Host names of Microsoft's consumer (Outlook.com) mail service. */
const PERSONAL_HOSTS = /(^|\.)(outlook\.com|hotmail\.com|live\.com)$/i;
/** Host names of Exchange Online for work and school accounts. */
const WORK_HOSTS = /(^|\.)(office365\.com|outlook\.office\.com|office365\.us|partner\.outlook\.cn|outlook\.office365\.de)$/i;

export function isPersonalMailHost(host: string): boolean {
  return PERSONAL_HOSTS.test(host) && !WORK_HOSTS.test(host);
}

export function isWorkMailHost(host: string): boolean {
  return WORK_HOSTS.test(host);
}

export type ClaimWarningCode =
  | 'wrong-audience'
  | 'missing-permission'
  | 'no-permissions'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'wrong-user'
  | 'app-only-for-delegated-account'
  | 'delegated-for-app-only-account'
  | 'personal-account-on-work-host'
  | 'work-account-on-personal-host'
  | 'personal-account-for-work-tenant'
  | 'work-account-for-personal-tenant'
  | 'wrong-tenant';

export interface ClaimWarning {
  code: ClaimWarningCode;
  /** What does not fit, in the user's words. */
  message: string;
}

export interface ClaimsFitContext {
  /** The XOAUTH2 user: the signed-in account (delegated) or the mailbox (app-only). */
  address: string;
  mode: AuthMode;
  /** The account's tenant setting: a GUID, a domain, or `organizations`/`common`/`consumers`. */
  expectedTenant?: string;
  /** The mail server's host, to tell personal from work service. */
  host?: string;
  /** The account's resources (sovereign clouds) accepted beside Exchange Online's. */
  resources?: string[];
  /** Seconds since the epoch; defaults to now. */
  nowSeconds?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function localTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString();
}

function ago(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function permissionWarnings(claims: TokenClaims, protocol: Protocol, context: ClaimsFitContext): ClaimWarning[] {
  const wanted = PROTOCOL_PERMISSIONS[protocol];
  const appOnly = isAppOnly(claims);
  const warnings: ClaimWarning[] = [];
  if (appOnly && context.mode !== 'client-credentials') {
    warnings.push({ code: 'app-only-for-delegated-account', message: `The token is app-only (client credentials), but the account signs in as a user (${context.mode}).` });
  } else if (!appOnly && context.mode === 'client-credentials') {
    warnings.push({ code: 'delegated-for-app-only-account', message: 'The token is delegated (a signed-in user), but the account uses app-only access (client-credentials).' });
  }
  if (claims.scp === undefined && claims.roles === undefined) {
    warnings.push({ code: 'no-permissions', message: `The token carries no permissions at all (neither scp nor roles): Exchange needs ${appOnly ? wanted.application : wanted.delegated}.` });
  } else if (appOnly && !rolesOf(claims).includes(wanted.application)) {
    warnings.push({ code: 'missing-permission', message: `The token lacks the application permission ${wanted.application} (roles: ${rolesOf(claims).join(', ') || 'none'}).` });
  } else if (!appOnly && !scopesOf(claims).includes(wanted.delegated)) {
    warnings.push({ code: 'missing-permission', message: `The token lacks the delegated permission ${wanted.delegated} (scp: ${scopesOf(claims).join(' ') || 'none'}).` });
  }
  return warnings;
}

function lifetimeWarnings(claims: TokenClaims, now: number): ClaimWarning[] {
  if (claims.exp !== undefined && now >= claims.exp) {
    return [{ code: 'token-expired', message: `The token expired ${ago(now - claims.exp)} ago (${localTime(claims.exp)}).` }];
  }
  if (claims.nbf !== undefined && now < claims.nbf) {
    return [{ code: 'token-not-yet-valid', message: `The token is valid only from ${localTime(claims.nbf)}, ${ago(claims.nbf - now)} from now: this computer's clock is probably behind.` }];
  }
  return [];
}

function accountKindWarnings(claims: TokenClaims, context: ClaimsFitContext): ClaimWarning[] {
  if (!claims.tid) return [];
  const personal = claims.tid.toLowerCase() === PERSONAL_ACCOUNTS_TENANT_ID;
  const host = context.host ?? '';
  if (personal && host && isWorkMailHost(host)) {
    return [{ code: 'personal-account-on-work-host', message: `The token is for a personal Microsoft account, but ${host} serves work and school accounts only.` }];
  }
  if (!personal && host && isPersonalMailHost(host)) {
    return [{ code: 'work-account-on-personal-host', message: `The token is for a work or school account, but ${host} serves personal Outlook.com accounts only.` }];
  }
  const tenant = context.expectedTenant?.trim().toLowerCase();
  if (!tenant) return [];
  if (personal && (tenant === 'organizations' || (GUID.test(tenant) && tenant !== PERSONAL_ACCOUNTS_TENANT_ID))) {
    return [{ code: 'personal-account-for-work-tenant', message: `The token is for a personal Microsoft account, but the account's tenant "${context.expectedTenant}" is for work and school accounts.` }];
  }
  if (!personal && (tenant === 'consumers' || tenant === PERSONAL_ACCOUNTS_TENANT_ID)) {
    return [{ code: 'work-account-for-personal-tenant', message: `The token is for a work or school account (tenant ${claims.tid}), but the account's tenant is "${context.expectedTenant}" (personal accounts).` }];
  }
  if (GUID.test(tenant) && claims.tid.toLowerCase() !== tenant) {
    return [{ code: 'wrong-tenant', message: `The token was issued by tenant ${claims.tid}, not the account's tenant ${context.expectedTenant}.` }];
  }
  return [];
}

/**
 * Everything about the token that does not fit `protocol` and the account, worst first. An empty
 * list means the claims look right; the server may still refuse (mailbox permission, policy).
 */
export function checkClaimsFit(claims: TokenClaims, protocol: Protocol, context: ClaimsFitContext): ClaimWarning[] {
  const now = context.nowSeconds ?? Math.floor(Date.now() / 1000);
  const warnings: ClaimWarning[] = [...lifetimeWarnings(claims, now)];
  if (!isExchangeAudience(claims, context.resources)) {
    warnings.push({ code: 'wrong-audience', message: `The token is for ${describeAudience(claims)}, not Exchange Online (https://outlook.office.com).` });
  }
  warnings.push(...accountKindWarnings(claims, context));
  warnings.push(...permissionWarnings(claims, protocol, context));
  const user = signedInUser(claims);
  if (!isAppOnly(claims) && user && user.toLowerCase() !== context.address.trim().toLowerCase()) {
    warnings.push({ code: 'wrong-user', message: `The token is for ${user}, but the sign-in (XOAUTH2 user) is for ${context.address}.` });
  }
  return warnings;
}
