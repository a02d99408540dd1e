import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AUTH_MODES } from '../../../src/accounts/account';
import { PRESET_IDS } from '../../../src/accounts/presets';

const root = resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const accounts = manifest.contributes.configuration.properties['exchangeMail.accounts'];
const fields = accounts.items.properties;

describe('The accounts setting and commands in the manifest', () => {
  it('exchangeMail.accounts lives in user settings only, so a workspace cannot redirect tokens', () => {
    assert.equal(accounts.scope, 'application');
    assert.equal(accounts.type, 'array');
  });

  it('the schema offers exactly the presets and auth modes the code knows, each explained', () => {
    assert.deepEqual(fields.preset.enum, PRESET_IDS);
    assert.deepEqual(fields.authMode.enum, AUTH_MODES);
    for (const field of ['preset', 'authMode', 'credential', 'sentCopy', 'vscodeProvider']) {
      assert.equal(fields[field].enumDescriptions?.length, fields[field].enum.length, field);
    }
    assert.equal(fields.imap.properties.security.enumDescriptions.length, 2);
  });

  it('every field of an account is described, and no secret has a field', () => {
    for (const [name, schema] of Object.entries(fields) as [string, { markdownDescription?: string }][]) {
      assert.ok(schema.markdownDescription, `${name} has no description`);
    }
    assert.equal(accounts.items.additionalProperties, false);
    assert.ok(!Object.keys(fields).some((f) => /secret$|key$|password|token/i.test(f)));
  });

  it('the account commands are in the Exchange Mail category', () => {
    const titles = Object.fromEntries(manifest.contributes.commands.map((c: { command: string; title: string; category: string }) => [c.command, `${c.category}: ${c.title}`]));
    assert.equal(titles['exchangeMail.addAccount'], 'Exchange Mail: Add Account…');
    assert.equal(titles['exchangeMail.removeAccount'], 'Exchange Mail: Remove Account');
    assert.equal(titles['exchangeMail.signIn'], 'Exchange Mail: Sign In');
    assert.equal(titles['exchangeMail.signOut'], 'Exchange Mail: Sign Out');
  });

  it('the welcome content offers Add Account and the walkthrough', () => {
    const welcome = manifest.contributes.viewsWelcome.map((w: { contents: string }) => w.contents).join('\n');
    assert.match(welcome, /\[Add Account\]\(command:exchangeMail.addAccount\)/);
    assert.match(welcome, /\(command:exchangeMail.openWalkthrough\)/);
  });

  it('every walkthrough step has its page, and the pages cover the registration the guide needs', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.title, 'Set up Exchange Mail');
    const pages = walkthrough.steps.map((s: { media: { markdown: string } }) => s.media.markdown as string);
    for (const page of pages) assert.ok(existsSync(join(root, page)), `${page} is missing`);
    const text = pages.map((p: string) => readFileSync(join(root, p), 'utf8')).join('\n');
    for (const needed of ['http://localhost', 'https://vscode.dev/redirect', 'Mobile and desktop applications', 'IMAP.AccessAsUser.All',
      'POP.AccessAsUser.All', 'SMTP.Send', 'Office 365 Exchange Online', 'APIs my organization uses', 'Allow public client flows',
      'AADSTS7000218', 'consumers', 'New-ServicePrincipal', 'Add-MailboxPermission']) {
      assert.ok(text.includes(needed), `the walkthrough never mentions ${needed}`);
    }
  });
});
