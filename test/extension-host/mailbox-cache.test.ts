/**
 * The mailbox cache in a real VS Code: windows are the extension's features started over one
 * global storage folder and one SecretStorage, as two VS Code windows share them, each with its
 * own Mailboxes tree, sessions and model (`startFeatures`, as activation starts them). Alice
 * and the shared mailbox she has FullAccess on are read through a relay that can hold the
 * server's replies (a slow server) or stop (a server down), so what a new window shows before
 * the server answers can be read.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startFeatures } from '../../src/features';
import { snapshotFileName } from '../../src/mail/cache/snapshot-store';
import type { TreeNode } from '../../src/ui/tree/mailboxes-tree';
import { TcpProxy } from '../integration/imap-tcp-proxy';
import { accountSettingsFor } from '../sandbox/account-settings';
import { eventually } from '../eventually';
import { ALICE, ApprovingSandbox, setAccounts, startApprovingSandbox, withMailbox } from './approving-sandbox';
import { MemorySecrets } from './memory-secrets';
import { readView } from './view-reader';

const SHARED = 'shared@contoso.test';
const CACHE_SETTING = 'exchangeMail.cache.enabled';

type Window = ReturnType<typeof startFeatures> & { close(): Promise<void> };

describe('The mailbox cache: a new window shows the last known mailbox at once', function () {
  this.timeout(60_000);
  let sandbox: ApprovingSandbox;
  let relay: TcpProxy;
  let storage: string;
  const secrets = new MemorySecrets();
  const log = vscode.window.createOutputChannel('Exchange Mail cache test', { log: true });
  const opened: Window[] = [];
  let window: Window;

  /** A new window: the features started afresh over the shared storage and secrets. */
  function openWindow(): Window {
    const subscriptions: vscode.Disposable[] = [];
    const memento = { get: () => undefined, update: async () => undefined, keys: () => [] };
    const context = { subscriptions, secrets, globalStorageUri: vscode.Uri.file(storage), globalState: memento } as unknown as vscode.ExtensionContext;
    const features = startFeatures(context, log);
    const opening: Window = {
      ...features,
      async close() {
        await features.deactivate();
        subscriptions.forEach((s) => s.dispose());
      },
    };
    opened.push(opening);
    return opening;
  }

  const { item, labelOf, children, child } = readView(() => window.tree);
  const descriptionOf = async (address: string) => item(await child(undefined, address)).description;
  /** Each folder row of a mailbox as [name, unread count]. */
  const folderRows = async (address: string) => (await children(await child(undefined, address)))
    .filter((n) => n.kind === 'folder').map((n) => [labelOf(n), item(n).description]);
  const subjects = async (folder: TreeNode) => (await children(folder)).filter((n) => n.kind === 'message').map(labelOf);
  const inboxOf = async (address: string) => child(await child(undefined, address), 'Inbox');
  const cacheFiles = () => (existsSync(join(storage, 'mailbox-cache')) ? readdirSync(join(storage, 'mailbox-cache')) : []);
  const cachedText = () => cacheFiles().map((f) => readFileSync(join(storage, 'mailbox-cache', f), 'utf8')).join('\n');
  /** The mailbox's cache file as written. */
  const cached = (id: string) => {
    const file = join(storage, 'mailbox-cache', snapshotFileName(id));
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as { folders: { path: string; unread?: number }[]; pages: { path: string; messages: unknown[] }[] } : undefined;
  };
  const cachedInboxUnread = () => cached(ALICE)?.folders.find((f) => f.path.toUpperCase() === 'INBOX')?.unread;

  before(async function () {
    this.timeout(180_000);
    sandbox = await startApprovingSandbox('mailbox-cache');
    relay = new TcpProxy(sandbox.box.info.imap.exchange);
    const port = await relay.start();
    storage = mkdtempSync(join(tmpdir(), 'exchange-mail-global-storage-'));
    const [account] = accountSettingsFor(sandbox.box.info);
    await setAccounts([{ ...account, imap: { ...(account!.imap as object), port }, sharedMailboxes: [SHARED] }]);
    window = openWindow();
    assert.equal(await window.signIn(ALICE), true, 'alice could not sign in');
  });

  after(async () => {
    relay?.release();
    for (const w of opened) await w.close();
    await vscode.workspace.getConfiguration().update(CACHE_SETTING, undefined, vscode.ConfigurationTarget.Global);
    await setAccounts(undefined);
    await relay?.stop();
    await sandbox?.stop();
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  let firstWindow: { alice: unknown[][]; shared: unknown[][]; inbox: unknown[] };

  it('after the view was read once, each mailbox has its file: folders, counts and the Inbox page, headers without bodies', async () => {
    firstWindow = { alice: await folderRows(ALICE), shared: await folderRows(SHARED), inbox: await subjects(await inboxOf(ALICE)) };
    await subjects(await inboxOf(SHARED));
    await eventually('a cache file for alice and one for the shared mailbox, each with its Inbox page', () =>
      [ALICE, `${ALICE}>${SHARED}`].every((id) => cached(id)?.pages.some((p) => p.path === 'INBOX' && p.messages.length > 0)) && cacheFiles().length === 2);
    const text = cachedText();
    assert.ok(text.includes('Re: Release 2.4 go/no-go') && text.includes('priya.raman@contoso.test'), 'the newest Inbox message\'s headers are cached');
    // Its body says "the smoke tests are green" (the mailboxes suite reads it): no body reaches the disk.
    assert.ok(!text.includes('smoke tests'), 'a message body was cached');
    assert.ok(!/eyJ[\w-]{20,}/.test(text), 'a token was cached');
  });

  it('a new window shows the cached folders, counts and Inbox marked "cached · updating…" while the server has not answered, then the server\'s', async () => {
    await window.close();
    // Meanwhile, elsewhere (Outlook): alice reads all her Inbox mail.
    await withMailbox(sandbox, ALICE, async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageFlagsAdd({ seen: false }, ['\\Seen']);
    });
    relay.hold();
    window = openWindow();
    assert.deepEqual([await descriptionOf(ALICE), await descriptionOf(SHARED)],
      ['signed in · cached · updating…', `shared · ${ALICE} · cached · updating…`]);
    assert.deepEqual([await folderRows(ALICE), await folderRows(SHARED), await subjects(await inboxOf(ALICE))],
      [firstWindow.alice, firstWindow.shared, firstWindow.inbox]);
    assert.equal((await folderRows(ALICE))[0]?.[1], '7', 'the cached Inbox count');
    // All that while, the window's connection waited for the server's greeting.
    await eventually('the window asked the server', () => relay.heldChunks > 0);

    relay.release();
    await eventually('alice shown from the server', async () => (await descriptionOf(ALICE)) === 'signed in');
    const inbox = (await folderRows(ALICE))[0];
    assert.deepEqual(inbox, ['Inbox', undefined], 'the server\'s Inbox: nothing unread');
  });

  it('when the server cannot be reached, the cached folders stay with the reason above them, and Retry brings the server\'s', async () => {
    await window.close();
    assert.equal(cachedInboxUnread(), 0, 'the window saved what the server said when it closed');
    await relay.stop();
    window = openWindow();
    const alice = await child(undefined, ALICE);
    await eventually('the failure shown above the cached folders', async () => {
      const rows = await children(alice);
      return rows[0]?.kind === 'mailboxError' && rows.some((n) => labelOf(n) === 'Sent Items') ? rows : undefined;
    });
    assert.equal(await descriptionOf(ALICE), 'signed in · cached · not current');
    const error = (await children(await child(undefined, ALICE)))[0]!;
    await relay.start();
    await window.retry(error as Parameters<Window['retry']>[0]);
    await eventually('alice shown from the server after Retry', async () => {
      const rows = await children(await child(undefined, ALICE));
      const description = await descriptionOf(ALICE);
      if (description !== 'signed in' || rows[0]?.kind !== 'folder') throw new Error(`${String(description)}: ${rows.slice(0, 2).map(labelOf).join(', ')}`);
      return true;
    });
  });

  it('Sign Out removes the files of alice and of the mailbox her sign-in opens; a new window then offers Sign In, nothing cached', async () => {
    assert.equal(cacheFiles().length, 2);
    assert.equal(await window.signOut(ALICE), true);
    await eventually('no cache file left', () => cacheFiles().length === 0);
    window = openWindow();
    assert.deepEqual([await descriptionOf(ALICE), (await children(await child(undefined, ALICE))).map(labelOf)], ['not signed in', ['Sign in to see folders']]);
  });

  it('with exchangeMail.cache.enabled off no file is written, and turning it off removes the files there were', async () => {
    assert.equal(await window.signIn(ALICE), true);
    await folderRows(ALICE);
    await eventually('alice cached again', () => cacheFiles().length === 1);
    await vscode.workspace.getConfiguration().update(CACHE_SETTING, false, vscode.ConfigurationTarget.Global);
    await eventually('the cache removed', () => !existsSync(join(storage, 'mailbox-cache')));
    window.refresh();
    await subjects(await inboxOf(ALICE));
    await folderRows(SHARED);
    // Past the save's debounce (a second): still nothing.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(cacheFiles(), []);
  });
});
