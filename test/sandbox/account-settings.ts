/**
 * The `exchangeMail.accounts` entries that point Exchange Mail at a running sandbox: the same
 * Custom settings a user would write for a sovereign cloud, nothing test-only.
 */
import type { SandboxInfo } from './index';

export function accountSettingsFor(info: SandboxInfo, options: { imapProfile?: 'exchange' | 'modern' } = {}): Record<string, unknown>[] {
  const imap = info.imap[options.imapProfile ?? 'exchange'];
  const servers = {
    imap: { host: imap.host, port: imap.port, security: 'tls' },
    pop3: { host: info.pop3.host, port: info.pop3.port, security: 'tls' },
    smtp: { host: info.smtp.host, port: info.smtp.port, security: 'starttls' },
  };
  return [{
    address: 'alice@contoso.test',
    preset: 'custom',
    authMode: 'msal-device-code',
    clientId: info.apps.public.clientId,
    tenant: info.tenantId,
    authorityHost: info.authorityHost,
    caFile: info.caFile,
    ...servers,
  }];
}
