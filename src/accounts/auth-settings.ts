import type { AuthSettings } from '../auth/token-source';
import type { Account } from './account';

/** What the account's token source needs of it (src/auth never reads settings itself). */
export function toAuthSettings(account: Account): AuthSettings {
  return {
    accountId: account.id,
    address: account.address,
    mode: account.authMode,
    clientId: account.clientId,
    tenant: account.tenant,
    authorityHost: account.authorityHost,
    delegatedResource: account.delegatedResource,
    appOnlyResources: { ...account.appOnlyResources },
    protocols: [...account.protocols],
    caFile: account.caFile,
    credential: account.credential,
    certificateThumbprint: account.certificateThumbprint,
    vscodeProvider: account.vscodeProvider,
  };
}
