/**
 * The VS Code side of src/auth's ports: SecretStorage, the browser, the device-code
 * notification, VS Code's authentication providers, notifications and the log.
 */
import * as vscode from 'vscode';
import type { AuthPorts, DeviceCodePrompt, GetSessionOptions, ProviderSession, VsCodeAuthentication } from '../auth/ports';

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

/**
 * The code and where to enter it, with "Copy and Open". A notification cannot be closed from
 * code, so once the sign-in has ended the button only says so.
 */
export function showDeviceCode(prompt: DeviceCodePrompt, signal: AbortSignal): void {
  const copyAndOpen = 'Copy and Open';
  const text = `To sign in, open ${prompt.verificationUri} and enter the code ${prompt.userCode}`;
  void vscode.window.showInformationMessage(text, copyAndOpen).then(async (choice) => {
    if (choice !== copyAndOpen) return;
    if (signal.aborted) {
      void vscode.window.showInformationMessage(`The sign-in with the code ${prompt.userCode} has already ended.`);
      return;
    }
    await vscode.env.clipboard.writeText(prompt.userCode);
    await vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUri, true));
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
