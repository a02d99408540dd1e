/**
 * Helpers of the extension-host suites that sign in against a sandbox: the approving sandbox
 * itself (test/sandbox/approving), and the user's settings and waiting, through the vscode API.
 */
import * as vscode from 'vscode';

export { ALICE, startApprovingSandbox } from '../sandbox/approving';
export type { ApprovingSandbox } from '../sandbox/approving';

/** Writes `exchangeMail.accounts` in user settings, as the user would; undefined removes it. */
export async function setAccounts(value: unknown[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('exchangeMail').update('accounts', value, vscode.ConfigurationTarget.Global);
}
