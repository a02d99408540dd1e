import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'exchange-mail.exchange-mail';

describe('Exchange Mail in a real VS Code', () => {
  it('is installed and not active until the user reaches for it', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code`);
    const events: string[] = extension.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events.join(', ')}`);
  });

  it('"Show Log" activates the extension and registers its commands', async () => {
    await vscode.commands.executeCommand('exchangeMail.showLog');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.equal(extension?.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('exchangeMail.showLog'));
  });

  it('contributes the Mailboxes view in the Mail container', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    const views = manifest.contributes.views.exchangeMail as { id: string; name: string }[];
    assert.deepEqual(views.map((v) => [v.id, v.name]), [['exchangeMail.mailboxes', 'Mailboxes']]);
  });
});
