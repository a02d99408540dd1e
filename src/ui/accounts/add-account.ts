import * as vscode from 'vscode';
import { secretKeys } from '../../auth/token-source';
import type { AccountSetting } from '../../accounts/account';
import { WizardPrompts } from './prompts';
import { QuickInputPrompts } from './quick-input-prompts';
import { runAddAccountWizard } from './wizard';
import { AccountCommandContext } from './account-commands';

/**
 * "Exchange Mail: Add Account…": the wizard, then the secrets into SecretStorage and the account
 * into user settings. Resolves with the written setting, or undefined when cancelled.
 */
export async function addAccount(context: AccountCommandContext, prompts: WizardPrompts = new QuickInputPrompts()): Promise<AccountSetting | undefined> {
  const existing = context.settings.entries().map((e) => (e.valid ? e.account.id : String((e.setting as { address?: unknown } | null)?.address ?? '').toLowerCase()));
  const result = await runAddAccountWizard(prompts, { existing });
  if (!result) return undefined;
  const { setting } = result;
  const id = setting.address.toLowerCase();
  // Secrets first: once the setting exists, the account may be used at once.
  if (result.clientSecret) await context.secrets.store(secretKeys.clientSecret(id), result.clientSecret);
  if (result.certificatePrivateKey) await context.secrets.store(secretKeys.certificatePrivateKey(id), result.certificatePrivateKey);
  await context.settings.add(setting);
  context.log.info(`Added account ${setting.address} (${setting.preset}, ${setting.authMode})`);
  const signIn = 'Sign In';
  void vscode.window.showInformationMessage(`Added ${setting.address} to Exchange Mail.`, signIn).then((choice) => {
    if (choice === signIn) void vscode.commands.executeCommand('exchangeMail.signIn', id);
  });
  return setting;
}
