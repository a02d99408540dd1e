import * as vscode from 'vscode';
import { toMailServer } from '../../accounts/mail-server';
import type { AccessToken } from '../../auth/token-source';
import type { Pop3MailboxSummary } from '../../mail/pop3';
import { loadCore } from '../bundle-loader';
import { isCancellation, showError } from '../show-error';
import { AccountCommandContext } from '../accounts/account-commands';
import { ensureCredentials } from '../accounts/credentials';
import { AccountArgument, pickAccount } from '../accounts/pick-account';
import { credentialsFrom } from '../../auth/credentials';
import { xoauth2UserFor } from '../../accounts/mailboxes';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function describeMailbox(address: string, summary: Pop3MailboxSummary): string {
  const count = `${summary.messageCount} message${summary.messageCount === 1 ? '' : 's'}, ${size(summary.totalBytes)}`;
  const newest = summary.newest?.subject !== undefined
    ? ` Newest: "${summary.newest.subject}"${summary.newest.from ? ` from ${summary.newest.from}` : ''}.`
    : '';
  return `POP3 ${address}: ${count}.${newest}`;
}

/** "Exchange Mail: Check POP3 Mailbox": message count and size of the account's POP3 maildrop. */
export async function checkPop3Command(context: AccountCommandContext, argument?: AccountArgument): Promise<Pop3MailboxSummary | undefined> {
  const account = await pickAccount(context.settings, argument, 'Account to check over POP3');
  if (!account) return undefined;
  if (!account.protocols.includes('pop3')) {
    void vscode.window.showErrorMessage(`${account.address} does not use POP3. Add "pop3" to its protocols in the setting exchangeMail.accounts.`);
    return undefined;
  }
  if (!await ensureCredentials(account, context.secrets)) return undefined;
  const core = loadCore();
  const source = context.signIns.source(account);
  let lastToken: AccessToken | undefined;
  try {
    const server = toMailServer(account, 'pop3');
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking the POP3 mailbox of ${account.address}…`, cancellable: true },
      (_progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        const credentials = credentialsFrom(source, 'pop3', {
          interactive: true, signal: controller.signal, onToken: (token) => (lastToken = token), user: xoauth2UserFor(account, 'pop3'),
        });
        return core.checkPop3Mailbox(server, credentials, context.log);
      });
    const message = describeMailbox(account.address, summary);
    context.log.info(message);
    void vscode.window.showInformationMessage(message);
    return summary;
  } catch (err) {
    if (isCancellation(err)) return undefined;
    // A refused sign-in is explained from the token's claims, as Test Connection does.
    const explained = lastToken && (err as { code?: string }).code === 'auth-failed'
      ? core.explainFailure({ protocol: 'pop3', step: 'authenticate', error: err }, {
        server: toMailServer(account, 'pop3'), user: lastToken.user, address: account.address, mode: account.authMode,
        clientId: account.clientId, tenant: account.tenant, token: core.decodeClaims(lastToken.accessToken),
        resources: [account.delegatedResource, account.appOnlyResources.imapPop],
      })
      : err;
    await showError(explained, context.log, `Checking the POP3 mailbox of ${account.address} failed`);
    return undefined;
  }
}
