import * as assert from 'node:assert/strict';
import { AccountEntry, describeProblem, parseAccount, parseAccounts } from '../../../src/accounts/account';
import { CLIENT_ID, TENANT_ID, testPki } from './fixtures';

const bob = { address: 'bob@contoso.test', clientId: CLIENT_ID };

function problemsOf(setting: unknown): string[] {
  const [entry] = parseAccounts([setting]);
  return entry.valid ? [] : entry.problems.map((p) => describeProblem(entry.label, p));
}

function accountOf(setting: unknown) {
  const result = parseAccount(setting);
  assert.ok('account' in result, `unexpected problems: ${JSON.stringify((result as { problems: unknown }).problems)}`);
  return result.account;
}

describe('The account setting', () => {
  it('an address and a client id make a Microsoft 365 account signing in through VS Code, with every protocol', () => {
    const account = accountOf(bob);
    assert.equal(account.id, 'bob@contoso.test');
    assert.equal(account.preset, 'microsoft365');
    assert.equal(account.authMode, 'vscode');
    assert.equal(account.tenant, 'organizations');
    assert.deepEqual(account.protocols, ['imap', 'pop3', 'smtp']);
    assert.equal(account.servers.smtp?.host, 'smtp.office365.com');
    assert.equal(account.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(account.sentCopy, 'auto');
  });

  it('a bad port names the account and the field', () => {
    assert.deepEqual(problemsOf({ ...bob, imap: { port: 99999 } }),
      ['Account bob@contoso.test: `imap.port` must be a number from 1 to 65535 (got 99999)']);
  });

  it('an account without a usable address is named by its position', () => {
    assert.deepEqual(problemsOf({ address: 'bob', clientId: CLIENT_ID }),
      ['Account bob: `address` must be an email address such as someone@contoso.com (got "bob")']);
    const [, second] = parseAccounts([bob, { clientId: CLIENT_ID }]);
    assert.equal(second.valid ? '' : second.label, 'Account #2');
  });

  it('every problem of an account is reported, not only the first', () => {
    const fields = problemsOf({ address: 'x', clientId: 'y', tenant: 'a b', preset: 'gmail' }).map((m) => /`([^`]+)`/.exec(m)?.[1]);
    assert.deepEqual(fields, ['address', 'preset', 'clientId', 'tenant']);
  });

  it('one invalid account leaves the others valid', () => {
    const entries = parseAccounts([bob, { ...bob, address: 'alice@contoso.test', smtp: { port: 0 } }, { ...bob, address: 'carol@contoso.test' }]);
    assert.deepEqual(entries.map((e: AccountEntry) => e.valid), [true, false, true]);
  });

  it('a second account with the same address is refused', () => {
    const entries = parseAccounts([bob, { ...bob, address: 'BOB@contoso.test' }]);
    assert.equal(entries[1].valid, false);
    assert.match(entries[1].valid ? '' : entries[1].problems[0].problem, /must be unique/);
  });

  it('a setting that is not an array is reported as a whole', () => {
    const [entry] = parseAccounts({ address: 'bob@contoso.test' });
    assert.equal(entry.valid, false);
    assert.match(entry.valid ? '' : describeProblem(entry.label, entry.problems[0]), /^Setting exchangeMail.accounts: `\(setting\)` must be an array/);
    assert.deepEqual(parseAccounts(undefined), []);
  });

  it('a secret written into settings is refused with where it belongs', () => {
    assert.deepEqual(problemsOf({ ...bob, clientSecret: 'hunter2' }),
      ['Account bob@contoso.test: `clientSecret` must not be in settings: secrets live in VS Code\'s secret storage. Remove it and run "Exchange Mail: Add Account…" to enter it there']);
  });

  it('a secret is refused at any depth and in any spelling, naming the field', () => {
    const fields = (extra: Record<string, unknown>) => problemsOf({ ...bob, ...extra }).map((p) => p.split('`')[1]);
    assert.deepEqual([
      fields({ client_secret: 'x' }), fields({ ClientSecret: 'x' }), fields({ token: 'x' }), fields({ imap: { host: 'mail.contoso.test', password: 'x' } }),
      fields({ appOnlyResources: { 'refresh-token': 'x' } }), fields({ PRIVATE_KEY: 'x', Access_Token: 'x' }),
    ], [['client_secret'], ['ClientSecret'], ['token'], ['imap.password'], ['appOnlyResources.refresh-token'], ['PRIVATE_KEY', 'Access_Token']]);
  });

  it('a problem message never repeats a secret-looking value', () => {
    const messages = problemsOf({ ...bob, clientSecret: 'hunter2-secret-value' }).join('\n');
    assert.doesNotMatch(messages, /hunter2/);
  });

  it('a Custom account needs the host and port of each protocol it uses', () => {
    assert.deepEqual(problemsOf({ ...bob, preset: 'custom', protocols: ['imap'], imap: { host: 'mail.contoso.test' } }),
      ['Account bob@contoso.test: `imap.port` must be set for a Custom account that uses IMAP (a number from 1 to 65535)']);
  });

  it('a Custom port without security gets that port\'s usual one', () => {
    const account = accountOf({ ...bob, preset: 'custom', protocols: ['imap', 'smtp'],
      imap: { host: '127.0.0.1', port: 10993 }, smtp: { host: '127.0.0.1', port: 10587 } });
    assert.equal(account.servers.imap?.security, 'starttls');
    assert.equal(accountOf({ ...bob, preset: 'custom', protocols: ['imap'], imap: { host: 'h.test', port: 993 } }).servers.imap?.security, 'tls');
    assert.equal(account.servers.pop3, undefined);
  });

  it('a preset server can be overridden field by field', () => {
    const account = accountOf({ ...bob, smtp: { host: 'smtp.contoso.test' } });
    assert.deepEqual(account.servers.smtp, { host: 'smtp.contoso.test', port: 587, security: 'starttls' });
  });

  it('security must be tls or starttls', () => {
    assert.deepEqual(problemsOf({ ...bob, imap: { security: 'ssl' } }),
      ['Account bob@contoso.test: `imap.security` must be "tls" or "starttls" (got "ssl")']);
  });

  it('protocols must be a non-empty list of imap, pop3, smtp', () => {
    assert.match(problemsOf({ ...bob, protocols: [] })[0], /`protocols` must list one or more of "imap", "pop3", "smtp"/);
    assert.match(problemsOf({ ...bob, protocols: ['imap', 'ews'] })[0], /`protocols`/);
  });

  it('the authority host and resources must be https origins', () => {
    assert.match(problemsOf({ ...bob, authorityHost: 'http://127.0.0.1:8443' })[0], /`authorityHost` must be an https:\/\/ address without a path/);
    assert.match(problemsOf({ ...bob, delegatedResource: 'outlook.office.com' })[0], /`delegatedResource` must be an https:\/\/ address/);
    assert.match(problemsOf({ ...bob, appOnlyResources: { smtp: 'x' } })[0], /`appOnlyResources.smtp`/);
  });

  it('an unreadable CA file or one without a certificate is refused', () => {
    const { caFile, notPem } = testPki();
    assert.equal(accountOf({ ...bob, caFile }).caFile, caFile);
    assert.match(problemsOf({ ...bob, caFile: '/nonexistent/ca.pem' })[0], /^Account bob@contoso.test: `caFile` cannot be read: \/nonexistent\/ca.pem \(there is no such file\)$/);
    assert.match(problemsOf({ ...bob, caFile: notPem })[0], /`caFile` must hold a PEM certificate/);
  });

  it('client credentials need a credential, and a certificate its thumbprint', () => {
    const daemon = { ...bob, address: 'shared@contoso.test', authMode: 'client-credentials', tenant: TENANT_ID };
    assert.match(problemsOf(daemon)[0], /`credential` must be "secret" or "certificate" for authMode "client-credentials"/);
    assert.match(problemsOf({ ...daemon, credential: 'certificate' })[0], /`certificateThumbprint` must be the certificate's SHA-256 thumbprint/);
    assert.equal(accountOf({ ...daemon, credential: 'secret' }).credential, 'secret');
    assert.equal(accountOf({ ...daemon, credential: 'certificate', certificateThumbprint: 'ab:'.repeat(31) + 'ab' }).certificateThumbprint, 'AB'.repeat(32));
  });

  it('client credentials need one named tenant, not organizations', () => {
    assert.match(problemsOf({ ...bob, authMode: 'client-credentials', credential: 'secret' })[0],
      /`tenant` must name one directory for authMode "client-credentials"/);
    assert.equal(accountOf({ ...bob, authMode: 'client-credentials', credential: 'secret', tenant: 'contoso.onmicrosoft.com' }).tenant, 'contoso.onmicrosoft.com');
  });

  it('a credential on a delegated account is pointed out', () => {
    assert.match(problemsOf({ ...bob, credential: 'secret' })[0], /`credential` applies only to authMode "client-credentials"/);
  });

  it('a personal Outlook.com account signs in with tenant consumers or common and has no app-only access', () => {
    const carol = { address: 'carol@outlook.com', clientId: CLIENT_ID, preset: 'outlook' };
    assert.equal(accountOf(carol).tenant, 'consumers');
    assert.equal(accountOf({ ...carol, tenant: 'common' }).tenant, 'common');
    assert.match(problemsOf({ ...carol, tenant: 'organizations' })[0], /`tenant` must be "consumers" or "common" for a personal Outlook.com account/);
    assert.ok(problemsOf({ ...carol, authMode: 'client-credentials', credential: 'secret', tenant: TENANT_ID })
      .some((m) => /`authMode` cannot be "client-credentials" for a personal Outlook.com account/.test(m)));
  });

  it('authMode, vscodeProvider and sentCopy take only their listed values', () => {
    assert.match(problemsOf({ ...bob, authMode: 'password' })[0], /`authMode` must be one of "vscode", "msal-browser", "msal-device-code", "web-app", "client-credentials" \(got "password"\)/);
    assert.match(problemsOf({ ...bob, vscodeProvider: 'github' })[0], /`vscodeProvider` must be one of "microsoft", "microsoft-sovereign-cloud"/);
    assert.match(problemsOf({ ...bob, sentCopy: 'sometimes' })[0], /`sentCopy` must be one of "auto", "always", "never"/);
    assert.equal(accountOf({ ...bob, sentCopy: 'never' }).sentCopy, 'never');
  });
});
