/**
 * Which address sends: the one the front matter names in `from:`, else the only one that can,
 * else the user's pick with the last one used first. The addresses are the accounts' own and
 * their shared mailboxes' (sent as with the account's sign-in: SendAs, see ../../accounts/mailboxes).
 * The last sender is remembered in globalState (an account or mailbox id, not a secret).
 */
import type * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { ExplainedError } from '../../errors';
import type { MailAddress } from '../../mail/compose';
import type { SendPrompts } from './send-prompts';

const LAST_SENDER_KEY = 'exchangeMail.send.lastAccount';

export interface Sender {
  /** The account, or the shared mailbox, whose address is the From. */
  account: Account;
  /** The From address: the account's, with the display name the front matter gave, if any. */
  from: MailAddress;
}

export function lastSenderId(memento: vscode.Memento): string | undefined {
  return memento.get<string>(LAST_SENDER_KEY);
}

export async function rememberSender(memento: vscode.Memento, account: Account): Promise<void> {
  await memento.update(LAST_SENDER_KEY, account.id);
}

/** The accounts that can send, the last used first, the others in settings order. */
export function sendingAccounts(accounts: Account[], lastUsedId: string | undefined): Account[] {
  const senders = accounts.filter((a) => a.protocols.includes('smtp'));
  const last = senders.find((a) => a.id === lastUsedId);
  return last ? [last, ...senders.filter((a) => a !== last)] : senders;
}

function noSmtpAccount(accounts: Account[]): ExplainedError {
  return new ExplainedError(`None of your Exchange Mail accounts sends mail: ${accounts.map((a) => a.address).join(', ')} ${accounts.length === 1 ? 'does' : 'do'} not use SMTP.`,
    'Add "smtp" to an account\'s `protocols` in the setting exchangeMail.accounts.', { code: 'no-smtp-account', actions: ['openSettings'] });
}

/**
 * The account the front matter's `from:` names. Throws an ExplainedError naming the address
 * when it is not one of the user's accounts or does not send mail.
 */
export function senderFromFrontMatter(from: MailAddress, accounts: Account[]): Sender {
  // Accounts come before shared mailboxes: an address that is both is sent from its own account.
  const account = accounts.find((a) => a.address.toLowerCase() === from.address.toLowerCase());
  if (!account) {
    const yours = accounts.length ? ` Your addresses: ${accounts.map((a) => a.address).join(', ')}.` : '';
    throw new ExplainedError(`The front matter says "from: ${from.address}", which is not one of your Exchange Mail accounts or shared mailboxes.${yours}`,
      `Change \`from:\` to one of your addresses, or remove it to choose when sending. If ${from.address} is a shared mailbox you may send as `
        + '(SendAs), add it to your account with "Exchange Mail: Add Shared Mailbox…"; if it is a mailbox of its own, add it with "Exchange Mail: Add Account…".',
      { code: 'unknown-sender' });
  }
  if (!account.protocols.includes('smtp')) {
    throw new ExplainedError(`The front matter says "from: ${from.address}", but that account does not use SMTP.`,
      `Add "smtp" to the \`protocols\` of ${account.address} in the setting exchangeMail.accounts, or send from another account.`,
      { code: 'no-smtp-account', actions: ['openSettings'] });
  }
  return { account, from: from.name ? { name: from.name, address: account.address } : { address: account.address } };
}

/** Asks when there is a choice; throws an ExplainedError when no account can send. */
export async function chooseSender(accounts: Account[], memento: vscode.Memento, prompts: SendPrompts): Promise<Sender | 'cancelled'> {
  const lastUsed = lastSenderId(memento);
  const senders = sendingAccounts(accounts, lastUsed);
  if (senders.length === 0) throw noSmtpAccount(accounts);
  const account = senders.length === 1 ? senders[0] : await prompts.account(senders, lastUsed);
  return account ? { account, from: { address: account.address } } : 'cancelled';
}
