import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSnapshot, MailboxSnapshot, SNAPSHOT_VERSION } from '../../../src/mail/cache/mailbox-snapshot';
import { snapshotFileName, SnapshotStore } from '../../../src/mail/cache/snapshot-store';
import { FolderTree } from '../../../src/mail/imap/folder-model';
import type { MessageSummary } from '../../../src/mail/imap/message-page';

const ALICE = 'alice@contoso.test';
const SERVER = 'outlook.office365.com:993';

const message = (uid: number, extra: Partial<MessageSummary> = {}): MessageSummary => ({
  uid, subject: `Message ${uid}`, from: { name: 'Priya Raman', address: 'priya.raman@contoso.test' }, date: new Date(Date.UTC(2026, 10, uid % 28 + 1, 9)),
  unread: uid % 2 === 0, flagged: uid === 3, answered: uid === 4, hasAttachment: uid === 5, size: 1000 + uid, ...extra,
});

function snapshot(pages: [string, number][] = [['INBOX', 3]]): MailboxSnapshot {
  return {
    mailbox: ALICE, server: SERVER, savedAt: Date.UTC(2026, 11, 1),
    folders: [
      { path: 'Inbox', delimiter: '/', flags: ['\\HasChildren'], total: 30, unread: 7 },
      { path: 'Inbox/Team', delimiter: '/', flags: ['\\HasNoChildren'], total: 4, unread: 0 },
      { path: 'Clients', delimiter: '/', flags: ['\\Noselect'] },
      { path: 'Archive', delimiter: '/', flags: [], countsError: 'Request is throttled.' },
    ],
    pages: new Map(pages.map(([path, count], i) => [path, { total: count, savedAt: Date.UTC(2026, 11, 1) + i, messages: Array.from({ length: count }, (_, k) => message(count - k)) }])),
  };
}

describe('The mailbox cache', () => {
  let dir: string;
  let errors: string[];
  let store: SnapshotStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'exchange-mail-cache-'));
    errors = [];
    store = new SnapshotStore(join(dir, 'mailbox-cache'), { debounceMs: 5, onError: (m) => errors.push(m) });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const save = async (s: MailboxSnapshot, id = s.mailbox) => {
    store.schedule(id, async () => s);
    await store.flush();
  };

  it('a saved snapshot reads back as it was: folders, counts and the first page of headers, and builds the same tree', async () => {
    const saved = snapshot();
    await save(saved);
    const read = await store.read(ALICE, SERVER);
    assert.deepEqual(read, saved);
    const tree = new FolderTree(read!.folders);
    assert.deepEqual(tree.all().map((f) => [f.path, f.unread, f.openable]), new FolderTree(saved.folders).all().map((f) => [f.path, f.unread, f.openable]));
    assert.deepEqual(errors, []);
  });

  it('only header fields reach the disk: a body, a text or a token a summary carries is not written', async () => {
    const leaky = { ...message(1), body: 'SECRET-BODY', text: 'SECRET-TEXT', accessToken: 'eyJ-SECRET-TOKEN' } as MessageSummary;
    await save({ ...snapshot([]), pages: new Map([['INBOX', { total: 1, savedAt: 1, messages: [leaky] }]]) });
    const text = readFileSync(store.fileOf(ALICE), 'utf8');
    assert.ok(!/SECRET/.test(text), text);
    assert.deepEqual(Object.keys((JSON.parse(text) as { pages: { messages: object[] }[] }).pages[0]!.messages[0]!).sort(),
      ['answered', 'date', 'flagged', 'from', 'hasAttachment', 'size', 'subject', 'uid', 'unread']);
  });

  it('the file is written whole and readable by the user alone; nothing temporary is left', async () => {
    await save(snapshot());
    assert.deepEqual(readdirSync(store.folder), [snapshotFileName(ALICE)]);
    assert.equal(statSync(store.fileOf(ALICE)).mode & 0o777, 0o600);
  });

  it('a corrupt file, one of another version, mailbox or server is ignored and removed', async () => {
    const cases: [string, string][] = [
      ['half written', '{"version":1,"mailbox":"alice@con'],
      ['another version', encodeSnapshot(snapshot())!.replace(`"version":${SNAPSHOT_VERSION}`, '"version":99')],
      ['a wrong shape', encodeSnapshot(snapshot())!.replace('"unread":7', '"unread":"seven"')],
      ['another mailbox', encodeSnapshot({ ...snapshot(), mailbox: 'bob@contoso.test' })!],
    ];
    for (const [what, text] of cases) {
      await save(snapshot());
      writeFileSync(store.fileOf(ALICE), text);
      assert.equal(await store.read(ALICE, SERVER), undefined, what);
      assert.deepEqual(readdirSync(store.folder), [], what);
    }
    await save(snapshot());
    assert.equal(await store.read(ALICE, 'imap.contoso.test:993'), undefined, 'another server');
    assert.equal(errors.length, cases.length + 1);
  });

  it('a file over the size limit is not read but removed; a save over it drops the oldest pages first', async () => {
    const small = new SnapshotStore(store.folder, { debounceMs: 5, maxBytes: 6000 });
    await save(snapshot([['INBOX', 5]]));
    writeFileSync(store.fileOf(ALICE), encodeSnapshot(snapshot([['INBOX', 50]]))!);
    assert.equal(await small.read(ALICE, SERVER), undefined);
    assert.deepEqual(readdirSync(store.folder), []);

    small.schedule(ALICE, async () => snapshot([['Old', 20], ['INBOX', 20]]));
    await small.flush();
    const read = await small.read(ALICE, SERVER);
    assert.deepEqual([...read!.pages.keys()], ['INBOX']);
    assert.ok(statSync(small.fileOf(ALICE)).size <= 6000);
  });

  it('a mailbox whose folder list alone is over the limit is not kept at all', async () => {
    await save(snapshot());
    const tiny = new SnapshotStore(store.folder, { debounceMs: 5, maxBytes: 200 });
    tiny.schedule(ALICE, async () => snapshot());
    await tiny.flush();
    assert.deepEqual(readdirSync(store.folder), []);
  });

  it('file names never lead out of the folder, whatever the mailbox id, and two ids never share one', () => {
    const ids = ['../../etc/passwd', '..\\..\\Windows\\win.ini', 'alice@contoso.test>shared@contoso.test', 'a/b', 'a_b', 'CON', '', `${'x'.repeat(300)}@contoso.test`];
    const names = ids.map(snapshotFileName);
    for (const name of names) assert.match(name, /^[a-z0-9@._-]{0,80}-[0-9a-f]{16}\.json$/);
    assert.ok(names.every((name) => join(store.folder, name).startsWith(`${store.folder}/`) && !name.includes('/') && !name.includes('\\')));
    assert.equal(new Set(names).size, ids.length);
  });

  it('saves are debounced: several within the quiet time write once, the last one', async () => {
    let made = 0;
    for (const count of [1, 2, 3]) store.schedule(ALICE, async () => (made++, snapshot([['INBOX', count]])));
    await new Promise((r) => setTimeout(r, 50));
    await store.flush();
    assert.equal(made, 1);
    assert.equal((await store.read(ALICE, SERVER))!.pages.get('INBOX')!.messages.length, 3);
  });

  it('a snapshot being made may read the last one (what it keeps of folders not read since)', async () => {
    await save(snapshot([['Archive', 2]]));
    store.schedule(ALICE, async () => {
      const last = await store.read(ALICE, SERVER);
      return { ...snapshot(), pages: new Map([...last!.pages, ...snapshot().pages]) };
    });
    await store.flush();
    assert.deepEqual([...(await store.read(ALICE, SERVER))!.pages.keys()].sort(), ['Archive', 'INBOX']);
  });

  it('a removal cancels a save scheduled before it, and retain keeps only the mailboxes named', async () => {
    await save(snapshot());
    await save({ ...snapshot(), mailbox: 'bob@contoso.test' });
    await save({ ...snapshot(), mailbox: 'carol@contoso.test' });
    store.schedule(ALICE, async () => snapshot());
    await store.remove([ALICE]);
    await store.flush();
    assert.equal(await store.read(ALICE, SERVER), undefined);
    await store.retain(['bob@contoso.test']);
    assert.deepEqual(readdirSync(store.folder), [snapshotFileName('bob@contoso.test')]);
    await store.clear();
    assert.equal(await store.read('bob@contoso.test', SERVER), undefined);
  });
});
