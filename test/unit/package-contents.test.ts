import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listFiles, PackageManager } from '@vscode/vsce';

const root = resolve(__dirname, '..', '..', '..');
const bundle = (name: string) => readFileSync(join(root, 'dist', `${name}.js`), 'utf8');

describe('The VSIX and the bundles', () => {
  // `npm test -- unit` does not bundle first: these tests make the bundles they read (esbuild, about a second).
  before(async function () {
    this.timeout(60_000);
    const build = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href) as { bundle(options: { production: boolean }): Promise<void> };
    await build.bundle({ production: false });
  });

  it('the VSIX holds the bundles, the icons, the walkthrough, the docs and the manifest, and nothing else', async function () {
    this.timeout(20000);
    // As `npm run package` lists them: `--no-dependencies` means no package manager walk.
    const files = await listFiles({ cwd: root, packageManager: PackageManager.None });
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/(extension|features|core|body-worker)\.js|media\/[\w-]+\.svg|media\/walkthrough\/[\w-]+\.md)$/.test(f));
    assert.deepEqual(unexpected, []);
    assert.ok(['dist/extension.js', 'dist/features.js', 'dist/core.js', 'dist/body-worker.js'].every((f) => files.includes(f)), files.join(', '));
  });

  it('activation loads no MSAL or mail library, nor the UI\'s features: they are only in the core and features bundles', () => {
    const activation = bundle('extension');
    const features = bundle('features');
    const core = bundle('core');
    // A string of each library that survives minification: @azure/msal-node, imapflow, nodemailer, mailparser (libmime), markdown-wasm (md4c).
    const libraries = ['msal-node', 'IMAP4rev1', 'nodemailer', 'libmime', 'PERMISSIVE_WWW_AUTOLINKS'];
    assert.deepEqual(libraries.filter((name) => activation.includes(name) || features.includes(name)), []);
    assert.deepEqual(libraries.filter((name) => !core.includes(name)), []);
    // A text of each feature folder of src/ui that survives minification: accounts (the wizard and
    // sign-in), diagnostics, mailbox, send, and the view's tree.
    const featureTexts = ['Add Exchange Mail Account', 'Signing in ', 'Account to test', 'IMAP session opened', 'Open the document to send in an editor first.',
      'The server lists no folders'];
    assert.deepEqual(featureTexts.filter((text) => activation.includes(text)), []);
    assert.deepEqual(featureTexts.filter((text) => !features.includes(text)), []);
  });
});
