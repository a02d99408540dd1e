import type * as vscode from 'vscode';
import type { AccountSettings } from './account-settings';
import type { SignIns } from './sign-ins';

/** What the account commands work with. */
export interface AccountCommandContext {
  settings: AccountSettings;
  signIns: SignIns;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
}
