/**
 * The account the Add Account wizard is writing, as the answers so far stand, and what the
 * settings loader would say of it: every answer is checked by the rules that check hand-edited
 * settings (src/accounts), so the wizard cannot write an account the loader would refuse.
 */
import { AccountSetting, Credential, PROTOCOLS, VsCodeProvider, parseAccount } from '../../accounts/account';
import { parsePort } from '../../accounts/fields';
import { storeSharedMailboxes } from '../../accounts/mailboxes';
import { PresetId, PRESETS, usualSecurity } from '../../accounts/presets';
import type { AuthMode } from '../../auth/token-source';
import type { Protocol, Security } from '../../mail/server';

export const DEFAULT_PORTS: Record<Protocol, number> = { imap: 993, pop3: 995, smtp: 587 };

export interface Draft {
  address: string;
  preset: PresetId;
  authMode: AuthMode;
  protocols: Protocol[];
  clientId: string;
  tenant?: string;
  servers: Partial<Record<Protocol, { host: string; port: number; security?: Security }>>;
  authorityHost: string;
  delegatedResource: string;
  appOnlyResources: { imapPop: string; smtp: string };
  caFile: string;
  vscodeProvider: VsCodeProvider;
  credential: Credential;
  clientSecret: string;
  certificateThumbprint: string;
  privateKeyFile: string;
  certificatePrivateKey?: string;
  sharedMailboxes: string[];
}

/** The account setting the draft stands for, written the way a person would: preset defaults left out. */
export function toSetting(draft: Draft): AccountSetting {
  const custom = draft.preset === 'custom';
  const appOnly = draft.authMode === 'client-credentials';
  const setting: AccountSetting = {
    address: draft.address.trim(),
    preset: draft.preset,
    authMode: draft.authMode,
    clientId: draft.clientId.trim(),
    tenant: (draft.tenant ?? PRESETS[draft.preset].tenant).trim(),
    protocols: PROTOCOLS.filter((p) => draft.protocols.includes(p)),
  };
  if (custom) {
    for (const protocol of setting.protocols ?? []) {
      const server = draft.servers[protocol];
      if (server) setting[protocol] = { host: server.host, port: server.port, security: server.security ?? usualSecurity(server.port) };
    }
    setting.authorityHost = draft.authorityHost.trim();
    if (appOnly) setting.appOnlyResources = { ...draft.appOnlyResources };
    else setting.delegatedResource = draft.delegatedResource.trim();
    if (draft.caFile.trim()) setting.caFile = draft.caFile.trim();
    if (draft.authMode === 'vscode' && draft.vscodeProvider !== 'microsoft') setting.vscodeProvider = draft.vscodeProvider;
  }
  if (appOnly) {
    setting.credential = draft.credential;
    if (draft.credential === 'certificate') setting.certificateThumbprint = draft.certificateThumbprint.trim();
  }
  storeSharedMailboxes(setting, draft.sharedMailboxes);
  return setting;
}

/** What the settings loader would say about `field` if the draft were written with `change`. */
export function problemOf(draft: Draft, field: string, change: Partial<Draft> = {}): string | undefined {
  const result = parseAccount(toSetting({ ...draft, ...change }));
  return 'problems' in result ? result.problems.find((p) => p.field === field)?.problem : undefined;
}

export function sentence(subject: string, problem: string | undefined): string | undefined {
  return problem && `${subject} ${problem}`;
}

/** `host:port`, `host` (the protocol's usual port) or `[v6]:port`. */
export function parseServer(text: string, protocol: Protocol): { host: string; port?: number } {
  const match = /^(\[[^\]]+\]|[^:]*|[0-9a-f:]+)(?::([^:\]]*))?$/i.exec(text.trim());
  if (!match) return { host: text.trim() };
  const host = match[1].replace(/^\[|\]$/g, '');
  if (match[2] === undefined) return { host, port: DEFAULT_PORTS[protocol] };
  return { host, port: parsePort(match[2]) };
}
