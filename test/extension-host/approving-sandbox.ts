/**
 * Helpers of the extension-host suites that sign in against a sandbox: the approving sandbox
 * itself (test/sandbox/approving), and the user's settings and waiting, through the vscode API.
 */
import * as assert from 'node:assert/strict';
import type { ImapFlow } from 'imapflow';
import * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import type { ApprovingSandbox } from '../sandbox/approving';
import { ALICE } from '../sandbox/approving';
import { withMailbox as withSandboxMailbox } from '../sandbox/imapflow-client';

export { ALICE, startApprovingSandbox } from '../sandbox/approving';
export type { ApprovingSandbox } from '../sandbox/approving';

/** `use` with a client of `user`'s mailbox of its own, straight to the sandbox's Exchange IMAP (not through the extension). */
export function withMailbox<T>(sandbox: ApprovingSandbox, user: string, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  return withSandboxMailbox(sandbox.box, user, use);
}

/** Writes `exchangeMail.accounts` in user settings, as the user would; undefined removes it. */
export async function setAccounts(value: unknown[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('exchangeMail').update('accounts', value, vscode.ConfigurationTarget.Global);
}

/** A suite's start: `accounts` in user settings, the extension active, and alice signed in (by device code, which the sandbox approves). */
export async function signInAlice(accounts: unknown[]): Promise<ExchangeMailApi> {
  await setAccounts(accounts);
  const api = await vscode.extensions.getExtension<ExchangeMailApi>('exchange-mail.exchange-mail')!.activate();
  assert.equal(await vscode.commands.executeCommand('exchangeMail.signIn', ALICE), true, 'alice could not sign in');
  return api;
}
