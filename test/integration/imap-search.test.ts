/**
 * "Search Mailbox…" against alice's mailbox through the Exchange-like front: each criterion of
 * the query finds the seeded messages it should and nothing else.
 */
import * as assert from 'node:assert/strict';
import { parseSearchQuery, SearchQuery } from '../../src/mail/imap/search-query';
import { ImapSession } from '../../src/mail/imap/session';
import { aliceMailbox, SPECIAL_SUBJECTS } from '../sandbox/mail/mailbox-content';
import { BULK_FOLDER } from '../sandbox/mail/mailbox-layout';
import { ALICE, cachedCredentials, ImapSandbox, imapSandbox, recordingLog } from './imap-sandbox';
import type { ImapFlow } from 'imapflow';
import { Redactor } from '../../src/redact';
import { openCommandConnection } from '../../src/mail/imap/command-connection';
import { ImapTrace } from '../../src/mail/imap/protocol-trace';
import { silentLog } from '../../src/mail/server';
import { MailboxSearch } from '../../src/ui/mailbox/mailbox-search';

const seeded = aliceMailbox(Date.now(), false).messages;
const inbox = seeded.filter((m) => m.folder === 'INBOX');
const subjects = (messages: { subject: string }[]) => messages.map((m) => m.subject).sort();
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('Search Mailbox (exchange profile)', function () {
  this.timeout(60_000);
  let sandbox: ImapSandbox;
  let session: ImapSession;
  const log = recordingLog();

  before(async () => {
    sandbox = imapSandbox();
    session = new ImapSession({ server: sandbox.server('exchange'), credentials: cachedCredentials(sandbox), log });
    await session.listFolders();
  });

  after(async () => {
    await session?.close();
  });

  /** `use` with a connection of its own to alice's mailbox: another client, as a delivery would be. */
  async function elsewhere<T>(use: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await openCommandConnection({ server: sandbox.server('exchange'), credentials: { user: ALICE, accessToken: sandbox.mintToken() },
      trace: new ImapTrace(silentLog, new Redactor()) });
    try {
      return await use(client);
    } finally {
      await client.logout();
    }
  }

  function query(text: string): SearchQuery {
    const parsed = parseSearchQuery(text);
    assert.ok(parsed.query, parsed.problem);
    return parsed.query;
  }

  /** The subjects the query finds in the folder, sorted, and whether they came newest first (as the folder lists them: highest UID first). */
  async function found(folder: string, text: string): Promise<string[]> {
    const hits = await session.search(folder, query(text));
    assert.deepEqual(hits.map((h) => h.uid), [...hits.map((h) => h.uid)].sort((a, b) => b - a), 'newest first');
    return subjects(await session.summaries(folder, hits.map((h) => h.uid)));
  }

  it('from: finds the sender\'s Inbox mail by name or address, and only it', async () => {
    assert.deepEqual(await found('INBOX', 'from:priya'), subjects(inbox.filter((m) => m.from.address.startsWith('priya'))));
  });

  it('subject: with a quoted phrase finds both go/no-go messages', async () => {
    assert.deepEqual(await found('INBOX', 'subject:"go/no-go"'), ['Re: Release 2.4 go/no-go', 'Release 2.4 go/no-go']);
  });

  it('unread finds exactly the unseen Inbox mail; with from: both must hold', async () => {
    assert.deepEqual(await found('INBOX', 'unread'), subjects(inbox.filter((m) => !m.seen)));
    assert.deepEqual(await found('INBOX', 'unread from:marco'), subjects(inbox.filter((m) => !m.seen && m.from.address.startsWith('marco'))));
  });

  it('has:attachment keeps the message with the PDF, not the ones that only say "attached"', async () => {
    assert.deepEqual(await found('INBOX', 'has:attachment'), [SPECIAL_SUBJECTS.attachment]);
  });

  it('words search the text, each required: "smoke green" finds the newest message', async () => {
    assert.deepEqual(await found('INBOX', 'smoke green'), [SPECIAL_SUBJECTS.newest]);
  });

  it('a non-ASCII subject term is sent as UTF-8 and finds the German message', async () => {
    assert.deepEqual(await found('INBOX', 'subject:Grüße'), [SPECIAL_SUBJECTS.nonAscii]);
  });

  it('since: a day to come finds nothing; since: last year finds every unread message', async () => {
    assert.deepEqual(await found('INBOX', `since:${day(2)}`), []);
    assert.deepEqual(await found('INBOX', `since:${day(-365)} unread`), subjects(inbox.filter((m) => !m.seen)));
  });

  it('Inbox arrivals: only unread mail delivered after the mark counts as new, and the mark moves', async () => {
    const { highestUid: mark } = await session.inboxArrivals();
    const deliver = (subject: string, flags: string[]) => elsewhere(
      (client) => client.append('INBOX', `From: Dana Whitfield <dana@fabrikam.test>\r\nTo: ${ALICE}\r\nSubject: ${subject}\r\n\r\nHi.\r\n`, flags));
    const added = [await deliver('Already read elsewhere', ['\\Seen']), await deliver('Quarterly numbers are in', [])];
    try {
      const arrivals = await session.inboxArrivals(mark);
      assert.deepEqual([arrivals.unread.map((m) => [m.subject, m.from?.name]), arrivals.highestUid > mark], [[['Quarterly numbers are in', 'Dana Whitfield']], true]);
      assert.deepEqual((await session.inboxArrivals(arrivals.highestUid)).unread, []);
    } finally {
      const uids = added.flatMap((a) => (a && a.uid ? [a.uid] : []));
      await elsewhere(async (client) => {
        await client.mailboxOpen('INBOX');
        await client.messageDelete(uids.join(','), { uid: true });
      });
    }
  });

  it('in the 5,000 Notifications, one build by number', async () => {
    assert.deepEqual((await found(BULK_FOLDER, 'subject:"Build #19990"')).length, 1);
  });

  it('in the 5,000 Notifications, the first page of 1,000 matches costs UID SEARCH and one FETCH of its 50 rows, newest first', async () => {
    await session.summaries(BULK_FOLDER, [1]);
    const from = log.commands().length;
    const search = await MailboxSearch.run(session, query('subject:failed'), [BULK_FOLDER], BULK_FOLDER);
    const sent = log.commands().slice(from).map((c) => c.split(' ').slice(0, 2).join(' '));
    const builds = search.messages.map((m) => Number(/#(\d+)/.exec(m.subject)?.[1]));
    assert.deepEqual([search.total, sent, builds.length, builds[0]! > builds[49]!], [1000, ['NOOP', 'UID SEARCH', 'UID FETCH'], 50, true]);
  });

  it('a search in the folder the session has open finds mail another client delivered since (the NOOP before it tells of it)', async () => {
    await session.summaries('INBOX', [1]);
    const delivered = await elsewhere((client) => client.append('INBOX', `From: Dana Whitfield <dana@fabrikam.test>\r\nTo: ${ALICE}\r\nSubject: Kiosk rollout\r\n\r\nHi.\r\n`, []));
    try {
      assert.deepEqual(await found('INBOX', 'subject:kiosk'), ['Kiosk rollout']);
    } finally {
      await elsewhere(async (client) => {
        await client.mailboxOpen('INBOX');
        if (delivered) await client.messageDelete(String(delivered.uid), { uid: true });
      });
    }
  });

  it('searched across folders, the matches carry their arrival dates and merge newest first', async () => {
    const search = await MailboxSearch.run(session, query('from:priya'), ['INBOX', 'Archive', 'Projects/2026/Q4'], undefined);
    const dates = search.messages.map((m) => m.date!.getTime());
    assert.deepEqual([new Set(search.messages.map((m) => m.folder)).size, dates], [3, [...dates].sort((a, b) => b - a)]);
  });
});
