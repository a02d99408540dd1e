/**
 * The mailboxes one sign-in opens: the account's own, then each of its shared mailboxes. Exchange
 * lets a person with FullAccess open a shared mailbox with their own delegated token (the shared
 * address as XOAUTH2 `user=`, for IMAP and POP), and an app with a mailbox permission open any
 * such mailbox with its one app-only token. A shared mailbox is handled as an account of its own
 * (its id names it in the view, its sessions and its documents), `openedBy` the account whose
 * token and secrets it uses.
 */
import type { Account, AccountSetting } from './account';
import { checkEmail, shown } from './fields';
import type { Protocol } from '../mail/server';

/** The account a shared mailbox is added to, as far as adding one needs it. */
type MailboxOwner = Pick<Account, 'address' | 'sharedMailboxes'>;

/** `alice@contoso.test>shared@contoso.test`: unique beside every account id (an address has no `>`). */
export function sharedMailboxId(owner: Account, address: string): string {
  return `${owner.id}>${address.trim().toLowerCase()}`;
}

/** The account's shared mailboxes, each as the account it is opened as. */
export function sharedMailboxesOf(account: Account): Account[] {
  return account.sharedMailboxes.map((address) => ({
    ...account, id: sharedMailboxId(account, address), address, sharedMailboxes: [], openedBy: account,
  }));
}

/** The account whose sign-in opens this mailbox: itself, or the one that shares it. */
export function signInOf(mailbox: Account): Account {
  return mailbox.openedBy ?? mailbox;
}

/**
 * The XOAUTH2 user for a protocol: a shared mailbox for IMAP and POP; undefined (the token's own
 * user) for SMTP with a delegated token, where Exchange takes only the signed-in user and a
 * shared From needs SendAs. App-only tokens always name the mailbox.
 */
export function xoauth2UserFor(mailbox: Account, protocol: Protocol): string | undefined {
  if (!mailbox.openedBy) return undefined;
  if (protocol === 'smtp' && mailbox.authMode !== 'client-credentials') return undefined;
  return mailbox.address;
}

/**
 * What is wrong with adding `typed` to the owner's shared mailboxes, as a sentence for the user;
 * undefined when it can be added. The owner's own address is its own mailbox, also for a
 * client-credentials account, whose own is the mailbox its address names.
 */
export function sharedMailboxProblem(owner: MailboxOwner, typed: string): string | undefined {
  const address = typed.trim();
  const wanted = address.toLowerCase();
  if (!address) return 'Enter the shared mailbox\'s address, such as support@contoso.com.';
  if (checkEmail(address)) return `${shown(address)} is not a mailbox address: enter one such as support@contoso.com.`;
  if (wanted === owner.address.trim().toLowerCase()) return `${owner.address.trim()} is the account's own mailbox.`;
  if (owner.sharedMailboxes.some((m) => m.trim().toLowerCase() === wanted)) return `${address} is already one of ${owner.address.trim()}'s shared mailboxes.`;
  return undefined;
}

/** The owner's shared mailboxes with `typed` added (checked first with sharedMailboxProblem). */
export function withSharedMailbox(owner: MailboxOwner, typed: string): string[] {
  return [...owner.sharedMailboxes, typed.trim()];
}

/** Puts the list into an account's setting as the settings keep it: the field left out when there is none. */
export function storeSharedMailboxes(setting: Pick<AccountSetting, 'sharedMailboxes'>, mailboxes: readonly string[]): void {
  if (mailboxes.length) setting.sharedMailboxes = [...mailboxes];
  else delete setting.sharedMailboxes;
}
