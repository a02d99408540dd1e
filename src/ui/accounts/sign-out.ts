import * as vscode from 'vscode';
import { showError } from '../show-error';
import { AccountCommandContext } from './account-commands';
import { AccountArgument, pickAccount } from './pick-account';

/** "Exchange Mail: Sign Out": forgets the account's tokens. True when done. */
export async function signOut(context: AccountCommandContext, argument: AccountArgument): Promise<boolean> {
  const account = await pickAccount(context.settings, argument, 'Account to sign out');
  if (!account) return false;
  try {
    await context.signIns.signOut(account);
  } catch (err) {
    await showError(err, context.log, `Signing out ${account.address} failed`);
    return false;
  }
  context.log.info(`${account.address}: signed out`);
  void vscode.window.showInformationMessage(account.authMode === 'vscode'
    ? `Signed out ${account.address}. VS Code's own Microsoft session stays; sign out of it from the Accounts menu.`
    : `Signed out ${account.address}.`);
  return true;
}
