import * as vscode from 'vscode';
import { toAuthSettings } from '../../accounts/auth-settings';
import { toMailServer } from '../../accounts/mail-server';
import { xoauth2UserFor } from '../../accounts/mailboxes';
import type { TestConnectionResult } from '../../diagnostics/test-connection';
import { PROTOCOL_NAMES } from '../../mail/server';
import { loadCore } from '../bundle-loader';
import { ProtocolArgument, pickProtocols } from './pick-protocol';
import { isCancellation, showError } from '../show-error';
import { AccountCommandContext } from '../accounts/account-commands';
import { ensureCredentials } from '../accounts/credentials';
import { AccountArgument, pickAccount } from '../accounts/pick-account';

/**
 * "Exchange Mail: Test Connection": token, connect, authenticate, disconnect for the chosen
 * protocols; the checklist goes to the Exchange Mail log (shown), the summary to a notification.
 * Resolves with the result (undefined when cancelled) so other commands and tests can read it.
 */
export async function testConnectionCommand(context: AccountCommandContext, argument?: AccountArgument, protocol?: ProtocolArgument): Promise<TestConnectionResult | undefined> {
  const account = await pickAccount(context.settings, argument, 'Account to test');
  if (!account) return undefined;
  const protocols = await pickProtocols(account, protocol, true, 'Protocol to test');
  if (!protocols) return undefined;
  if (!await ensureCredentials(account, context.secrets)) return undefined;
  const core = loadCore();
  const { log } = context;
  let result: TestConnectionResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Testing ${account.address}`, cancellable: true },
      (progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        return core.testConnection(
          { auth: toAuthSettings(account), serverFor: (p) => toMailServer(account, p) },
          protocols,
          {
            tokenSource: context.signIns.source(account), log, interactive: true, signal: controller.signal,
            onStep: (p, step) => progress.report({ message: `${PROTOCOL_NAMES[p]}: ${step}…` }),
            mailboxUser: (p) => xoauth2UserFor(account, p),
          },
        );
      });
  } catch (err) {
    if (isCancellation(err)) {
      log.info(`${account.address}: Test Connection cancelled`);
      return undefined;
    }
    await showError(err, log, `Testing ${account.address} failed`);
    return undefined;
  }
  for (const line of core.formatChecklist(result)) {
    if (line.startsWith('✘') || line.trimStart().startsWith('✘')) log.error(line);
    else if (line.trimStart().startsWith('⚠')) log.warn(line);
    else log.info(line);
  }
  log.show(true);
  const summary = `${account.address}: ${core.summaryLine(result)}`;
  const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(summary, 'Show Log').then((choice) => {
    if (choice === 'Show Log') log.show(true);
  });
  return result;
}
