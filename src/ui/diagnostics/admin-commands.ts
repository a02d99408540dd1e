import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import type { AccessToken } from '../../auth/token-source';
import { loadCore } from '../bundle-loader';
import { AccountCommandContext } from '../accounts/account-commands';
import { AccountArgument, pickAccount } from '../accounts/pick-account';

/**
 * The object id of the app's service principal is the `oid` of its app-only token: asked for
 * silently, only for client-credentials accounts (any failure leaves the placeholder).
 */
async function appOnlyToken(context: AccountCommandContext, account: Account): Promise<AccessToken | undefined> {
  if (account.authMode !== 'client-credentials') return undefined;
  try {
    return await context.signIns.source(account).getToken({ protocol: account.protocols[0]!, interactive: false });
  } catch (err) {
    context.log.debug(`${account.address}: no app-only token for the admin commands: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * "Exchange Mail: Copy Exchange Admin Setup Commands": the PowerShell an Exchange admin runs for
 * the account, filled in from it (see diagnostics/admin-setup): app-only access for a
 * client-credentials account, the shared mailboxes' FullAccess and SendAs for a person, the
 * admin-consent link for both; copied to the clipboard and shown in an untitled document.
 */
export async function copyAdminCommandsCommand(context: AccountCommandContext, argument?: AccountArgument): Promise<string | undefined> {
  const account = await pickAccount(context.settings, argument, 'Account the admin sets up app-only access for');
  if (!account) return undefined;
  const core = loadCore();
  const token = await appOnlyToken(context, account);
  const claims = token ? core.decodeClaims(token.accessToken) : undefined;
  const readable = claims?.readable ? claims.claims : undefined;
  const script = core.adminSetupScript({
    clientId: account.clientId, tenant: account.tenant, mailbox: account.address,
    tokenTenantId: readable?.tid, servicePrincipalObjectId: readable && core.isAppOnly(readable) ? readable.oid : undefined,
    delegated: account.authMode !== 'client-credentials', sharedMailboxes: account.sharedMailboxes,
    adminConsentUrl: core.adminConsentUrl(account.authorityHost, account.tenant, account.clientId),
  });
  await vscode.env.clipboard.writeText(script);
  const document = await vscode.workspace.openTextDocument({ language: 'powershell', content: script });
  await vscode.window.showTextDocument(document, { preview: true });
  void vscode.window.showInformationMessage(`Copied the Exchange admin setup commands for ${account.address} to the clipboard.`);
  return script;
}
