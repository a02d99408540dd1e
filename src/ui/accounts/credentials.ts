import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { appSecretOf } from '../../accounts/auth-modes';
import { readPrivateKeyFile } from '../../accounts/fields';
import { signInOf } from '../../accounts/mailboxes';
import { secretKeys } from '../../auth/token-source';

/**
 * The app's own secret for web-app and client-credentials accounts, asked for when SecretStorage
 * does not have it (an account written by hand, or a secret removed). False when the user cancelled.
 */
export async function ensureCredentials(mailbox: Account, secrets: vscode.SecretStorage): Promise<boolean> {
  // A shared mailbox uses its account's secret.
  const account = signInOf(mailbox);
  const needed = appSecretOf(account);
  if (!needed) return true;
  const key = secretKeys[needed](account.id);
  if (await secrets.get(key)) return true;
  const value = needed === 'clientSecret' ? await askClientSecret(account) : await askPrivateKey(account);
  if (value === undefined) return false;
  await secrets.store(key, value);
  return true;
}

async function askClientSecret(account: Account): Promise<string | undefined> {
  const secret = await vscode.window.showInputBox({
    title: `Client secret for ${account.address}`,
    prompt: 'The client secret\'s Value from Certificates & secrets; kept in VS Code\'s secret storage, never in settings',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'Enter the client secret\'s value'),
  });
  return secret ? secret.trim() : undefined;
}

/** The PEM read from the file the user names; the path is not kept. */
async function askPrivateKey(account: Account): Promise<string | undefined> {
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
  if (!path) return undefined;
  const read = readPrivateKeyFile(path.trim());
  return 'problem' in read ? undefined : read.pem;
}
