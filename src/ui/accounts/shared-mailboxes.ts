/**
 * "Add Shared Mailbox…" on an account and "Remove Shared Mailbox" on a shared mailbox: what the
 * account's `sharedMailboxes` setting lists. The mailbox shows in the Mailboxes view at once;
 * whether the sign-in may open it is the server's answer (FullAccess, or the app's mailbox
 * permission), shown under it with the command that grants it.
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { sharedMailboxProblem, signInOf, withSharedMailbox } from '../../accounts/mailboxes';
import type { AccountSettings } from './account-settings';
import { AccountArgument, pickAccount } from './pick-account';
import { AccountNode } from '../tree/account-nodes';

/** Asks for the address (checked as typed) and adds it; resolves with the address added. */
export async function addSharedMailbox(settings: AccountSettings, argument: AccountArgument, address?: string): Promise<string | undefined> {
  const account = await pickAccount(settings, argument, 'Account whose sign-in opens the shared mailbox');
  if (!account) return undefined;
  const owner = signInOf(account);
  const problem = (value: string): string | undefined => sharedMailboxProblem(owner, value);
  const typed = address ?? await vscode.window.showInputBox({
    title: `Add a shared mailbox to ${owner.address}`,
    prompt: owner.authMode === 'client-credentials'
      ? 'A mailbox the app has a mailbox permission on (Add-MailboxPermission for its service principal).'
      : `A mailbox ${owner.address} has FullAccess to (Add-MailboxPermission); sending as it also needs SendAs (Add-RecipientPermission).`,
    placeHolder: 'support@contoso.com',
    ignoreFocusOut: true,
    validateInput: problem,
  });
  if (typed === undefined) return undefined;
  const refused = problem(typed);
  if (refused) {
    void vscode.window.showErrorMessage(refused);
    return undefined;
  }
  await settings.setSharedMailboxes(owner, withSharedMailbox(owner, typed));
  return typed.trim();
}

/** Removes the shared mailbox from its account's settings; its session closes with the change. */
export async function removeSharedMailbox(settings: AccountSettings, node: AccountNode | undefined): Promise<boolean> {
  const mailbox: Account | undefined = node?.account;
  const owner = mailbox?.openedBy;
  if (!mailbox || !owner) {
    void vscode.window.showErrorMessage('Choose a shared mailbox in the Mailboxes view to remove it.');
    return false;
  }
  const left = owner.sharedMailboxes.filter((m) => m.toLowerCase() !== mailbox.address.toLowerCase());
  await settings.setSharedMailboxes(owner, left);
  return true;
}
