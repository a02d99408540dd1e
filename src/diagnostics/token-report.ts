/**
 * "Show Token Details" as a Markdown document: the decoded claims of an account's token for one
 * protocol, the expiry in local time, and what does not fit. Never the token itself.
 */
import type { Protocol } from '../mail/server';
import { PROTOCOL_NAMES } from '../mail/server';
import {
  appIdOf, checkClaimsFit, ClaimsFitContext, DecodedToken, describeAudience, isAppOnly, localTime,
  PERSONAL_ACCOUNTS_TENANT_ID, rolesOf, scopesOf, signedInUser,
} from './claims';

export interface TokenReportInput extends ClaimsFitContext {
  protocol: Protocol;
  /** The account's address (the XOAUTH2 user is `address` of the fit context). */
  account: string;
}

function cell(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function relative(seconds: number, now: number): string {
  const delta = seconds - now;
  const minutes = Math.round(Math.abs(delta) / 60);
  const span = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  return delta >= 0 ? `in ${span}` : `${span} ago`;
}

export function tokenReport(token: DecodedToken, input: TokenReportInput): string {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const title = `# ${PROTOCOL_NAMES[input.protocol]} token of ${input.account}`;
  const note = '_The decoded claims of the access token Exchange Mail uses for this protocol. The token itself is never shown. Claims are read without verifying the signature: the mail server verifies it._';
  if (!token.readable) {
    return [title, '', note, '', `The claims cannot be read: ${token.reason}.`, '',
      `XOAUTH2 user: ${input.address}`, ''].join('\n');
  }
  const c = token.claims;
  const appOnly = isAppOnly(c);
  const time = (s: number | undefined) => (s === undefined ? undefined : `${localTime(s)} (${relative(s, now)})`);
  const tenant = c.tid === PERSONAL_ACCOUNTS_TENANT_ID ? `${c.tid} (personal Microsoft account)` : c.tid;
  const rows: [string, string | undefined][] = [
    ['Token type', appOnly ? 'app-only (client credentials)' : 'delegated (signed-in user)'],
    ['Audience (aud)', describeAudience(c)],
    [appOnly ? 'Application permissions (roles)' : 'Delegated permissions (scp)', (appOnly ? rolesOf(c) : scopesOf(c)).join(' ')],
    ['Signed-in user (upn / preferred_username)', appOnly ? undefined : signedInUser(c)],
    ['XOAUTH2 user', input.address],
    ['Name', c.name],
    ['Tenant (tid)', tenant],
    ['Application (appid / azp)', appIdOf(c)],
    ['App name', c.app_displayname],
    [appOnly ? 'Service principal object id (oid)' : 'User object id (oid)', c.oid],
    ['Identity type (idtyp)', c.idtyp],
    ['Issued (iat)', time(c.iat)],
    ['Valid from (nbf)', time(c.nbf)],
    ['Expires (exp)', time(c.exp)],
    ['Issuer (iss)', c.iss],
  ];
  const warnings = checkClaimsFit(c, input.protocol, { ...input, nowSeconds: now });
  return [
    title, '', note, '',
    '| Claim | Value |', '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${cell(value)} |`),
    '',
    '## Fit for ' + PROTOCOL_NAMES[input.protocol],
    '',
    ...(warnings.length ? warnings.map((w) => `- ⚠ ${w.message} (\`${w.code}\`)`) : ['- ✔ The claims fit this protocol and account.']),
    '',
  ].join('\n');
}
