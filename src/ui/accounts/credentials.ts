import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { readPrivateKeyFile } from '../../accounts/fields';
import { secretKeys } from '../../auth/token-source';

/**
 * The app's own secret for web-app and client-credentials accounts, asked for when SecretStorage
 * does not have it (an account written by hand, or a secret removed). False when the user cancelled.
 */
export async function ensureCredentials(account: Account, secrets: vscode.SecretStorage): Promise<boolean> {
  const needsSecret = account.authMode === 'web-app' || (account.authMode === 'client-credentials' && account.credential === 'secret');
  const needsKey = account.authMode === 'client-credentials' && account.credential === 'certificate';
  if (needsSecret) {
    const key = secretKeys.clientSecret(account.id);
    if (await secrets.get(key)) return true;
    const secret = await vscode.window.showInputBox({
      title: `Client secret for ${account.address}`,
      prompt: 'The client secret\'s Value from Certificates & secrets; kept in VS Code\'s secret storage, never in settings',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : 'Enter the client secret\'s value'),
    });
    if (!secret) return false;
    await secrets.store(key, secret.trim());
  }
  if (needsKey) {
    const key = secretKeys.certificatePrivateKey(account.id);
    if (await secrets.get(key)) return true;
    const path = await vscode.window.showInputBox({
      title: `Certificate private key for ${account.address}`,
      prompt: 'Path of the PEM private key of the registered certificate: it is read now and kept in VS Code\'s secret storage',
      placeHolder: '/path/to/private-key.pem',
      ignoreFocusOut: true,
      validateInput: (text) => {
        const read = readPrivateKeyFile(text.trim());
        return 'problem' in read ? `The private key file ${read.problem}` : undefined;
      },
    });
    if (!path) return false;
    const read = readPrivateKeyFile(path.trim());
    if ('problem' in read) return false;
    await secrets.store(key, read.pem);
  }
  return true;
}
