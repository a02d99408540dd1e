/**
 * The heavy half of Exchange Mail (MSAL, IMAP, SMTP, POP3, message building and parsing),
 * bundled apart as dist/core.js and loaded on first use through `ui/core-loader`, never at
 * activation. Everything the UI needs from it is exported here.
 */
export const CORE_LOADED = true;
export { createTokenSource } from './auth/token-sources';
export type { TokenSourceOptions } from './auth/token-sources';
export type { AuthPorts, SecretStore, DeviceCodePrompt, VsCodeAuthentication, ProviderSession, GetSessionOptions } from './auth/ports';
export { SignInCancelled } from './auth/ports';
