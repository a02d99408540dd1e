/**
 * The VS Code side of src/auth's ports: SecretStorage, the browser, the device-code
 * notification, VS Code's authentication providers, notifications and the log.
 */
import * as vscode from 'vscode';
import type { AuthPorts, DeviceCodePrompt, GetSessionOptions, ProviderSession, VsCodeAuthentication } from '../../auth/ports';

export function createAuthPorts(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): AuthPorts {
  return {
    secrets: {
      get: async (key) => context.secrets.get(key),
      store: async (key, value) => context.secrets.store(key, value),
      delete: async (key) => context.secrets.delete(key),
      onDidChange: (listener) => context.secrets.onDidChange((e) => listener(e.key)),
    },
    openExternal: async (url) => vscode.env.openExternal(vscode.Uri.parse(url, true)),
    showDeviceCode,
    vscodeAuth: vscodeAuthentication,
    get remoteName() {
      return vscode.env.remoteName;
    },
    notify: (message) => void vscode.window.showInformationMessage(message),
    log,
  };
}

/** The command behind the notification's "Copy and Open" link. */
export const COPY_DEVICE_CODE_COMMAND = 'exchangeMail.copyDeviceCodeAndOpen';

/** Copies the device code to the clipboard and opens the page where it is entered. */
export async function copyDeviceCodeAndOpen(userCode: string, verificationUri: string): Promise<void> {
  await vscode.env.clipboard.writeText(userCode);
  await vscode.env.openExternal(vscode.Uri.parse(verificationUri, true));
}

/**
 * The code and where to enter it, with a "Copy and Open" link, in a progress notification: unlike
 * a plain message, it goes away by itself once the sign-in has ended (signed in, cancelled or
 * timed out), so no stale code is left on screen.
 */
export function showDeviceCode(prompt: DeviceCodePrompt, signal: AbortSignal): void {
  const ended = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const args = encodeURIComponent(JSON.stringify([prompt.userCode, prompt.verificationUri]));
  const copyAndOpen = `[Copy and Open](command:${COPY_DEVICE_CODE_COMMAND}?${args})`;
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exchange Mail' }, async (progress) => {
    progress.report({ message: `To sign in, open ${prompt.verificationUri} and enter the code ${prompt.userCode} — ${copyAndOpen}` });
    await ended;
  });
}

/** Authentication providers some installed extension declares (`contributes.authentication`). */
function declaredProviders(): Set<string> {
  const ids = new Set<string>();
  for (const extension of vscode.extensions.all) {
    const declared: unknown = extension.packageJSON?.contributes?.authentication;
    if (Array.isArray(declared)) for (const p of declared) if (typeof p?.id === 'string') ids.add(p.id);
  }
  return ids;
}

/**
 * `vscode.authentication` offers no list of providers, so a provider counts as present when an
 * installed extension declares it; a declared provider that never registers makes getSession
 * fail, which the token source also treats as "provider missing".
 */
export const vscodeAuthentication: VsCodeAuthentication = {
  async getSession(providerId: string, scopes: string[], options: GetSessionOptions): Promise<ProviderSession | undefined> {
    const session = await vscode.authentication.getSession(providerId, scopes, options as vscode.AuthenticationGetSessionOptions);
    return session && { accessToken: session.accessToken, account: { label: session.account.label } };
  },
  hasProvider(providerId: string): boolean {
    return declaredProviders().has(providerId);
  },
};
