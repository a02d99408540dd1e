/**
 * The user's story in the browser: with a Markdown release note open, run "Exchange Mail: Send
 * Current Document…" from the command palette, type the recipient (a typo is refused first),
 * keep the suggested subject, confirm in the dialog, see the notification naming the
 * Message-ID, and find the message in the recipient's Inbox. The account (alice, device code)
 * is signed in first, the code approved through the sandbox's control API as the person on the
 * other device would. Screenshots go to test-results/.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { ParsedMail, simpleParser } from 'mailparser';
import { Sandbox, startSandbox } from '../sandbox';
import { accountSettingsFor } from '../sandbox/account-settings';
import { eventually } from '../eventually';
import { openSession, Session } from './workbench-session';

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const FILE = 'release-notes.md';

describe('Send Current Document in the browser (UI)', function () {
  let stateDir: string;
  let sandbox: Sandbox;
  let session: Session;
  const heading = `Release 1.4 (${new Date().toISOString().slice(0, 19)})`;

  before(async function () {
    this.timeout(300_000);
    stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-ui-send-'));
    sandbox = await startSandbox({ stateDir });
    sandbox.identity.control.setDeviceCodeInterval(1);
    session = await openSession({ 'exchangeMail.accounts': accountSettingsFor(sandbox.info) });
  });

  after(async () => {
    await session?.close();
    await sandbox?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  const widget = () => session.quickInput();
  const answer = (expected: string, value?: string) => session.answer(expected, value);

  function toast(text: string) {
    return session.page.locator('.notification-toast', { hasText: text });
  }

  async function inboxMessage(user: string, messageId: string): Promise<ParsedMail> {
    const imap = sandbox.info.imap.exchange;
    const source = await eventually(`${messageId} to arrive in ${user}'s Inbox`, async () => {
      const client = new ImapFlow({
        host: imap.host, port: imap.port, secure: true, tls: { ca: readFileSync(sandbox.info.caFile, 'utf8') }, logger: false,
        auth: { user, accessToken: sandbox.identity.control.mintAccessToken({ upn: user, unique_name: user }) },
      });
      client.on('error', () => {});
      await client.connect();
      let source: Buffer | undefined;
      try {
        await client.mailboxOpen('INBOX', { readOnly: true });
        const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
        const message = uids && uids.length ? await client.fetchOne(String(uids[0]), { source: true }, { uid: true }) : false;
        source = message ? message.source : undefined;
      } finally {
        await client.logout();
      }
      return source;
    }, { intervalMs: 250 });
    return simpleParser(source);
  }

  it('signs the account in by device code first', async () => {
    await session.runCommand('Exchange Mail: Sign In');
    const prompt = toast('enter the code');
    await prompt.waitFor({ timeout: 60_000 });
    const code = /enter the code (\S+)/.exec(await prompt.innerText())?.[1];
    assert.ok(code, 'no device code in the notification');
    sandbox.identity.control.approveDeviceCode(code, ALICE);
    await toast(`Signed in ${ALICE}`).waitFor({ timeout: 60_000 });
  });

  it('sends the open Markdown file from the command palette and the recipient gets it', async () => {
    const { page } = session;
    const folder = new URL(page.url()).searchParams.get('folder');
    assert.ok(folder, `no folder in ${page.url()}`);
    writeFileSync(join(folder, FILE), `# ${heading}\n\nWhat is **new**:\n\n- send the document you are editing\n`);
    await page.keyboard.press('Control+P');
    await widget().locator('input.input').fill(FILE);
    await widget().locator('.monaco-list-row', { hasText: FILE }).first().click({ timeout: 30_000 });
    await page.locator('.tab.active', { hasText: FILE }).waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: heading }).first().waitFor({ timeout: 30_000 });

    await session.runCommand('Exchange Mail: Send Current Document…');
    await answer('To: one or more email addresses', 'bob.contoso.test');
    const message = widget().locator('.quick-input-message');
    await message.filter({ hasText: 'is not a valid email address' }).waitFor({ timeout: 10_000 });
    assert.match(await message.innerText(), /"bob\.contoso\.test" is not a valid email address \(in To\)/);
    await session.screenshot('send-to-validation', widget());
    await answer('is not a valid email address', `Bob Okafor <${BOB}>`);
    await answer('Cc (optional)');
    const subject = widget().locator('input.input');
    await eventually('the subject input to show the first heading', async () => {
      const shown = await subject.inputValue();
      if (shown === heading) return true;
      throw new Error(`it shows "${shown}"`);
    }, { timeoutMs: 10_000 });
    await answer('Subject of the message');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const details = await dialog.innerText();
    assert.match(details, new RegExp(`Send "${heading.replace(/[()]/g, '\\$&')}"\\?`));
    assert.match(details, /From: alice@contoso\.test/);
    assert.match(details, /To: Bob Okafor <bob@contoso\.test>/);
    assert.match(details, /Size: about \d+(\.\d)? KB/);
    await session.screenshot('send-confirmation');
    await dialog.locator('.monaco-button', { hasText: /^Send$/ }).click();

    const sent = toast('Message-ID');
    await sent.waitFor({ timeout: 60_000 });
    await page.locator('.notification-toast.notification-fade-in-done', { hasText: 'Message-ID' }).waitFor({ timeout: 10_000 });
    const text = await sent.innerText();
    await session.screenshot('send-success');
    const messageId = /Message-ID: (<[^>]+>)/.exec(text)?.[1];
    assert.ok(messageId, `no Message-ID in the notification: ${text}`);

    const received = await inboxMessage(BOB, messageId);
    assert.equal(received.subject, heading);
    assert.equal(received.from?.text, ALICE);
    assert.match(String(received.html), /<(strong|b)>new<\/\1>/);
  });
});
