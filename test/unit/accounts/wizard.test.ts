import * as assert from 'node:assert/strict';
import { parseAccount } from '../../../src/accounts/account';
import { BACK } from '../../../src/ui/accounts/prompts';
import { runAddAccountWizard } from '../../../src/ui/accounts/wizard';
import { CLIENT_ID, TENANT_ID, testPki } from './fixtures';
import { ScriptedPrompts } from './scripted-prompts';

const ALL = ['imap', 'pop3', 'smtp'];

describe('The Add Account wizard', () => {
  it('a Microsoft 365 account takes six answers and no shared mailbox, and becomes a valid setting', async () => {
    const prompts = new ScriptedPrompts(['bob@contoso.test', 'microsoft365', 'vscode', ALL, CLIENT_ID, 'organizations', '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.deepEqual(result, {
      setting: { address: 'bob@contoso.test', preset: 'microsoft365', authMode: 'vscode', clientId: CLIENT_ID, tenant: 'organizations', protocols: ALL },
      clientSecret: undefined, certificatePrivateKey: undefined,
    });
    assert.deepEqual(prompts.asked.map((s) => `${s.step}/${s.totalSteps}`), ['1/7', '2/7', '3/7', '4/7', '5/7', '6/7', '7/7']);
  });

  it('each refused answer says what is wrong, and the step waits for a good one', async () => {
    const prompts = new ScriptedPrompts(['bob', 'bob@contoso.test', 'microsoft365', 'msal-device-code', ALL, 'my-app', CLIENT_ID, 'my tenant', 'contoso.test', '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.equal(result?.setting.tenant, 'contoso.test');
    assert.deepEqual(prompts.refusals.map((r) => r.replace(/ \(got .*$/, '').replace(/, a GUID .*$/, '')), [
      'The address must be an email address such as someone@contoso.com',
      'The client ID must be the Application (client) ID of your app registration in Entra',
      'The tenant must be organizations, common, consumers, a Directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com',
    ]);
  });

  it('an address that already has an account is refused', async () => {
    const prompts = new ScriptedPrompts(['Bob@Contoso.test', null]);
    assert.equal(await runAddAccountWizard(prompts, { existing: ['bob@contoso.test'] }), undefined);
    assert.deepEqual(prompts.refusals, ['Bob@Contoso.test already has an account; remove it first to add it again']);
  });

  it('Escape at any step adds nothing', async () => {
    assert.equal(await runAddAccountWizard(new ScriptedPrompts(['bob@contoso.test', 'microsoft365', null]), { existing: [] }), undefined);
  });

  it('Back returns to the previous step with its answer kept', async () => {
    const prompts = new ScriptedPrompts(['bob@contoso.test', 'microsoft365', BACK, 'outlook', 'msal-browser', ['imap', 'smtp'], CLIENT_ID, 'consumers', '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.equal(result?.setting.preset, 'outlook');
    assert.deepEqual(result?.setting.protocols, ['imap', 'smtp']);
    assert.deepEqual([prompts.asked[3].text, prompts.asked[3].value, prompts.asked[3].step], ['Where the mailbox is', 'microsoft365', 2]);
  });

  it('a personal address is offered the Outlook.com preset and the tenant consumers', async () => {
    const prompts = new ScriptedPrompts(['carol@hotmail.com', 'outlook', 'vscode', ALL, CLIENT_ID, 'consumers', '']);
    await runAddAccountWizard(prompts, { existing: [] });
    assert.equal(prompts.asked[1].value, 'outlook');
    assert.equal(prompts.asked[5].value, 'consumers');
  });

  it('Outlook.com refuses the tenant organizations and offers no app-only mode', async () => {
    const prompts = new ScriptedPrompts(['carol@outlook.com', 'outlook', 'client-credentials']);
    await assert.rejects(runAddAccountWizard(prompts, { existing: [] }), /offers vscode, msal-browser, msal-device-code, web-app, not "client-credentials"/);
    const tenant = new ScriptedPrompts(['carol@outlook.com', 'outlook', 'vscode', ALL, CLIENT_ID, 'organizations', 'common', '']);
    assert.equal((await runAddAccountWizard(tenant, { existing: [] }))?.setting.tenant, 'common');
    assert.match(tenant.refusals[0], /^The tenant must be "consumers" or "common" for a personal Outlook.com account/);
  });

  it('a Custom account asks for each server, its security, the identity platform, resource and CA file', async () => {
    const { caFile } = testPki();
    const prompts = new ScriptedPrompts(['alice@contoso.test', 'custom', 'msal-device-code', ['imap', 'smtp'], CLIENT_ID, TENANT_ID,
      '127.0.0.1:99999', '127.0.0.1:10993', 'tls', 'mail server', '127.0.0.1:10587', 'starttls',
      'http://127.0.0.1:8443', 'https://127.0.0.1:8443', 'https://outlook.office.com', '/nonexistent/ca.pem', caFile, '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.deepEqual(result?.setting, {
      address: 'alice@contoso.test', preset: 'custom', authMode: 'msal-device-code', clientId: CLIENT_ID, tenant: TENANT_ID, protocols: ['imap', 'smtp'],
      imap: { host: '127.0.0.1', port: 10993, security: 'tls' }, smtp: { host: '127.0.0.1', port: 10587, security: 'starttls' },
      authorityHost: 'https://127.0.0.1:8443', delegatedResource: 'https://outlook.office.com', caFile,
    });
    assert.deepEqual(prompts.refusals.map((r) => r.replace(/ \(got .*$/, '').replace(/ such as .*$/, '')), [
      'IMAP port must be a number from 1 to 65535',
      'SMTP host must be a host name or IP address',
      'The address must be an https:// address without a path,',
      'The CA file cannot be read: /nonexistent/ca.pem (there is no such file)',
    ]);
    assert.ok('account' in parseAccount(result?.setting));
    assert.deepEqual(prompts.asked.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert.equal(prompts.asked.at(-1)?.totalSteps, 14);
  });

  it('a server without a port gets the protocol\'s usual one, and its usual security is suggested', async () => {
    const prompts = new ScriptedPrompts(['alice@contoso.test', 'custom', 'vscode', ['pop3'], CLIENT_ID, 'organizations',
      'pop.contoso.test', 'tls', 'https://login.microsoftonline.com', 'https://outlook.office.com', '', 'microsoft', '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.deepEqual(result?.setting.pop3, { host: 'pop.contoso.test', port: 995, security: 'tls' });
    assert.equal(prompts.asked.find((s) => s.text.startsWith('How POP3'))?.value, 'tls');
    assert.equal(result?.setting.caFile, undefined);
  });

  it('app-only with a secret asks one named tenant and the secret, which stays out of the setting', async () => {
    const prompts = new ScriptedPrompts(['shared@contoso.test', 'microsoft365', 'client-credentials', ALL, CLIENT_ID, 'organizations', 'contoso.test', 'secret', '', 'daemon~secret', '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.equal(result?.clientSecret, 'daemon~secret');
    assert.doesNotMatch(JSON.stringify(result?.setting), /daemon~secret/);
    assert.equal(result?.setting.credential, 'secret');
    assert.equal(prompts.asked[5].value, 'contoso.test', 'the tenant suggested for app-only access is the address\'s domain');
    assert.match(prompts.refusals[0], /^The tenant must name one directory for authMode "client-credentials"/);
    assert.equal(prompts.refusals[1], 'Enter the client secret\'s value from Certificates & secrets');
  });

  it('app-only with a certificate reads the private key file and keeps the PEM, not the path', async () => {
    const { keyFile, caFile } = testPki();
    const thumbprint = 'AB'.repeat(32);
    const prompts = new ScriptedPrompts(['shared@contoso.test', 'microsoft365', 'client-credentials', ['imap'], CLIENT_ID, TENANT_ID, 'certificate',
      'AB'.repeat(20), thumbprint, caFile, keyFile, '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.equal(result?.setting.certificateThumbprint, thumbprint);
    assert.match(result?.certificatePrivateKey ?? '', /^-----BEGIN PRIVATE KEY-----/);
    assert.doesNotMatch(JSON.stringify(result?.setting), new RegExp(keyFile.replace(/[/.]/g, '\\$&')));
    assert.match(prompts.refusals[0], /this is a 40-digit SHA-1 thumbprint/);
    assert.match(prompts.refusals[1], /^The private key file must hold a PEM private key/);
  });

  it('a web app asks for its client secret', async () => {
    const prompts = new ScriptedPrompts(['bob@contoso.test', 'microsoft365', 'web-app', ALL, CLIENT_ID, 'organizations', 'web~secret', '']);
    const result = await runAddAccountWizard(prompts, { existing: [] });
    assert.equal(result?.clientSecret, 'web~secret');
    assert.equal(result?.setting.credential, undefined);
  });

  it('no protocol at all is refused', async () => {
    const prompts = new ScriptedPrompts(['bob@contoso.test', 'microsoft365', 'vscode', [], ['smtp'], CLIENT_ID, 'organizations', '']);
    assert.deepEqual((await runAddAccountWizard(prompts, { existing: [] }))?.setting.protocols, ['smtp']);
    assert.deepEqual(prompts.refusals, ['Pick at least one protocol']);
  });

  describe('its last step, the shared mailboxes this sign-in also opens', () => {
    const bob = ['bob@contoso.test', 'microsoft365', 'msal-browser', ALL, CLIENT_ID, 'organizations'];

    it('keeps the addresses typed in the account\'s setting, as Add Shared Mailbox… does', async () => {
      const prompts = new ScriptedPrompts([...bob, ' support@contoso.test, Alerts@contoso.test; billing@contoso.test ']);
      const result = await runAddAccountWizard(prompts, { existing: [] });
      assert.deepEqual(result?.setting.sharedMailboxes, ['support@contoso.test', 'Alerts@contoso.test', 'billing@contoso.test']);
      const parsed = parseAccount(result?.setting);
      assert.ok('account' in parsed && parsed.account.sharedMailboxes.length === 3);
      assert.match(prompts.asked.at(-1)?.text ?? '', /bob@contoso\.test needs FullAccess on each \(Add-MailboxPermission\), and SendAs/);
      assert.deepEqual(prompts.refusals, []);
    });

    it('empty skips it: the setting names no shared mailbox', async () => {
      const result = await runAddAccountWizard(new ScriptedPrompts([...bob, '   ']), { existing: [] });
      assert.ok(result);
      assert.equal('sharedMailboxes' in result.setting, false);
    });

    it('refuses what is not an address, an address named twice and the account\'s own, saying which and why', async () => {
      const prompts = new ScriptedPrompts([...bob, 'support', 'support@contoso.test, SUPPORT@contoso.test', 'support@contoso.test Bob@Contoso.test', 'support@contoso.test']);
      assert.deepEqual((await runAddAccountWizard(prompts, { existing: [] }))?.setting.sharedMailboxes, ['support@contoso.test']);
      assert.deepEqual(prompts.refusals, [
        '"support" is not a mailbox address: enter one such as support@contoso.com.',
        'SUPPORT@contoso.test is already one of bob@contoso.test\'s shared mailboxes.',
        'bob@contoso.test is the account\'s own mailbox.',
      ]);
    });

    it('for app-only access too: the own mailbox is the account\'s address, and the prompt asks for the app\'s mailbox permission', async () => {
      const prompts = new ScriptedPrompts(['daemon@contoso.test', 'microsoft365', 'client-credentials', ALL, CLIENT_ID, TENANT_ID, 'secret', 'daemon~secret',
        'Daemon@contoso.test', 'alerts@contoso.test']);
      const result = await runAddAccountWizard(prompts, { existing: [] });
      assert.deepEqual(result?.setting.sharedMailboxes, ['alerts@contoso.test']);
      assert.deepEqual(prompts.refusals, ['daemon@contoso.test is the account\'s own mailbox.']);
      assert.match(prompts.asked.at(-1)?.text ?? '', /The app needs a mailbox permission on each/);
      assert.equal(prompts.asked.at(-1)?.step, 9);
    });

    it('Back returns to the sign-in details with their answer kept, and the step comes again after them', async () => {
      const prompts = new ScriptedPrompts([...bob, BACK, 'contoso.test', 'support@contoso.test']);
      const result = await runAddAccountWizard(prompts, { existing: [] });
      assert.deepEqual([result?.setting.tenant, result?.setting.sharedMailboxes], ['contoso.test', ['support@contoso.test']]);
      assert.deepEqual(prompts.asked.slice(-3).map((s) => [s.step, s.value]), [[7, ''], [6, 'organizations'], [7, '']]);
    });

    it('Escape on it adds nothing', async () => {
      assert.equal(await runAddAccountWizard(new ScriptedPrompts([...bob, null]), { existing: [] }), undefined);
    });
  });
});
