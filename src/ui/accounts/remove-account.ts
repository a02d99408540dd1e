import * as vscode from 'vscode';
import { secretKeys } from '../../auth/token-source';
import type { AccountEntry } from '../../accounts/account';
import { AccountCommandContext } from './account-commands';
import { AccountArgument, pickEntry } from './pick-account';

export type Confirm = (message: string, detail: string, action: string) => Promise<boolean>;

const confirmModal: Confirm = async (message, detail, action) =>
  (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;

/**
 * "Exchange Mail: Remove Account": signs the account out, deletes its secrets and removes its
 * settings entry. True when it was removed.
 */
export async function removeAccount(context: AccountCommandContext, argument: AccountArgument, confirm: Confirm = confirmModal): Promise<boolean> {
  const entry = await pickEntry(context.settings, argument, 'Account to remove');
  if (!entry) return false;
  const name = entry.valid ? entry.account.address : entry.label;
  const ok = await confirm(`Remove ${name} from Exchange Mail?`,
    'Its entry in the setting exchangeMail.accounts, its stored client secret or private key and its sign-in are removed. Mail on the server is not touched.',
    'Remove');
  if (!ok) return false;
  await forget(context, entry);
  await context.settings.remove(entry);
  context.log.info(`Removed account ${name}`);
  return true;
}

async function forget(context: AccountCommandContext, entry: AccountEntry): Promise<void> {
  const address = entry.valid ? entry.account.id : String((entry.setting as { address?: unknown } | null)?.address ?? '').trim().toLowerCase();
  if (entry.valid) {
    await context.signIns.signOut(entry.account).catch((err: unknown) =>
      context.log.warn(`Signing ${address} out while removing it failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  if (address) {
    await context.secrets.delete(secretKeys.clientSecret(address));
    await context.secrets.delete(secretKeys.certificatePrivateKey(address));
  }
}
