/**
 * Accounts in a real VS Code (code-server's extension host): the Add Account wizard writing user
 * settings, the settings model, the tree, and the `vscode` mode against VS Code's authentication
 * API with a provider this suite registers, including the MSAL fallback against the sandbox's
 * identity platform.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AccountSetting } from '../../src/accounts/account';
import type { AuthPorts, DeviceCodePrompt } from '../../src/auth/ports';
import { secretKeys } from '../../src/auth/token-source';
import { AccountSettings } from '../../src/ui/accounts/account-settings';
import { createAuthPorts } from '../../src/ui/accounts/auth-ports';
import { AccountCommandContext } from '../../src/ui/accounts/account-commands';
import { addAccount } from '../../src/ui/accounts/add-account';
import { removeAccount } from '../../src/ui/accounts/remove-account';
import { addSharedMailbox } from '../../src/ui/accounts/shared-mailboxes';
import { SignIns } from '../../src/ui/accounts/sign-ins';
import { MailboxesTree } from '../../src/ui/tree/mailboxes-tree';
import { AccountNode, ProblemNode } from '../../src/ui/tree/account-nodes';
import { ensureCertificates } from '../sandbox/certificates';
import { appByKey, CONTOSO_TENANT_ID } from '../sandbox/directory';
import { IdentityPlatform, startIdentityPlatform } from '../sandbox/identity';
import { eventually } from '../eventually';
import { ScriptedPrompts } from '../unit/accounts/scripted-prompts';
import { MemorySecrets } from './memory-secrets';

const CLIENT_ID = '0d2c1b4a-1111-4aaa-8bbb-000000000001';
const ALL = ['imap', 'pop3', 'smtp'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function userAccounts(): unknown {
  return vscode.workspace.getConfiguration('exchangeMail').inspect('accounts')?.globalValue;
}

async function setAccounts(value: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('exchangeMail').update('accounts', value, vscode.ConfigurationTarget.Global);
}

function testContext(secrets: MemorySecrets) {
  const log = vscode.window.createOutputChannel('Exchange Mail accounts test', { log: true });
  return { subscriptions: [] as vscode.Disposable[], secrets, log } as const;
}

/** The ports the extension builds, over this test's secrets, with notifications recorded. */
function ports(secrets: MemorySecrets, log: vscode.LogOutputChannel, changes: Partial<AuthPorts> = {}) {
  const notices: string[] = [];
  const base = createAuthPorts({ secrets } as unknown as vscode.ExtensionContext, log);
  return { notices, ports: { ...base, notify: (m: string) => { notices.push(m); base.notify(m); }, ...changes } as AuthPorts };
}

interface RecordingProvider {
  scopesAsked: string[][];
  dispose(): void;
}

/**
 * A stand-in for VS Code's Microsoft provider under `microsoft-sovereign-cloud`: an id the
 * built-in microsoft-authentication extension declares (so the product counts it as present) but
 * registers only when a sovereign cloud is configured, which leaves it free here. `microsoft`
 * itself is registered by the built-in provider and cannot be registered twice.
 */
function registerProvider(behaviour: 'record' | 'fail'): RecordingProvider {
  const scopesAsked: string[][] = [];
  const changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  const registration = vscode.authentication.registerAuthenticationProvider('microsoft-sovereign-cloud', 'Test Microsoft', {
    onDidChangeSessions: changed.event,
    async getSessions(scopes) {
      scopesAsked.push([...(scopes ?? [])]);
      if (behaviour === 'fail') throw new Error('AADSTS53003: Access has been blocked by Conditional Access policies');
      return [];
    },
    async createSession(scopes) {
      scopesAsked.push([...scopes]);
      throw new Error('this test provider signs nobody in');
    },
    async removeSession() {},
  }, { supportsMultipleAccounts: false });
  return { scopesAsked, dispose: () => { registration.dispose(); changed.dispose(); } };
}

describe('Accounts in VS Code', function () {
  this.timeout(60000);
  let secrets: MemorySecrets;
  let context: AccountCommandContext;
  let settings: AccountSettings;

  beforeEach(async () => {
    await setAccounts([]);
    secrets = new MemorySecrets();
    const { log } = testContext(secrets);
    settings = new AccountSettings();
    context = { settings, signIns: new SignIns(ports(secrets, log).ports), secrets, log };
  });

  afterEach(async () => {
    settings.dispose();
    context.signIns.dispose();
    context.log.dispose();
    await setAccounts([]);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('exchangeMail').update('accounts', undefined, vscode.ConfigurationTarget.Global);
  });

  describe('Add Account', () => {
    it('writes a valid Microsoft 365 account to the user settings', async () => {
      const written = await addAccount(context, new ScriptedPrompts(['bob@contoso.test', 'microsoft365', 'vscode', ALL, CLIENT_ID, 'organizations', '']));
      assert.deepEqual(userAccounts(), [written]);
      assert.deepEqual(settings.accounts().map((a) => [a.id, a.authMode, a.servers.smtp?.host]), [['bob@contoso.test', 'vscode', 'smtp.office365.com']]);
    });

    it('refuses bad input step by step and writes nothing when the user gives up', async () => {
      const prompts = new ScriptedPrompts(['bob', 'bob@contoso.test', 'custom', 'msal-device-code', ['imap'], 'not-a-guid', null]);
      assert.equal(await addAccount(context, prompts), undefined);
      assert.equal(prompts.refusals.length, 2);
      assert.match(prompts.refusals[0], /^The address must be an email address/);
      assert.match(prompts.refusals[1], /^The client ID must be the Application \(client\) ID/);
      assert.deepEqual(userAccounts(), []);
    });

    it('keeps an app-only client secret in secret storage and out of settings', async () => {
      await addAccount(context, new ScriptedPrompts(['shared@contoso.test', 'microsoft365', 'client-credentials', ['imap', 'smtp'], CLIENT_ID,
        CONTOSO_TENANT_ID, 'secret', 'daemon~sandbox-secret-4444', '']));
      assert.equal(secrets.values.get(secretKeys.clientSecret('shared@contoso.test')), 'daemon~sandbox-secret-4444');
      const inSettings = JSON.stringify(vscode.workspace.getConfiguration('exchangeMail').get('accounts'));
      assert.match(inSettings, /"credential":"secret"/);
      assert.doesNotMatch(inSettings, /sandbox-secret/);
    });

    it('writes the shared mailboxes it was given into the account\'s settings, where Add Shared Mailbox… finds them', async () => {
      const prompts = new ScriptedPrompts(['alice@contoso.test', 'microsoft365', 'msal-browser', ALL, CLIENT_ID, 'organizations',
        'alice@contoso.test', 'shared@contoso.test']);
      await addAccount(context, prompts);
      assert.deepEqual(prompts.refusals, ['alice@contoso.test is the account\'s own mailbox.']);
      assert.deepEqual((userAccounts() as AccountSetting[])[0]?.sharedMailboxes, ['shared@contoso.test']);
      assert.deepEqual(settings.mailboxes().map((m) => [m.id, m.openedBy?.id]),
        [['alice@contoso.test', undefined], ['alice@contoso.test>shared@contoso.test', 'alice@contoso.test']]);
      // The same check as the wizard's: the mailbox is already there.
      assert.equal(await addSharedMailbox(settings, 'alice@contoso.test', 'Shared@contoso.test'), undefined);
      assert.deepEqual((userAccounts() as AccountSetting[])[0]?.sharedMailboxes, ['shared@contoso.test']);
    });

    it('the real command asks in a QuickInput, refuses an empty address and adds nothing when closed', async () => {
      const running = Promise.resolve(vscode.commands.executeCommand<AccountSetting | undefined>('exchangeMail.addAccount'));
      await sleep(1500);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const state = await Promise.race([running.then(() => 'closed'), sleep(1500).then(() => 'still asking')]);
      assert.equal(state, 'still asking', 'accepting an empty address must keep the step open');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await running, undefined);
      assert.deepEqual(userAccounts(), []);
    });
  });

  describe('Settings written by hand', () => {
    it('an invalid account is reported by name and field while the valid one keeps working', async () => {
      await setAccounts([
        { address: 'bob@contoso.test', clientId: CLIENT_ID, imap: { port: 99999 } },
        { address: 'alice@contoso.test', clientId: CLIENT_ID, authMode: 'msal-device-code' },
      ]);
      assert.deepEqual(settings.problems(), ['Account bob@contoso.test: `imap.port` must be a number from 1 to 65535 (got 99999)']);
      // The running extension reads the same settings: the valid account can be signed out, the invalid one cannot.
      assert.equal(await vscode.commands.executeCommand('exchangeMail.signOut', 'alice@contoso.test'), true);
      assert.equal(await vscode.commands.executeCommand('exchangeMail.signOut', 'bob@contoso.test'), false);
    });

    it('the Mailboxes tree shows each account with its state and the problem under the invalid one', async () => {
      await setAccounts([
        { address: 'bob@contoso.test', clientId: CLIENT_ID, imap: { port: 99999 } },
        { address: 'alice@contoso.test', clientId: CLIENT_ID, authMode: 'msal-device-code' },
      ]);
      const tree = new MailboxesTree(settings, context.signIns, secrets.onDidChange);
      const roots = await tree.getChildren();
      const items = roots.map((n) => tree.getTreeItem(n));
      assert.deepEqual(items.map((i) => [i.label, i.description, i.contextValue]), [
        ['bob@contoso.test', 'invalid settings', 'account.invalid'],
        ['alice@contoso.test', 'not signed in', 'account.signedOut'],
      ]);
      const [problem] = await tree.getChildren(roots[0]);
      assert.ok(problem instanceof ProblemNode);
      const item = tree.getTreeItem(problem);
      assert.equal(item.label, 'imap.port must be a number from 1 to 65535 (got 99999)');
      assert.equal(item.command?.command, 'exchangeMail.openAccountSettings');
      tree.dispose();
    });

    it('no account: the tree is empty, so the view shows its welcome content', async () => {
      const tree = new MailboxesTree(settings, context.signIns, secrets.onDidChange);
      assert.deepEqual(await tree.getChildren(), []);
      tree.dispose();
    });

    it('the tree refreshes when the settings change', async () => {
      const tree = new MailboxesTree(settings, context.signIns, secrets.onDidChange);
      let refreshed = 0;
      const listening = tree.onDidChangeTreeData(() => refreshed++);
      await setAccounts([{ address: 'alice@contoso.test', clientId: CLIENT_ID }]);
      await eventually('a tree refresh', () => refreshed > 0);
      assert.deepEqual((await tree.getChildren()).map((n) => (n as AccountNode).label), ['alice@contoso.test']);
      listening.dispose();
      tree.dispose();
    });
  });

  describe('Where accounts may come from', () => {
    it('a workspace\'s own settings cannot add an account (the setting is application-scoped)', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder, 'the suite runs with a folder open');
      const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({
        'editor.tabSize': 7,
        'exchangeMail.accounts': [{ address: 'mallory@evil.test', clientId: CLIENT_ID, preset: 'custom', authorityHost: 'https://evil.test' }],
      })));
      try {
        await eventually('the workspace settings to be read', () => vscode.workspace.getConfiguration('editor').get('tabSize') === 7);
        assert.deepEqual(settings.entries(), []);
      } finally {
        await vscode.workspace.fs.delete(file);
      }
    });
  });

  describe('Settings and walkthrough commands', () => {
    it('"Open Account Settings" opens the user settings.json', async () => {
      await vscode.commands.executeCommand('exchangeMail.openAccountSettings');
      const editor = await eventually('an editor', () => vscode.window.activeTextEditor);
      assert.match(editor.document.uri.path, /\/User\/settings\.json$/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('"Open Setup Walkthrough" opens the Set up Exchange Mail walkthrough', async () => {
      await vscode.commands.executeCommand('exchangeMail.openWalkthrough');
      const tab = await eventually('the walkthrough tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /Welcome|Walkthrough/.test(t.label)));
      assert.ok(tab);
      await vscode.window.tabGroups.close(tab);
    });
  });

  describe('Remove Account', () => {
    it('removes the settings entry and the account\'s secrets', async () => {
      await setAccounts([
        { address: 'alice@contoso.test', clientId: CLIENT_ID },
        { address: 'shared@contoso.test', clientId: CLIENT_ID, authMode: 'client-credentials', tenant: CONTOSO_TENANT_ID, credential: 'secret' },
      ]);
      await secrets.store(secretKeys.clientSecret('shared@contoso.test'), 'daemon~sandbox-secret-4444');
      assert.equal(await removeAccount(context, 'shared@contoso.test', async () => true), true);
      assert.deepEqual((userAccounts() as { address: string }[]).map((a) => a.address), ['alice@contoso.test']);
      assert.equal(secrets.values.get(secretKeys.clientSecret('shared@contoso.test')), undefined);
    });

    it('keeps everything when the user does not confirm', async () => {
      await setAccounts([{ address: 'alice@contoso.test', clientId: CLIENT_ID }]);
      assert.equal(await removeAccount(context, 'alice@contoso.test', async () => false), false);
      assert.equal((userAccounts() as unknown[]).length, 1);
    });
  });

  describe('The vscode mode', () => {
    let provider: RecordingProvider | undefined;
    let platform: IdentityPlatform | undefined;
    let stateDir: string | undefined;

    afterEach(async () => {
      provider?.dispose();
      provider = undefined;
      await platform?.stop();
      platform = undefined;
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
      stateDir = undefined;
    });

    it('asks VS Code\'s provider with the account\'s VSCODE_CLIENT_ID and VSCODE_TENANT', async () => {
      provider = registerProvider('record');
      await setAccounts([{ address: 'alice@contoso.test', clientId: CLIENT_ID, tenant: CONTOSO_TENANT_ID, vscodeProvider: 'microsoft-sovereign-cloud' }]);
      // Opening the Mailboxes view makes the running extension ask, silently, whether alice is signed in.
      await vscode.commands.executeCommand('workbench.view.extension.exchangeMail');
      // VS Code itself lists the provider's sessions (no scopes) when it registers; the account's request is the one with scopes.
      const scopes = await eventually('the provider to be asked for the account', () => provider?.scopesAsked.find((s) => s.length > 0));
      for (const expected of ['VSCODE_CLIENT_ID:0d2c1b4a-1111-4aaa-8bbb-000000000001', `VSCODE_TENANT:${CONTOSO_TENANT_ID}`,
        'https://outlook.office.com/IMAP.AccessAsUser.All']) {
        assert.ok(scopes.includes(expected), `${expected} missing from ${scopes.join(' ')}`);
      }
    });

    it('falls back to MSAL when the provider fails, says so, and signs in by device code', async () => {
      provider = registerProvider('fail');
      stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-accounts-identity-'));
      const certificates = ensureCertificates(stateDir);
      platform = await startIdentityPlatform({ stateDir, certificates });
      platform.control.setDeviceCodeInterval(1);
      const shown: DeviceCodePrompt[] = [];
      const { log } = testContext(secrets);
      const real = createAuthPorts({ secrets } as unknown as vscode.ExtensionContext, log);
      // Device code is the fallback in a remote window; code-server's extension host may or may not report one.
      const recorded = ports(secrets, log, {
        remoteName: real.remoteName ?? 'test-remote',
        showDeviceCode: (prompt, signal) => {
          shown.push(prompt);
          real.showDeviceCode(prompt, signal);
        },
      });
      const signIns = new SignIns(recorded.ports);
      await setAccounts([{
        address: 'alice@contoso.test', preset: 'custom', clientId: appByKey('public').clientId, tenant: CONTOSO_TENANT_ID,
        vscodeProvider: 'microsoft-sovereign-cloud', authorityHost: platform.url, caFile: certificates.caFile, protocols: ['imap'],
        imap: { host: '127.0.0.1', port: 993, security: 'tls' },
      }]);
      const [account] = settings.accounts();
      const signingIn = signIns.signIn(account, new AbortController().signal);
      const prompt = await eventually('the device code', () => shown[0], { timeoutMs: 30000 });
      assert.match(prompt.verificationUri, /^https:\/\/127\.0\.0\.1:\d+\/devicelogin$/);
      platform.control.approveDeviceCode(prompt.userCode, 'alice@contoso.test');
      const token = await signingIn;
      assert.equal(token.user, 'alice@contoso.test');
      assert.ok(provider.scopesAsked.length > 0, 'VS Code\'s provider was not asked first');
      assert.equal(recorded.notices.length, 1);
      assert.match(recorded.notices[0], /Exchange Mail signs alice@contoso.test in with its own device code sign-in instead/);
      assert.equal(await signIns.isSignedIn(account), true);
      signIns.dispose();
      log.dispose();
    });
  });
});
