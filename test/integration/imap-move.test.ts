/**
 * Moving and deleting messages through an ImapSession on the sandbox's Exchange profile (MOVE
 * after login, UIDPLUS, COPYUID). The tests file messages of a folder of their own, and put back
 * or remove whatever they moved into the seeded folders.
 */
import * as assert from 'node:assert/strict';
import type { ImapFlow } from 'imapflow';
import { ImapSession } from '../../src/mail/imap/session';
import { withImapflowAt } from '../sandbox/imapflow-client';
import { ALICE, cachedCredentials, ImapSandbox, imapSandbox } from './imap-sandbox';

const FOLDER = 'Move Tests';

describe('Moving and deleting messages (exchange profile)', function () {
  this.timeout(60_000);
  let sandbox: ImapSandbox;
  let session: ImapSession;

  /** `use` with a client of alice's mailbox of its own, straight to the server. */
  const direct = <T>(use: (client: ImapFlow) => Promise<T>) =>
    withImapflowAt({ ...sandbox.server('exchange'), ca: sandbox.ca }, { user: ALICE, accessToken: sandbox.mintToken() }, use);

  /** Subjects and flags of a folder's messages, straight from the server. */
  const contents = (folder: string) => direct(async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      const messages = await client.fetchAll('1:*', { envelope: true, flags: true });
      return new Map(messages.map((m) => [m.envelope?.subject ?? '', [...(m.flags ?? [])].filter((f) => f.startsWith('\\') && f !== '\\Recent').sort()]));
    } catch {
      return new Map<string, string[]>();
    } finally {
      lock.release();
    }
  });

  const message = (subject: string) => `From: bob@contoso.test\r\nTo: alice@contoso.test\r\nSubject: ${subject}\r\n\r\n${subject}.\r\n`;

  before(async () => {
    sandbox = imapSandbox();
    await direct(async (client) => {
      await client.mailboxCreate(FOLDER);
      await client.append(FOLDER, message('Flagged and read'), ['\\Seen', '\\Flagged']);
      await client.append(FOLDER, message('Unread'), []);
      await client.append(FOLDER, message('To delete'), []);
    });
    session = new ImapSession({ server: sandbox.server('exchange'), credentials: cachedCredentials(sandbox) });
    await session.listFolders();
  });

  after(async () => {
    await session?.close();
    await direct((client) => client.mailboxDelete(FOLDER)).catch(() => undefined);
  });

  const uidsOf = async (folder: string, subjects: string[]) =>
    (await session.messagePage(folder)).messages.filter((m) => subjects.includes(m.subject)).map((m) => m.uid);

  it('moves two messages to Archive with one UID MOVE, and Undo by their new UIDs brings them back with their flags', async () => {
    const subjects = ['Flagged and read', 'Unread'];
    const archive = session.folders!.special('archive')!.path;
    const moved = await session.moveMessages(FOLDER, await uidsOf(FOLDER, subjects), archive);
    const inArchive = await contents(archive);
    assert.deepEqual([moved.uidMap.size, inArchive.get('Flagged and read'), inArchive.get('Unread'), [...(await contents(FOLDER)).keys()]],
      [2, ['\\Flagged', '\\Seen'], [], ['To delete']]);
    await session.moveMessages(archive, [...moved.uidMap.values()], FOLDER);
    const back = await contents(FOLDER);
    assert.deepEqual([back.get('Flagged and read'), back.get('Unread'), (await contents(archive)).has('Unread')], [['\\Flagged', '\\Seen'], [], false]);
  });

  it('Delete moves the message to Deleted Items, found by \\Trash or by name; deleting it there removes it for good', async () => {
    const trash = session.folders!.special('trash')!.path;
    const [uid] = await uidsOf(FOLDER, ['To delete']);
    const moved = await session.moveMessages(FOLDER, [uid!], trash);
    assert.deepEqual([trash, (await contents(trash)).has('To delete'), (await contents(FOLDER)).has('To delete')], ['Deleted Items', true, false]);
    await session.deleteMessages(trash, [...moved.uidMap.values()]);
    assert.equal((await contents(trash)).has('To delete'), false);
  });

  it('a move to a folder deleted meanwhile says the folder is gone, and the messages stay where they were', async () => {
    await direct((client) => client.mailboxCreate('Gone Soon'));
    await session.listFolders();
    await direct((client) => client.mailboxDelete('Gone Soon'));
    const uids = await uidsOf(FOLDER, ['Unread']);
    await assert.rejects(session.moveMessages(FOLDER, uids, 'Gone Soon'), (err: Error & { code?: string }) => err.code === 'folder-gone');
    assert.equal((await contents(FOLDER)).has('Unread'), true);
  });

  it('flags and unflags messages with STORE ±FLAGS (\\Flagged)', async () => {
    const uids = await uidsOf(FOLDER, ['Unread']);
    await session.setFlagged(FOLDER, uids, true);
    const flagged = (await contents(FOLDER)).get('Unread');
    await session.setFlagged(FOLDER, uids, false);
    assert.deepEqual([flagged, (await contents(FOLDER)).get('Unread')], [['\\Flagged'], []]);
  });
});
