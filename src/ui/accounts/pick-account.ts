import * as vscode from 'vscode';
import type { Account, AccountEntry } from '../../accounts/account';
import type { AccountSettings } from './account-settings';
import { AccountNode } from '../tree/account-nodes';

/** How a command names its account: a tree node (context menu), an id (another command), or nothing (palette: ask). */
export type AccountArgument = AccountNode | string | undefined;

function idOf(argument: AccountArgument): string | undefined {
  if (typeof argument === 'string') return argument.trim().toLowerCase();
  if (argument instanceof AccountNode) return argument.account?.id;
  return undefined;
}

/** The valid account the command is for; asks when there is more than one. */
export async function pickAccount(settings: AccountSettings, argument: AccountArgument, placeholder: string): Promise<Account | undefined> {
  const accounts = settings.accounts();
  const id = idOf(argument);
  if (id) {
    // A shared mailbox's node names the mailbox: Test Connection and Check POP3 test it.
    const account = settings.find(id);
    if (!account) void vscode.window.showErrorMessage(`There is no valid Exchange Mail account ${id}.`);
    return account;
  }
  if (accounts.length === 0) {
    const add = 'Add Account…';
    const invalid = settings.entries().length > 0;
    const choice = await vscode.window.showInformationMessage(
      invalid ? 'No Exchange Mail account has valid settings.' : 'There is no Exchange Mail account yet.', add);
    if (choice === add) await vscode.commands.executeCommand('exchangeMail.addAccount');
    return undefined;
  }
  if (accounts.length === 1) return accounts[0];
  const picked = await vscode.window.showQuickPick(
    accounts.map((a) => ({ label: a.address, description: a.authMode, account: a })),
    { placeHolder: placeholder, title: 'Exchange Mail' },
  );
  return picked?.account;
}

/** Any entry, valid or not (Remove Account must reach broken ones too). */
export async function pickEntry(settings: AccountSettings, argument: AccountArgument, placeholder: string): Promise<AccountEntry | undefined> {
  const entries = settings.entries();
  if (argument instanceof AccountNode) return argument.entry;
  const label = (e: AccountEntry) => (e.valid ? e.account.address : e.label);
  if (typeof argument === 'string') {
    const wanted = argument.trim().toLowerCase();
    return entries.find((e) => label(e).toLowerCase() === wanted || (!e.valid && e.label.toLowerCase() === `account ${wanted}`));
  }
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('There is no Exchange Mail account to remove.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: label(e), description: e.valid ? e.account.authMode : 'invalid settings', entry: e })),
    { placeHolder: placeholder, title: 'Exchange Mail' },
  );
  return picked?.entry;
}
