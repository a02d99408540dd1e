/**
 * Exchange Online's rules for an OAuth2 bearer token presented over SASL XOAUTH2, as a resource
 * server applies them: genuine signature, still valid, meant for Exchange, carrying the
 * protocol's permission, and for the mailbox being opened. Everything it knows about users, apps
 * and grants comes from the sandbox directory, the same data the identity platform issues from.
 */
import { createPublicKey, createVerify, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXCHANGE_APP_AUDIENCE, EXCHANGE_DELEGATED_AUDIENCE, findApp, findUser, holdsFullAccess, Protocol, PROTOCOL_PERMISSIONS,
} from '../directory';

export interface Login {
  /** The SASL user: the mailbox being opened. */
  user: string;
  protocol: Protocol;
  /** The SASL mechanism, upper case as Dovecot names it (XOAUTH2, OAUTHBEARER, PLAIN). */
  mechanism: string;
  token: string;
}

export type Verdict = { accepted: true; detail: string } | { accepted: false; reason: string };

const EXCHANGE_AUDIENCES = [EXCHANGE_DELEGATED_AUDIENCE, EXCHANGE_APP_AUDIENCE];
const TOKEN_MECHANISMS = ['XOAUTH2', 'OAUTHBEARER'];

type Claims = Record<string, unknown>;

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

function decodePart(part: string, what: string): Claims {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Claims;
  } catch {
    // Reported below.
  }
  return refuse(`token ${what} is not base64url JSON`);
}

function text(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : undefined;
}

function signingKey(keysDir: string, kid: string): KeyObject {
  // A kid is a file name here: anything that could leave the directory is not a key we issued.
  if (!/^[A-Za-z0-9._-]+$/.test(kid) || kid.startsWith('.')) refuse(`signing key "${kid}" is unknown`);
  try {
    return createPublicKey(readFileSync(join(keysDir, `${kid}.pem`)));
  } catch {
    return refuse(`signing key "${kid}" is unknown (not signed by the sandbox identity platform)`);
  }
}

function checkSignature(token: string, keysDir: string): Claims {
  const parts = token.split('.');
  if (parts.length !== 3) refuse('token is not a JWT (expected three dot-separated parts)');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart, 'header');
  if (text(header, 'typ') !== 'JWT') refuse(`token header typ is ${JSON.stringify(header.typ)}, not "JWT"`);
  if (text(header, 'alg') !== 'RS256') refuse(`token alg is ${JSON.stringify(header.alg)}, not RS256`);
  const kid = text(header, 'kid');
  if (!kid) refuse('token header has no kid');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${headerPart}.${payloadPart}`);
  if (!verifier.verify(signingKey(keysDir, kid), Buffer.from(signaturePart, 'base64url'))) {
    refuse(`token signature does not verify with key "${kid}"`);
  }
  return decodePart(payloadPart, 'payload');
}

function checkLifetime(claims: Claims, nowSeconds: number): void {
  const exp = claims.exp;
  if (typeof exp !== 'number') refuse('token has no exp');
  if (nowSeconds >= exp) refuse(`token has expired (exp ${new Date(exp * 1000).toISOString()})`);
  const nbf = claims.nbf;
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') refuse('token nbf is not a number');
    if (nowSeconds < nbf) refuse(`token is not valid yet (nbf ${new Date(nbf * 1000).toISOString()})`);
  }
}

function checkAudience(claims: Claims): void {
  const aud = text(claims, 'aud');
  if (!aud || !EXCHANGE_AUDIENCES.includes(aud.replace(/\/$/, ''))) {
    refuse(`aud ${JSON.stringify(claims.aud)} is not Exchange Online (${EXCHANGE_AUDIENCES.join(' or ')})`);
  }
}

function words(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function checkDelegated(claims: Claims, login: Login, tenantId: string): string {
  const wanted = PROTOCOL_PERMISSIONS[login.protocol].delegated;
  const scp = words(claims.scp);
  if (!scp.includes(wanted)) refuse(`scp lacks ${wanted} (scp: ${scp.join(' ') || 'empty'})`);
  const signedIn = text(claims, 'upn') ?? text(claims, 'preferred_username') ?? text(claims, 'unique_name');
  if (!signedIn) refuse('delegated token has no upn or preferred_username');
  const delegation = delegatedAccess(signedIn, login);
  const tid = text(claims, 'tid');
  if (tid !== tenantId) refuse(`tid ${tid ?? 'missing'} is not ${login.user}'s tenant ${tenantId}`);
  return `delegated token of ${signedIn} with ${wanted}${delegation}`;
}

/**
 * Whose mailbox a delegated token opens. Its own user's, always; over IMAP and POP also a mailbox
 * that user holds FullAccess on (a shared mailbox's address as the SASL user, the delegate's own
 * token). SMTP signs in only as the token's user: sending for a shared mailbox is SendAs, judged
 * on `From:` after the data. Returns what the log adds to the acceptance.
 */
function delegatedAccess(signedIn: string, login: Login): string {
  if (signedIn.toLowerCase() === login.user.toLowerCase()) return '';
  const mismatch = `token is for ${signedIn}, but the login is for ${login.user}`;
  if (login.protocol === 'smtp') refuse(`${mismatch}: SMTP signs in only as the token's own user (FullAccess does not apply)`);
  if (!holdsFullAccess(signedIn, login.user)) refuse(`${mismatch}: ${signedIn} has no FullAccess on ${login.user}`);
  return `, FullAccess on ${login.user}`;
}

function checkAppOnly(claims: Claims, login: Login, tenantId: string): string {
  const wanted = PROTOCOL_PERMISSIONS[login.protocol].application;
  const roles = words(claims.roles);
  if (!roles.includes(wanted)) refuse(`roles lack ${wanted} (roles: ${roles.join(' ') || 'empty'})`);
  const appId = text(claims, 'appid') ?? text(claims, 'azp');
  if (!appId) refuse('app-only token has no appid or azp');
  const app = findApp(appId);
  if (!app) refuse(`app ${appId} has no service principal in Exchange (unknown app)`);
  if (!app.mailboxPermissions.includes(login.user.toLowerCase())) {
    refuse(`app ${app.displayName} (${appId}) has no mailbox permission for ${login.user}`);
  }
  const tid = text(claims, 'tid');
  if (tid !== tenantId) refuse(`tid ${tid ?? 'missing'} is not ${login.user}'s tenant ${tenantId}`);
  return `app-only token of ${app.displayName} with ${wanted}`;
}

/** Applies the rules in the order Exchange reports them: token integrity first, then authorization. */
export function checkToken(login: Login, keysDir: string, nowSeconds = Math.floor(Date.now() / 1000)): Verdict {
  try {
    if (!TOKEN_MECHANISMS.includes(login.mechanism.toUpperCase())) {
      refuse(`${login.mechanism} is basic authentication, which Exchange Online refuses: use XOAUTH2 with an OAuth2 token`);
    }
    const claims = checkSignature(login.token, keysDir);
    checkLifetime(claims, nowSeconds);
    checkAudience(claims);
    const mailbox = findUser(login.user);
    if (!mailbox) refuse(`no mailbox ${login.user} in the sandbox directory`);
    const hasScp = claims.scp !== undefined;
    const hasRoles = claims.roles !== undefined;
    if (!hasScp && !hasRoles) refuse('token has neither scp (delegated) nor roles (app-only)');
    const detail = hasScp
      ? checkDelegated(claims, login, mailbox.tenantId)
      : checkAppOnly(claims, login, mailbox.tenantId);
    return { accepted: true, detail };
  } catch (error) {
    if (error instanceof Refusal) return { accepted: false, reason: error.message };
    throw error;
  }
}
