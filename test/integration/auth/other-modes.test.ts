import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isExplained } from '../../../src/errors';
import { secretKeys } from '../../../src/auth/token-source';
import { createTokenSource } from '../../../src/core';
import { appByKey } from '../../sandbox/directory';
import { testPorts, TestPorts } from '../../unit/auth/fakes';
import { accountSettings, AuthPlatform, browse, restoreDefaults, sum } from './platform';
import { sandbox } from '../sandbox';

describe('device code, web app and app-only tokens, end to end', function () {
  this.timeout(20_000);
  let platform: AuthPlatform;

  before(() => {
    platform = sandbox();
  });
  beforeEach(() => restoreDefaults(platform.identity));
  afterEach(() => restoreDefaults(platform.identity));

  /** Ports whose user approves the device code as `upn` as soon as it is shown. */
  function approvingPorts(upn = 'alice@contoso.test', base: Partial<TestPorts> = {}): TestPorts {
    const ports = testPorts(base);
    ports.showDeviceCode = (prompt) => {
      ports.deviceCodes.push(prompt);
      try {
        platform.identity.control.approveDeviceCode(prompt.userCode, upn);
      } catch {
        // the platform refused the sign-in; the polling client learns why
      }
    };
    return ports;
  }

  /** Ports whose browser signs in at once and follows the redirect back to the web app's listener. */
  function browsingPorts(): TestPorts {
    const ports = testPorts();
    ports.openExternal = async (url) => {
      ports.opened.push(url);
      setImmediate(() => void browse(url, platform.certificates.caFile).catch(() => undefined));
      return true;
    };
    return ports;
  }

  describe('msal-device-code', () => {
    it('shows the code and its page, and the approved sign-in gives a token for the signed-in user', async () => {
      const ports = approvingPorts();
      const token = await createTokenSource(accountSettings(platform, 'public', { mode: 'msal-device-code' }), ports).getToken({ protocol: 'smtp', interactive: true });
      assert.deepEqual([token.user, ports.deviceCodes[0].verificationUri, /^[A-Z0-9]{9}$/.test(ports.deviceCodes[0].userCode)],
        ['alice@contoso.test', `${platform.identity.url}/devicelogin`, true]);
    });

    it('a registration without "Allow public client flows" is explained (AADSTS7000218)', async () => {
      const error = await createTokenSource(accountSettings(platform, 'publicNoDeviceFlow', { mode: 'msal-device-code' }), approvingPorts())
        .getToken({ protocol: 'imap', interactive: true }).catch((e: unknown) => e);
      assert.ok(isExplained(error), String(error));
      assert.deepEqual([error.code, /Allow public client flows/.test(error.fix)], ['AADSTS7000218', true]);
    });

    it('a code nobody enters times out with a clear message', async () => {
      const ports = testPorts();
      const error = await createTokenSource(accountSettings(platform, 'public', { mode: 'msal-device-code' }), ports, { interactionTimeoutMs: 1000 })
        .getToken({ protocol: 'imap', interactive: true }).catch((e: unknown) => e);
      assert.ok(isExplained(error));
      assert.equal(error.message, 'Sign-in timed out: the device code sign-in did not finish within 1 second.');
    });

    it('cancelling stops the polling at once', async () => {
      const controller = new AbortController();
      const ports = testPorts();
      ports.showDeviceCode = () => setTimeout(() => controller.abort(), 50);
      const error = await createTokenSource(accountSettings(platform, 'public', { mode: 'msal-device-code' }), ports)
        .getToken({ protocol: 'imap', interactive: true, signal: controller.signal }).catch((e: unknown) => e);
      assert.ok(isExplained(error) && error.code === 'sign-in-cancelled');
    });
  });

  describe('web-app', () => {
    function webApp(ports: TestPorts, address = 'alice@contoso.test') {
      void ports.secrets.store(secretKeys.clientSecret(address), appByKey('web').secrets[0]);
      return createTokenSource(accountSettings(platform, 'web', { mode: 'web-app', address, protocols: ['imap', 'pop3', 'smtp'] }), ports);
    }

    it('authorizes every protocol at once in the browser, then gives each protocol\'s token silently', async () => {
      platform.identity.control.setAutoSignIn('alice@contoso.test');
      const ports = browsingPorts();
      const source = webApp(ports);
      const imap = await source.getToken({ protocol: 'imap', interactive: true });
      platform.identity.control.resetCounts();
      const pop3 = await source.getToken({ protocol: 'pop3', interactive: false });
      const authorize = new URL(ports.opened[0]).searchParams;
      assert.deepEqual([imap.user, pop3.user, sum(platform.identity.control.counts()), authorize.get('scope')?.split(' ').filter((s) => s.startsWith('https://')).length],
        ['alice@contoso.test', 'alice@contoso.test', 0, 3]);
    });

    it('the kept account gives later tokens silently in a new window', async () => {
      platform.identity.control.setAutoSignIn('alice@contoso.test');
      const ports = browsingPorts();
      await webApp(ports).getToken({ protocol: 'imap', interactive: true });
      platform.identity.control.setAccessTokenLifetime(0);
      const token = await webApp(ports).getToken({ protocol: 'smtp', interactive: false, forceRefresh: true });
      assert.equal(token.user, 'alice@contoso.test');
    });

    it('"interaction required" without permission to ask says to sign in again; with it, the user authorizes again', async () => {
      platform.identity.control.setAutoSignIn('alice@contoso.test');
      const ports = browsingPorts();
      const source = webApp(ports);
      await source.getToken({ protocol: 'imap', interactive: true });
      platform.identity.control.failNext({ code: 50076, grantType: 'refresh_token', times: 2 });
      const silent = await source.getToken({ protocol: 'smtp', interactive: false, forceRefresh: true }).catch((e: unknown) => e);
      const again = await source.getToken({ protocol: 'smtp', interactive: true, forceRefresh: true });
      assert.deepEqual([isExplained(silent) && silent.actions, again.user, ports.opened.length], [['signIn'], 'alice@contoso.test', 2]);
    });

    it('sign out works even after the client secret was removed, and leaves no token behind', async () => {
      platform.identity.control.setAutoSignIn('alice@contoso.test');
      const ports = browsingPorts();
      await webApp(ports).getToken({ protocol: 'imap', interactive: true });
      await ports.secrets.delete(secretKeys.clientSecret('alice@contoso.test'));
      await createTokenSource(accountSettings(platform, 'web', { mode: 'web-app' }), ports).signOut();
      assert.deepEqual(ports.secrets.keys(), []);
    });

    it('a personal account at a work-only registration is explained (AADSTS50020)', async () => {
      platform.identity.control.setAutoSignIn('carol@outlook.test');
      const error = await webApp(browsingPorts(), 'carol@outlook.test').getToken({ protocol: 'imap', interactive: true }).catch((e: unknown) => e);
      assert.ok(isExplained(error), String(error));
      assert.deepEqual([error.code, /personal accounts/.test(error.fix)], ['AADSTS50020', true]);
    });
  });

  describe('client-credentials', () => {
    function daemon(credential: 'secret' | 'certificate', ports = testPorts()) {
      const app = appByKey(credential === 'secret' ? 'daemon' : 'daemonCert');
      const settings = accountSettings(platform, credential === 'secret' ? 'daemon' : 'daemonCert', {
        mode: 'client-credentials', address: 'shared@contoso.test', credential,
        certificateThumbprint: platform.certificates.appThumbprintSha256,
      });
      if (credential === 'secret') void ports.secrets.store(secretKeys.clientSecret(settings.accountId), app.secrets[0]);
      else void ports.secrets.store(secretKeys.certificatePrivateKey(settings.accountId), readFileSync(platform.certificates.appKeyFile, 'utf8'));
      return { source: createTokenSource(settings, ports), ports };
    }

    it('with a client secret, gives an app-only IMAP token whose XOAUTH2 user is the mailbox', async () => {
      const token = await daemon('secret').source.getToken({ protocol: 'imap', interactive: false });
      assert.deepEqual([token.user, token.scopes], ['shared@contoso.test', ['https://ps.outlook.com/.default']]);
    });

    it('with a certificate, gives an app-only SMTP token', async () => {
      const token = await daemon('certificate').source.getToken({ protocol: 'smtp', interactive: false });
      assert.deepEqual([token.user, token.scopes], ['shared@contoso.test', ['https://outlook.office365.com/.default']]);
    });

    it('a second app-only token comes from the cache without a request', async () => {
      const { source } = daemon('certificate');
      await source.getToken({ protocol: 'imap', interactive: false });
      platform.identity.control.resetCounts();
      await source.getToken({ protocol: 'pop3', interactive: false });
      assert.equal(sum(platform.identity.control.counts()), 0);
    });

    it('a wrong client secret is explained (AADSTS7000215) without showing the secret', async () => {
      const ports = testPorts();
      await ports.secrets.store(secretKeys.clientSecret('shared@contoso.test'), 'not-the-secret~value');
      const error = await createTokenSource(accountSettings(platform, 'daemon', { mode: 'client-credentials', address: 'shared@contoso.test', credential: 'secret' }), ports)
        .getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
      assert.ok(isExplained(error), String(error));
      assert.deepEqual([error.code, `${error.message} ${error.fix} ${error.detail}`.includes('not-the-secret')], ['AADSTS7000215', false]);
    });

    it('sign out forgets the app-only tokens', async () => {
      const { source, ports } = daemon('secret');
      await source.getToken({ protocol: 'imap', interactive: false });
      await source.signOut();
      assert.deepEqual(ports.secrets.keys().filter((k) => k.startsWith('exchangeMail.msalCache/')), []);
    });
  });

  describe('AADSTS errors through a real MSAL call', () => {
    const CASES: Array<[number, RegExp]> = [
      [50011, /redirect URI/], [65001, /consent/], [7000218, /client secret or certificate/], [700016, /No app with client id/],
      [50020, /kind of account/], [70011, /refused the requested scopes/], [700027, /certificate/], [7000215, /client secret is not valid/],
    ];
    for (const [code, says] of CASES) {
      it(`AADSTS${code} from the token endpoint reaches the user as its explanation`, async () => {
        platform.identity.control.failNext({ code, grantType: 'client_credentials' });
        const ports = testPorts();
        await ports.secrets.store(secretKeys.clientSecret('shared@contoso.test'), appByKey('daemon').secrets[0]);
        const error = await createTokenSource(accountSettings(platform, 'daemon', { mode: 'client-credentials', address: 'shared@contoso.test', credential: 'secret' }), ports)
          .getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
        assert.ok(isExplained(error), String(error));
        assert.equal(error.code, `AADSTS${code}`);
        assert.match(error.message, says);
      });
    }
  });

  describe('the vscode mode\'s fallback and the network', () => {
    it('without VS Code\'s provider, a remote window signs in by device code and says so once', async () => {
      const ports = approvingPorts('alice@contoso.test', { remoteName: 'ssh-remote' });
      ports.vscodeAuth.providers.clear();
      const source = createTokenSource(accountSettings(platform, 'public', { mode: 'vscode' }), ports);
      const imap = await source.getToken({ protocol: 'imap', interactive: true });
      await source.getToken({ protocol: 'smtp', interactive: true });
      assert.deepEqual([imap.user, ports.deviceCodes.length, ports.notices.length], ['alice@contoso.test', 1, 1]);
    });

    it('when VS Code\'s provider fails, a local window signs in through the browser', async () => {
      platform.identity.control.setAutoSignIn('alice@contoso.test');
      const ports = browsingPorts();
      ports.vscodeAuth.onInteractive = async () => {
        throw new Error('Timed out waiting for authentication provider \'microsoft\' to register');
      };
      const token = await createTokenSource(accountSettings(platform, 'public', { mode: 'vscode' }), ports).getToken({ protocol: 'imap', interactive: true });
      assert.deepEqual([token.user, ports.opened.length, ports.notices.length], ['alice@contoso.test', 1, 1]);
    });

    it('the identity platform\'s private CA is trusted only through the account\'s CA file', async () => {
      const ports = testPorts();
      await ports.secrets.store(secretKeys.clientSecret('shared@contoso.test'), appByKey('daemon').secrets[0]);
      const error = await createTokenSource(accountSettings(platform, 'daemon', { mode: 'client-credentials', address: 'shared@contoso.test', credential: 'secret', caFile: undefined }), ports)
        .getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
      assert.ok(isExplained(error), String(error));
      assert.deepEqual([error.code, /not trusted/.test(error.message), /extra CA file/.test(error.fix)], ['identity-platform-unreachable', true, true]);
    });

    it('an unreachable identity platform says so, naming it', async () => {
      const ports = testPorts();
      await ports.secrets.store(secretKeys.clientSecret('shared@contoso.test'), appByKey('daemon').secrets[0]);
      const error = await createTokenSource(accountSettings(platform, 'daemon', { mode: 'client-credentials', address: 'shared@contoso.test', credential: 'secret', authorityHost: 'https://127.0.0.1:1' }), ports)
        .getToken({ protocol: 'imap', interactive: false }).catch((e: unknown) => e);
      assert.ok(isExplained(error), String(error));
      assert.equal(error.message, 'Cannot reach the identity platform at 127.0.0.1:1 (ECONNREFUSED).');
    });
  });
});
