/**
 * The authentication modes as the user meets them: what each is called and how it works, and
 * which secret of the app's own it needs in SecretStorage. Plain Node, like the rest of src/accounts.
 */
import type { AuthMode } from '../auth/token-source';
import type { Credential } from './account';

export const AUTH_MODE_CHOICES: Record<AuthMode, { label: string; detail: string }> = {
  'vscode': {
    label: 'VS Code\'s Microsoft sign-in',
    detail: 'VS Code\'s built-in Microsoft account provider with your app registration; falls back to MSAL where that provider is missing.',
  },
  'msal-browser': {
    label: 'Browser sign-in (MSAL)',
    detail: 'Opens the system browser and listens on localhost; the registration needs the redirect URI http://localhost.',
  },
  'msal-device-code': {
    label: 'Device code (MSAL)',
    detail: 'Shows a code to enter on another device or browser; for remote, SSH and container windows. Needs "Allow public client flows".',
  },
  'web-app': {
    label: 'Web app with a client secret',
    detail: 'A confidential client signs the user in once for every protocol, then gets each protocol\'s token silently.',
  },
  'client-credentials': {
    label: 'App-only (client credentials)',
    detail: 'A service reaches a mailbox without a user, with a client secret or certificate; the admin grants it the mailbox.',
  },
};

/** A secret the app proves who it is with: a client secret, or the private key of a registered certificate. */
export type AppSecret = 'clientSecret' | 'certificatePrivateKey';

/**
 * The secret an account's app needs, kept in SecretStorage under `secretKeys[secret]`: a
 * confidential client's (web-app, or app-only with `credential`); none for the public clients,
 * which sign a user in.
 */
export function appSecretOf(account: { authMode: AuthMode; credential?: Credential }): AppSecret | undefined {
  if (account.authMode === 'web-app') return 'clientSecret';
  if (account.authMode !== 'client-credentials') return undefined;
  if (account.credential === 'secret') return 'clientSecret';
  if (account.credential === 'certificate') return 'certificatePrivateKey';
  return undefined;
}
