import * as assert from 'node:assert/strict';
import { AccountScopes, withoutVsCodeMarkers } from '../../../src/auth/scopes';
import { parseAccount } from '../../../src/accounts/account';
import { toAuthSettings } from '../../../src/accounts/auth-settings';
import { authSettings, CLIENT_ID } from './fakes';

const settings = authSettings;

describe('scopes: what an account asks the identity platform for', () => {
  it('a delegated IMAP token asks for IMAP.AccessAsUser.All with offline_access, as the guide does', () => {
    assert.deepEqual(new AccountScopes(settings()).forProtocol('imap'), ['https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access']);
  });

  it('delegated POP3 and SMTP tokens ask for POP.AccessAsUser.All and SMTP.Send', () => {
    const scopes = new AccountScopes(settings());
    assert.deepEqual([scopes.forProtocol('pop3')[0], scopes.forProtocol('smtp')[0]],
      ['https://outlook.office.com/POP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send']);
  });

  it('the first sign-in consents to every protocol of the account at once: all three when the setting names none', () => {
    const result = parseAccount({ address: 'bob@contoso.com', clientId: CLIENT_ID });
    assert.ok('account' in result);
    assert.deepEqual(new AccountScopes(toAuthSettings(result.account)).consent(), [
      'https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access',
      'https://outlook.office.com/POP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send',
    ]);
  });

  it('a protocol the account does not list is added to the consent when asked for', () => {
    assert.ok(new AccountScopes(settings({ protocols: ['imap'] })).consent('smtp').includes('https://outlook.office.com/SMTP.Send'));
  });

  it('app-only tokens of a new account use outlook.office365.com/.default for IMAP, POP3 and SMTP, as Microsoft\'s page asks', () => {
    const result = parseAccount({ address: 'daemon@contoso.com', clientId: '0d2c1b4a-1111-4aaa-8bbb-000000000001', authMode: 'client-credentials', credential: 'secret', tenant: 'contoso.com' });
    assert.ok('account' in result);
    const scopes = new AccountScopes(toAuthSettings(result.account));
    assert.deepEqual(['imap', 'pop3', 'smtp'].map((p) => scopes.forProtocol(p as 'imap')), [
      ['https://outlook.office365.com/.default'], ['https://outlook.office365.com/.default'], ['https://outlook.office365.com/.default']]);
  });

  it('with MailKit\'s ps.outlook.com chosen, app-only IMAP and POP3 tokens use ps.outlook.com/.default, SMTP outlook.office365.com/.default', () => {
    const scopes = new AccountScopes(settings({ mode: 'client-credentials' }));
    assert.deepEqual([scopes.forProtocol('imap'), scopes.forProtocol('pop3'), scopes.forProtocol('smtp')],
      [['https://ps.outlook.com/.default'], ['https://ps.outlook.com/.default'], ['https://outlook.office365.com/.default']]);
  });

  it('a sovereign cloud resource replaces outlook.office.com, without a doubled slash', () => {
    assert.equal(new AccountScopes(settings({ delegatedResource: 'https://outlook.office365.us/' })).forProtocol('smtp')[0],
      'https://outlook.office365.us/SMTP.Send');
  });

  it('VS Code\'s provider gets the app registration and tenant as VSCODE_CLIENT_ID and VSCODE_TENANT scopes', () => {
    const scopes = new AccountScopes(settings({ mode: 'vscode', tenant: 'contoso.test' }));
    assert.deepEqual(scopes.forVsCode(scopes.forProtocol('imap')).slice(2), [`VSCODE_CLIENT_ID:${CLIENT_ID}`, 'VSCODE_TENANT:contoso.test']);
  });

  it('the markers are not reported as granted scopes', () => {
    const scopes = new AccountScopes(settings({ mode: 'vscode' }));
    assert.deepEqual(withoutVsCodeMarkers(scopes.forVsCode(['a'])), ['a']);
  });
});
