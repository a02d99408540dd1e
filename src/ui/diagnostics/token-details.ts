import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import type { Protocol } from '../../mail/server';
import { PROTOCOL_NAMES } from '../../mail/server';
import { loadCore } from '../bundle-loader';
import { ProtocolArgument, pickProtocols } from './pick-protocol';
import { isCancellation, showError } from '../show-error';
import { AccountCommandContext } from '../accounts/account-commands';
import { ensureCredentials } from '../accounts/credentials';
import { AccountArgument, pickAccount } from '../accounts/pick-account';

function hostOf(account: Account, protocol: Protocol): string | undefined {
  return account.servers[protocol]?.host;
}

/**
 * "Exchange Mail: Show Token Details": the decoded claims of the account's token for one protocol
 * in an untitled Markdown document, with the expiry in local time and what does not fit. The
 * token is had silently when it can be; the token itself is never shown.
 */
export async function showTokenDetailsCommand(context: AccountCommandContext, argument?: AccountArgument, protocol?: ProtocolArgument): Promise<vscode.TextDocument | undefined> {
  const account = await pickAccount(context.settings, argument, 'Account whose token to show');
  if (!account) return undefined;
  const picked = await pickProtocols(account, protocol, false, 'Protocol whose token to show');
  if (!picked?.length) return undefined;
  const chosen = picked[0]!;
  if (!await ensureCredentials(account, context.secrets)) return undefined;
  const core = loadCore();
  try {
    const token = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Getting the ${PROTOCOL_NAMES[chosen]} token of ${account.address}…`, cancellable: true },
      (_progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        return context.signIns.source(account).getToken({ protocol: chosen, interactive: true, signal: controller.signal });
      });
    const content = core.tokenReport(core.decodeClaims(token.accessToken), {
      protocol: chosen, account: account.address, address: token.user, mode: account.authMode, expectedTenant: account.tenant,
      host: hostOf(account, chosen), resources: [account.delegatedResource, account.appOnlyResources.imapPop, account.appOnlyResources.smtp],
    });
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  } catch (err) {
    if (isCancellation(err)) return undefined;
    await showError(err, context.log, `Getting the ${PROTOCOL_NAMES[chosen]} token of ${account.address} failed`);
    return undefined;
  }
}

