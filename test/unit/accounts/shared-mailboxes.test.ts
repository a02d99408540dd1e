import * as assert from 'node:assert/strict';
import { Account, parseAccount } from '../../../src/accounts/account';
import { sharedMailboxesOf, signInOf, xoauth2UserFor } from '../../../src/accounts/mailboxes';
import { CLIENT_ID, TENANT_ID } from './fixtures';

function account(extra: Record<string, unknown>): Account {
  const result = parseAccount({ address: 'alice@contoso.com', clientId: CLIENT_ID, ...extra });
  assert.ok('account' in result, JSON.stringify(result));
  return result.account;
}

function problems(extra: Record<string, unknown>): string[] {
  const result = parseAccount({ address: 'alice@contoso.com', clientId: CLIENT_ID, ...extra });
  return 'problems' in result ? result.problems.map((p) => `${p.field} ${p.problem}`) : [];
}

describe('Shared mailboxes of an account', () => {
  it('are opened with the account\'s sign-in, each under its own id and name', () => {
    const alice = account({ sharedMailboxes: ['support@contoso.com', ' Billing@contoso.com '] });
    const shared = sharedMailboxesOf(alice);
    assert.deepEqual(shared.map((m) => [m.id, m.address, signInOf(m).id]), [
      ['alice@contoso.com>support@contoso.com', 'support@contoso.com', 'alice@contoso.com'],
      ['alice@contoso.com>billing@contoso.com', 'Billing@contoso.com', 'alice@contoso.com'],
    ]);
  });

  it('with a delegated token: IMAP and POP log in as the shared mailbox, SMTP as the signed-in user (Exchange refuses user= another for SMTP)', () => {
    const [support] = sharedMailboxesOf(account({ sharedMailboxes: ['support@contoso.com'] }));
    assert.deepEqual(['imap', 'pop3', 'smtp'].map((p) => xoauth2UserFor(support!, p as 'imap')), ['support@contoso.com', 'support@contoso.com', undefined]);
  });

  it('with an app-only token: every protocol logs in as the mailbox', () => {
    const daemon = account({ authMode: 'client-credentials', credential: 'secret', tenant: TENANT_ID, sharedMailboxes: ['alerts@contoso.com'] });
    const [alerts] = sharedMailboxesOf(daemon);
    assert.deepEqual(['imap', 'pop3', 'smtp'].map((p) => xoauth2UserFor(alerts!, p as 'imap')), ['alerts@contoso.com', 'alerts@contoso.com', 'alerts@contoso.com']);
    assert.equal(xoauth2UserFor(daemon, 'imap'), undefined, 'the account\'s own mailbox uses the token\'s user');
  });

  it('refuses a list that is not addresses, names the account\'s own address, or names one twice', () => {
    assert.match(problems({ sharedMailboxes: 'support@contoso.com' }).join(), /^sharedMailboxes must be a list of mailbox addresses/);
    assert.match(problems({ sharedMailboxes: ['support'] }).join(), /sharedMailboxes must list mailbox addresses such as "support@contoso\.com" \(got "support"\)/);
    assert.match(problems({ sharedMailboxes: ['ALICE@contoso.com'] }).join(), /other mailboxes than the account's own, each once/);
    assert.match(problems({ sharedMailboxes: ['a@contoso.com', 'A@contoso.com'] }).join(), /each once/);
  });
});
