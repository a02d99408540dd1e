import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAccount } from '../../../src/accounts/account';
import { toAuthSettings } from '../../../src/accounts/auth-settings';
import { toMailServer } from '../../../src/accounts/mail-server';
import { ExplainedError } from '../../../src/errors';
import { CLIENT_ID, TENANT_ID, testPki } from './fixtures';

function account(setting: object) {
  const result = parseAccount(setting);
  assert.ok('account' in result, JSON.stringify(result));
  return result.account;
}

describe('An account as its token source and mail servers see it', () => {
  it('a Microsoft 365 account asks Entra for Exchange Online tokens for all its protocols', () => {
    assert.deepEqual(toAuthSettings(account({ address: 'Bob@Contoso.test', clientId: CLIENT_ID.toUpperCase(), authMode: 'msal-device-code' })), {
      accountId: 'bob@contoso.test',
      address: 'Bob@Contoso.test',
      mode: 'msal-device-code',
      clientId: CLIENT_ID,
      tenant: 'organizations',
      authorityHost: 'https://login.microsoftonline.com',
      delegatedResource: 'https://outlook.office.com',
      appOnlyResources: { imapPop: 'https://outlook.office365.com', smtp: 'https://outlook.office365.com' },
      protocols: ['imap', 'pop3', 'smtp'],
      caFile: undefined,
      credential: undefined,
      certificateThumbprint: undefined,
      vscodeProvider: 'microsoft',
    });
  });

  it('a Custom account carries its identity platform, resources, CA file and app-only credential', () => {
    const { caFile } = testPki();
    const settings = toAuthSettings(account({
      address: 'shared@contoso.test', clientId: CLIENT_ID, preset: 'custom', authMode: 'client-credentials', tenant: TENANT_ID,
      credential: 'certificate', certificateThumbprint: 'cd'.repeat(32), protocols: ['smtp', 'imap'],
      imap: { host: '127.0.0.1', port: 10993, security: 'tls' }, smtp: { host: '127.0.0.1', port: 10587, security: 'starttls' },
      authorityHost: 'https://127.0.0.1:8443/', delegatedResource: 'https://outlook.office.com',
      appOnlyResources: { imapPop: 'https://ps.outlook.com', smtp: 'https://outlook.office365.com' }, caFile,
    }));
    assert.equal(settings.authorityHost, 'https://127.0.0.1:8443');
    assert.deepEqual(settings.protocols, ['imap', 'smtp']);
    assert.equal(settings.caFile, caFile);
    assert.equal(settings.credential, 'certificate');
    assert.equal(settings.certificateThumbprint, 'CD'.repeat(32));
  });

  it('the mail server of a protocol has the preset host, port and security', () => {
    assert.deepEqual(toMailServer(account({ address: 'carol@outlook.com', clientId: CLIENT_ID, preset: 'outlook' }), 'smtp'),
      { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' });
  });

  it('the mail server trusts the account\'s CA file', () => {
    const { caFile } = testPki();
    const server = toMailServer(account({ address: 'bob@contoso.test', clientId: CLIENT_ID, caFile }), 'imap');
    assert.equal(server.ca, readFileSync(caFile, 'utf8'));
  });

  it('asking for a protocol the account does not use is an explained error', () => {
    const imapOnly = account({ address: 'bob@contoso.test', clientId: CLIENT_ID, protocols: ['imap'] });
    assert.throws(() => toMailServer(imapOnly, 'pop3'), (err: unknown) => err instanceof ExplainedError
      && err.message === 'bob@contoso.test does not use POP3.' && /Add "pop3"/.test(err.fix));
  });
});
