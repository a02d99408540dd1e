import * as vscode from 'vscode';
import { isCancellation, showError } from '../show-error';
import { AccountCommandContext } from './account-commands';
import { ensureCredentials } from './credentials';
import { AccountArgument, pickAccount } from './pick-account';

/**
 * "Exchange Mail: Sign In": an interactive token for the account's first protocol (the consent
 * covers all of them) under a cancellable progress notification. True when signed in.
 */
export async function signIn(context: AccountCommandContext, argument: AccountArgument): Promise<boolean> {
  const account = await pickAccount(context.settings, argument, 'Account to sign in');
  if (!account) return false;
  if (!await ensureCredentials(account, context.secrets)) return false;
  try {
    const token = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in ${account.address}…`, cancellable: true },
      (_progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        return context.signIns.signIn(account, controller.signal);
      });
    context.log.info(`${account.address}: signed in as ${token.user}`);
    void vscode.window.showInformationMessage(token.user.toLowerCase() === account.id
      ? `Signed in ${account.address}.`
      : `Signed in ${account.address} as ${token.user}.`);
    return true;
  } catch (err) {
    if (isCancellation(err)) {
      context.log.info(`${account.address}: sign-in cancelled`);
      return false;
    }
    const action = await showError(err, context.log, `Signing in ${account.address} failed`);
    if (action === 'retry' || action === 'signIn') return signIn(context, account.id);
    return false;
  }
}
