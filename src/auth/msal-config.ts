/**
 * What every MSAL application of an account shares: its authority, the network client that
 * trusts the account's CA file, the SecretStorage-backed cache and the log.
 */
import { readFile } from 'node:fs/promises';
import { Configuration, LogLevel } from '@azure/msal-node';
import { ExplainedError } from '../errors';
import type { MailLog } from '../mail/server';
import { explainAuthError, ExplainContext } from './explain';
import { IdentityNetwork } from './network';
import type { AuthPorts } from './ports';
import { cacheKey, SecretCachePlugin } from './secret-cache';
import type { AuthSettings } from './token-source';

/** Microsoft's public and sovereign cloud hosts, which MSAL knows and discovers by itself. */
const MICROSOFT_HOSTS = new Set([
  'login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'sts.windows.net',
  'login.microsoftonline.us', 'login.usgovcloudapi.net', 'login-us.microsoftonline.com',
  'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn', 'login.microsoftonline.de',
]);

export interface Authority {
  /** `${authorityHost}/${tenant}` */
  url: string;
  /** `host:port` for hosts MSAL does not know (the sandbox, ADFS-like stand-ins); else empty. */
  knownAuthorities: string[];
}

export function authorityOf(settings: Pick<AuthSettings, 'authorityHost' | 'tenant'>): Authority {
  const host = new URL(settings.authorityHost);
  const base = `${host.protocol}//${host.host}${host.pathname.replace(/\/+$/, '')}`;
  return {
    url: `${base}/${encodeURIComponent(settings.tenant)}`,
    knownAuthorities: MICROSOFT_HOSTS.has(host.hostname.toLowerCase()) ? [] : [host.host],
  };
}

/** Tunables for tests; the product uses the defaults. */
export interface TokenSourceOptions {
  /** How long an interactive or device-code sign-in may wait for the user (default 5 minutes). */
  interactionTimeoutMs?: number;
  /** Per HTTP request to the identity platform (default 30 s). */
  requestTimeoutMs?: number;
}

/**
 * What an account's MSAL apps are configured with: its authority, network client, token cache and
 * log. Made once per token source, before its MSAL app.
 */
export class AccountMsalConfig {
  readonly authority: Authority;
  readonly cache: SecretCachePlugin;

  private constructor(readonly settings: AuthSettings, readonly network: IdentityNetwork, private readonly log: MailLog, secrets: AuthPorts['secrets']) {
    this.authority = authorityOf(settings);
    this.cache = new SecretCachePlugin(secrets, cacheKey(settings.clientId, this.authority.url));
  }

  static async create(settings: AuthSettings, ports: AuthPorts, options: TokenSourceOptions): Promise<AccountMsalConfig> {
    let extraCaPem: string | undefined;
    if (settings.caFile) {
      try {
        extraCaPem = await readFile(settings.caFile, 'utf8');
      } catch (err) {
        throw new ExplainedError(`Cannot read the account's CA file ${settings.caFile}.`,
          'Point the account\'s extra CA file at a readable PEM file, or clear it.',
          { code: 'ca-file-unreadable', detail: String((err as NodeJS.ErrnoException).code ?? err), actions: ['openSettings'] });
      }
    }
    return new AccountMsalConfig(settings, new IdentityNetwork({ extraCaPem, timeoutMs: options.requestTimeoutMs }), ports.log, ports.secrets);
  }

  /** MSAL configuration for this account; `auth` adds credentials for confidential clients. */
  configuration(auth: Partial<Configuration['auth']> = {}): Configuration {
    const log = this.log;
    return {
      auth: {
        clientId: this.settings.clientId,
        authority: this.authority.url,
        knownAuthorities: this.authority.knownAuthorities,
        ...auth,
      },
      cache: { cachePlugin: this.cache },
      system: {
        networkClient: this.network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            if (level === LogLevel.Error) log.warn(`MSAL: ${message}`);
            else log.debug(`MSAL: ${message}`);
          },
        },
      },
    };
  }

  explainContext(scopes?: string[]): ExplainContext {
    return {
      mode: this.settings.mode,
      clientId: this.settings.clientId,
      tenant: this.settings.tenant,
      authorityHost: this.settings.authorityHost,
      caFile: this.settings.caFile,
      scopes,
      network: { lastFailure: this.network.lastFailure, lastErrorReply: this.network.lastErrorReply },
    };
  }

  explain(err: unknown, scopes?: string[]): ExplainedError {
    return explainAuthError(err, this.explainContext(scopes));
  }
}
