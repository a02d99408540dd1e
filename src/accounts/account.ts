/**
 * The account setting (`exchangeMail.accounts`, an array of these objects in user settings) and
 * the account the rest of the extension works with: the setting checked, with the preset's
 * values filled in. Plain Node: no `vscode` import, so the unit tests run it directly.
 */
import type { AuthMode } from '../auth/token-source';
import type { Protocol } from '../mail/server';
import {
  checkCaFile, checkClientId, checkEmail, checkHost, checkHttpsOrigin, checkPort, checkSecurity, checkTenant,
  checkThumbprint, normalizeOrigin, normalizeThumbprint, shown, WELL_KNOWN_TENANTS,
} from './fields';
import {
  EXCHANGE_APP_ONLY_RESOURCES, EXCHANGE_DELEGATED_RESOURCE, MICROSOFT_LOGIN, PRESET_IDS, PRESETS, PresetId, ServerSetting, usualSecurity,
} from './presets';

export const AUTH_MODES: AuthMode[] = ['vscode', 'msal-browser', 'msal-device-code', 'web-app', 'client-credentials'];
export const PROTOCOLS: Protocol[] = ['imap', 'pop3', 'smtp'];
export type Credential = 'secret' | 'certificate';
export type VsCodeProvider = 'microsoft' | 'microsoft-sovereign-cloud';
/** Whether a sent message is also saved to the Sent folder over IMAP (`auto`: unless the server does it itself, as Exchange does). */
export type SentCopy = 'auto' | 'always' | 'never';

/** One entry of `exchangeMail.accounts` as the user (or Add Account…) writes it. */
export interface AccountSetting {
  address: string;
  preset?: PresetId;
  authMode?: AuthMode;
  clientId: string;
  tenant?: string;
  protocols?: Protocol[];
  imap?: Partial<ServerSetting>;
  pop3?: Partial<ServerSetting>;
  smtp?: Partial<ServerSetting>;
  authorityHost?: string;
  delegatedResource?: string;
  appOnlyResources?: { imapPop?: string; smtp?: string };
  caFile?: string;
  credential?: Credential;
  certificateThumbprint?: string;
  vscodeProvider?: VsCodeProvider;
  sentCopy?: SentCopy;
  /** Other mailboxes this sign-in opens: shared ones the user has FullAccess to, or (app-only) the app has a mailbox permission on. */
  sharedMailboxes?: string[];
}

export interface Account {
  /** The address in lower case: names the account's secrets and token cache entries. */
  id: string;
  address: string;
  preset: PresetId;
  authMode: AuthMode;
  clientId: string;
  tenant: string;
  protocols: Protocol[];
  servers: Partial<Record<Protocol, ServerSetting>>;
  authorityHost: string;
  delegatedResource: string;
  appOnlyResources: { imapPop: string; smtp: string };
  caFile?: string;
  credential?: Credential;
  certificateThumbprint?: string;
  vscodeProvider: VsCodeProvider;
  sentCopy: SentCopy;
  /** The shared mailboxes the account's sign-in also opens (see ./mailboxes). */
  sharedMailboxes: string[];
  /**
   * Set on a shared mailbox (./mailboxes): the account whose sign-in opens it. Its token and
   * secrets are that account's; the mailbox is the XOAUTH2 user for IMAP and POP.
   */
  openedBy?: Account;
}

export interface AccountProblem {
  /** The setting's field, as a path inside the account object: `imap.port`, `tenant`. */
  field: string;
  /** What is wrong with it: "must be a number from 1 to 65535 (got 99999)". */
  problem: string;
}

export type AccountEntry =
  | { valid: true; label: string; account: Account; setting: AccountSetting; index: number }
  | { valid: false; label: string; problems: AccountProblem[]; setting: unknown; index: number };

/**
 * Words that make a field name a secret's, in any case and separator style (`client_secret`,
 * `ClientSecret`, `refresh-token`, `imap.password`): secrets belong in SecretStorage. Only
 * names are looked at; `credential: "secret"` is a setting, not a secret.
 */
const SECRET_NAME_WORDS = ['secret', 'password', 'passwd', 'passphrase', 'token', 'privatekey', 'certificatekey', 'apikey', 'assertion'];
/** Deeper than any account setting nests; what lies below is not looked into. */
const MAX_SETTING_DEPTH = 8;

function isSecretName(name: string): boolean {
  const word = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAME_WORDS.some((secret) => word.includes(secret));
}

/** Paths (`imap.password`, `client_secret`) of every secret-looking field, at any depth. */
function secretFields(value: unknown, path = '', depth = 0): string[] {
  if (depth > MAX_SETTING_DEPTH || typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, inner]) => {
    const field = path ? (Array.isArray(value) ? `${path}[${name}]` : `${path}.${name}`) : name;
    return isSecretName(name) ? [field] : secretFields(inner, field, depth + 1);
  });
}

/** "Account bob@contoso.test: `imap.port` must be a number from 1 to 65535 (got 99999)". */
export function describeProblem(label: string, problem: AccountProblem): string {
  return `${label}: \`${problem.field}\` ${problem.problem}`;
}

export function accountLabel(setting: unknown, index: number): string {
  const address = isObject(setting) && typeof setting.address === 'string' && setting.address.trim() ? setting.address.trim() : undefined;
  return address ? `Account ${address}` : `Account #${index + 1}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): string | undefined {
  return allowed.includes(value as T) ? undefined : `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${shown(value)})`;
}

/** Checks one account setting; the account with the preset's defaults filled in, or every problem found. */
export function parseAccount(setting: unknown): { account: Account } | { problems: AccountProblem[] } {
  const problems: AccountProblem[] = [];
  const report = (field: string, problem: string | undefined) => {
    if (problem) problems.push({ field, problem });
  };
  if (!isObject(setting)) {
    return { problems: [{ field: '(account)', problem: `must be an object such as {"address": "someone@contoso.com", "clientId": "…"} (got ${shown(setting)})` }] };
  }
  for (const field of secretFields(setting)) {
    report(field, 'must not be in settings: secrets live in VS Code\'s secret storage. Remove it and run "Exchange Mail: Add Account…" to enter it there');
  }

  report('address', checkEmail(setting.address));
  const preset = (setting.preset ?? 'microsoft365') as PresetId;
  report('preset', oneOf(PRESET_IDS, preset));
  const authMode = (setting.authMode ?? 'vscode') as AuthMode;
  report('authMode', oneOf(AUTH_MODES, authMode));
  report('clientId', checkClientId(setting.clientId));
  // An unknown preset is reported once; the checks below then go by Microsoft 365 to avoid noise.
  const presetDefaults = PRESETS[preset] ?? PRESETS.microsoft365;
  const tenant = setting.tenant ?? presetDefaults.tenant;
  report('tenant', checkTenant(tenant));

  const protocols = (setting.protocols ?? PROTOCOLS) as Protocol[];
  if (!Array.isArray(protocols) || protocols.length === 0 || protocols.some((p) => !PROTOCOLS.includes(p)) || new Set(protocols).size !== protocols.length) {
    report('protocols', `must list one or more of "imap", "pop3", "smtp", each once (got ${shown(setting.protocols)})`);
  }

  const servers: Partial<Record<Protocol, ServerSetting>> = {};
  for (const protocol of PROTOCOLS) {
    const given = setting[protocol];
    if (given !== undefined && !isObject(given)) {
      report(protocol, `must be an object such as {"host": "mail.contoso.com", "port": 993, "security": "tls"} (got ${shown(given)})`);
      continue;
    }
    const used = Array.isArray(protocols) && protocols.includes(protocol);
    const base = presetDefaults.servers?.[protocol];
    if (!used && given === undefined) continue;
    const host = given?.host ?? base?.host;
    const port = given?.port ?? base?.port;
    if (host === undefined) report(`${protocol}.host`, `must be set for a Custom account that uses ${protocol.toUpperCase()} (the server's host name)`);
    else report(`${protocol}.host`, checkHost(host));
    if (port === undefined) report(`${protocol}.port`, `must be set for a Custom account that uses ${protocol.toUpperCase()} (a number from 1 to 65535)`);
    else report(`${protocol}.port`, checkPort(port));
    // A port given without security gets that port's usual security, not the preset's.
    const security = given?.security ?? (typeof given?.port === 'number' ? usualSecurity(given.port) : base?.security ?? 'tls');
    report(`${protocol}.security`, checkSecurity(security));
    servers[protocol] = { host: host as string, port: port as number, security: security as ServerSetting['security'] };
  }

  const authorityHost = setting.authorityHost ?? MICROSOFT_LOGIN;
  const badAuthority = checkHttpsOrigin(authorityHost, MICROSOFT_LOGIN);
  report('authorityHost', badAuthority);
  const delegatedResource = setting.delegatedResource ?? EXCHANGE_DELEGATED_RESOURCE;
  const badDelegated = checkHttpsOrigin(delegatedResource, EXCHANGE_DELEGATED_RESOURCE);
  report('delegatedResource', badDelegated);
  const appOnly = setting.appOnlyResources ?? {};
  if (!isObject(appOnly)) report('appOnlyResources', `must be an object such as {"imapPop": "${EXCHANGE_APP_ONLY_RESOURCES.imapPop}", "smtp": "${EXCHANGE_APP_ONLY_RESOURCES.smtp}"} (got ${shown(appOnly)})`);
  const appOnlyResources = {
    imapPop: (isObject(appOnly) ? appOnly.imapPop : undefined) ?? EXCHANGE_APP_ONLY_RESOURCES.imapPop,
    smtp: (isObject(appOnly) ? appOnly.smtp : undefined) ?? EXCHANGE_APP_ONLY_RESOURCES.smtp,
  };
  const badImapPop = checkHttpsOrigin(appOnlyResources.imapPop, EXCHANGE_APP_ONLY_RESOURCES.imapPop);
  const badSmtp = checkHttpsOrigin(appOnlyResources.smtp, EXCHANGE_APP_ONLY_RESOURCES.smtp);
  report('appOnlyResources.imapPop', badImapPop);
  report('appOnlyResources.smtp', badSmtp);

  if (setting.caFile !== undefined) report('caFile', checkCaFile(setting.caFile));
  const vscodeProvider = setting.vscodeProvider ?? 'microsoft';
  report('vscodeProvider', oneOf(['microsoft', 'microsoft-sovereign-cloud'], vscodeProvider));
  const sentCopy = setting.sentCopy ?? 'auto';
  report('sentCopy', oneOf(['auto', 'always', 'never'], sentCopy));
  const sharedMailboxes = setting.sharedMailboxes ?? [];
  report('sharedMailboxes', checkSharedMailboxes(sharedMailboxes, setting.address));

  // What each mode needs beyond the common fields.
  if (authMode === 'client-credentials') {
    report('credential', setting.credential === undefined
      ? 'must be "secret" or "certificate" for authMode "client-credentials": how the app proves who it is'
      : oneOf(['secret', 'certificate'], setting.credential));
    if (setting.credential === 'certificate') report('certificateThumbprint', checkThumbprint(setting.certificateThumbprint));
    if (typeof tenant === 'string' && (WELL_KNOWN_TENANTS as readonly string[]).includes(tenant.trim().toLowerCase())) {
      report('tenant', `must name one directory for authMode "client-credentials", its Directory (tenant) ID or a verified domain: app-only tokens come from the mailbox's own tenant (got ${shown(tenant)})`);
    }
    if (preset === 'outlook') report('authMode', 'cannot be "client-credentials" for a personal Outlook.com account: Microsoft gives app-only access to work and school mailboxes only');
  } else if (setting.credential !== undefined || setting.certificateThumbprint !== undefined) {
    const field = setting.credential !== undefined ? 'credential' : 'certificateThumbprint';
    report(field, `applies only to authMode "client-credentials" (this account uses "${String(authMode)}"); remove it`);
  }
  if (preset === 'outlook' && typeof tenant === 'string' && !['consumers', 'common'].includes(tenant.trim().toLowerCase()) && !checkTenant(tenant)) {
    report('tenant', `must be "consumers" or "common" for a personal Outlook.com account (got ${shown(tenant)})`);
  }

  if (problems.length) return { problems };
  const address = (setting.address as string).trim();
  return {
    account: {
      id: address.toLowerCase(),
      address,
      preset,
      authMode,
      clientId: (setting.clientId as string).trim().toLowerCase(),
      tenant: (tenant as string).trim(),
      protocols: PROTOCOLS.filter((p) => protocols.includes(p)),
      servers,
      authorityHost: normalizeOrigin(authorityHost as string),
      delegatedResource: normalizeOrigin(delegatedResource as string),
      appOnlyResources: { imapPop: normalizeOrigin(appOnlyResources.imapPop as string), smtp: normalizeOrigin(appOnlyResources.smtp as string) },
      caFile: setting.caFile as string | undefined,
      credential: authMode === 'client-credentials' ? setting.credential as Credential : undefined,
      certificateThumbprint: setting.credential === 'certificate' ? normalizeThumbprint(setting.certificateThumbprint as string) : undefined,
      vscodeProvider: vscodeProvider as VsCodeProvider,
      sentCopy: sentCopy as SentCopy,
      sharedMailboxes: (sharedMailboxes as string[]).map((m) => m.trim()),
    },
  };
}

/** Addresses, each once, none the account's own. */
function checkSharedMailboxes(value: unknown, own: unknown): string | undefined {
  if (!Array.isArray(value)) return `must be a list of mailbox addresses such as ["support@contoso.com"] (got ${shown(value)})`;
  const seen = new Set<string>([typeof own === 'string' ? own.trim().toLowerCase() : '']);
  for (const entry of value) {
    if (checkEmail(typeof entry === 'string' ? entry.trim() : entry)) return `must list mailbox addresses such as "support@contoso.com" (got ${shown(entry)})`;
    const key = (entry as string).trim().toLowerCase();
    if (seen.has(key)) return `must list other mailboxes than the account's own, each once (got ${shown(entry)} twice or as the account's address)`;
    seen.add(key);
  }
  return undefined;
}

/**
 * Reads the whole `exchangeMail.accounts` value: each entry valid or invalid with its problems,
 * so one bad hand edit leaves the other accounts working.
 */
export function parseAccounts(value: unknown): AccountEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    return [{ valid: false, label: 'Setting exchangeMail.accounts', index: 0, setting: value,
      problems: [{ field: '(setting)', problem: `must be an array of account objects (got ${shown(value)})` }] }];
  }
  const seen = new Set<string>();
  return value.map((setting, index): AccountEntry => {
    const label = accountLabel(setting, index);
    const result = parseAccount(setting);
    if ('problems' in result) return { valid: false, label, problems: result.problems, setting, index };
    if (seen.has(result.account.id)) {
      return { valid: false, label, setting, index,
        problems: [{ field: 'address', problem: `must be unique: an earlier account already uses ${result.account.address}; remove one of the two` }] };
    }
    seen.add(result.account.id);
    return { valid: true, label, account: result.account, setting: setting as AccountSetting, index };
  });
}
