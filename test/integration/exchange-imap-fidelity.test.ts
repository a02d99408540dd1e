/**
 * The sandbox's exchange IMAP endpoint says, line for line, what Exchange Online says in the
 * published transcripts (/work/shared/exchange/imap-transcripts.md, § numbers below): exact
 * texts, order, spacing (STATUS's trailing space) and quoting, read with a bare TLS socket.
 */
import * as assert from 'node:assert/strict';
import { xoauth2Response } from '../../src/mail/net/xoauth2';
import { ALICE, ImapSandbox, imapSandbox } from './imap-sandbox';
import { ImapWireClient } from './imap-wire-client';

const CAPABILITY_BEFORE = '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';
const CAPABILITY_AFTER = '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CLIENTACCESSRULES '
  + 'CLIENTNETWORKPRESENCELOCATION BACKENDAUTHENTICATE CHILDREN IDLE NAMESPACE LITERAL+';

describe('Exchange IMAP front: the wire as Exchange Online writes it', function () {
  this.timeout(60_000);
  let sandbox: ImapSandbox;
  const clients: ImapWireClient[] = [];

  before(async () => {
    sandbox = imapSandbox();
  });

  afterEach(() => {
    sandbox.servers.faults.clear();
    for (const client of clients.splice(0)) client.close();
  });

  const payload = (token = sandbox.mintToken()) => xoauth2Response({ encrypted: true }, { user: ALICE, accessToken: token });

  async function greeted(): Promise<{ client: ImapWireClient; greeting: string }> {
    const client = await ImapWireClient.connect({ ...sandbox.servers.imap.exchange, ca: sandbox.ca });
    clients.push(client);
    return { client, greeting: await client.line() };
  }

  async function signedIn(): Promise<ImapWireClient> {
    const { client } = await greeted();
    assert.deepEqual(await client.command('a1', `AUTHENTICATE XOAUTH2 ${payload()}`), ['a1 OK AUTHENTICATE completed.']);
    return client;
  }

  describe('before and at login', () => {
    it('greets with the front end FQDN as base64 of UTF-16LE (§1, §17)', async () => {
      const { greeting } = await greeted();
      const blob = /^\* OK The Microsoft Exchange IMAP4 service is ready\. \[([A-Za-z0-9+/]+=*)\]$/.exec(greeting)?.[1];
      assert.match(Buffer.from(blob ?? '', 'base64').toString('utf16le'), /^[A-Z0-9]+\.[a-z0-9]+\.prod\.outlook\.com$/, greeting);
    });

    it('advertises the current pre-auth capabilities, then the post-auth ones, with no capability codes (§3, §4)', async () => {
      const { client } = await greeted();
      const lines = [
        ...await client.command('C0', 'CAPABILITY'),
        ...await client.command('C1', `AUTHENTICATE XOAUTH2 ${payload()}`),
        ...await client.command('C2', 'CAPABILITY'),
      ];
      assert.deepEqual(lines, [CAPABILITY_BEFORE, 'C0 OK CAPABILITY completed.', 'C1 OK AUTHENTICATE completed.',
        CAPABILITY_AFTER, 'C2 OK CAPABILITY completed.']);
    });

    it('takes XOAUTH2 in two steps: a bare continuation, then the payload (§1)', async () => {
      const { client } = await greeted();
      client.write('A1 AUTHENTICATE XOAUTH2\r\n');
      const continuation = await client.line();
      client.write(`${payload()}\r\n`);
      assert.deepEqual([continuation, ...await client.until('A1')], ['+ ', 'A1 OK AUTHENTICATE completed.']);
    });

    it('refuses an expired token, PLAIN and LOGIN in Exchange words, and signs off (§2, §3)', async () => {
      const { client } = await greeted();
      const lines = [
        ...await client.command('B1', `AUTHENTICATE XOAUTH2 ${payload(sandbox.mintToken(-60))}`),
        ...await client.command('B2', `AUTHENTICATE PLAIN ${Buffer.from(`\0${ALICE}\0secret`).toString('base64')}`),
        ...await client.command('B3', `LOGIN "${ALICE}" secret`),
        ...await client.command('B4', 'LOGOUT'),
      ];
      assert.deepEqual(lines, ['B1 NO AUTHENTICATE failed.', 'B2 NO AUTHENTICATE failed.', 'B3 NO LOGIN failed.',
        '* BYE Microsoft Exchange Server 2016 IMAP4 server signing off.', 'B4 OK LOGOUT completed.']);
      await client.closed;
    });

    it('refuses a mailbox command before login as in the wrong state (§13)', async () => {
      const { client } = await greeted();
      assert.deepEqual(await client.command('S1', 'SELECT INBOX'), ['S1 BAD Command received in Invalid state.']);
    });
  });

  describe('after login', () => {
    it('answers NAMESPACE and ID (§5; ID assumed)', async () => {
      const client = await signedIn();
      assert.deepEqual([...await client.command('N1', 'NAMESPACE'), ...await client.command('N2', 'ID ("name" "fidelity-test")')],
        ['* NAMESPACE (("" "/")) NIL NIL', 'N1 OK NAMESPACE completed.', '* ID NIL', 'N2 OK ID completed.']);
    });

    it('lists every folder sorted case-insensitively, Inbox in mixed case also under it, attributes in order, quoted only with spaces (§5, §18)', async () => {
      const client = await signedIn();
      assert.deepEqual(await client.command('L1', 'LIST "" "*"'), [
        '* LIST (\\HasNoChildren) "/" Archive',
        '* LIST (\\Noselect \\HasChildren) "/" Clients',
        '* LIST (\\HasNoChildren) "/" Clients/Fabrikam',
        '* LIST (\\HasNoChildren) "/" "Clients/Northwind Traders"',
        '* LIST (\\HasNoChildren) "/" "Conversation History"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Deleted Items"',
        '* LIST (\\HasNoChildren \\Drafts) "/" Drafts',
        '* LIST (\\HasChildren) "/" Inbox',
        '* LIST (\\HasNoChildren) "/" Inbox/Team',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk Email"',
        '* LIST (\\HasNoChildren) "/" Notifications',
        '* LIST (\\HasNoChildren) "/" Outbox',
        '* LIST (\\HasChildren) "/" Projects',
        '* LIST (\\HasChildren) "/" Projects/2026',
        '* LIST (\\HasNoChildren) "/" Projects/2026/Q4',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent Items"',
        'L1 OK LIST completed.',
      ]);
    });

    it('answers LIST "" "INBOX" with Inbox, and finds its sub-folder whatever the case asked (§5)', async () => {
      const client = await signedIn();
      assert.deepEqual([...await client.command('L2', 'LIST "" "INBOX"'), ...await client.command('L3', 'LIST "" "inbox/%"')],
        ['* LIST (\\HasChildren) "/" Inbox', 'L2 OK LIST completed.', '* LIST (\\HasNoChildren) "/" Inbox/Team', 'L3 OK LIST completed.']);
    });

    it('answers STATUS with the name as asked, unquoted when it can be, items in the asked order and a trailing space (§6)', async () => {
      const client = await signedIn();
      const lines = [
        ...await client.command('T1', 'STATUS "INBOX" (MESSAGES RECENT UNSEEN UIDNEXT)'),
        ...await client.command('T2', 'STATUS "Inbox/Team" (UNSEEN MESSAGES)'),
        ...await client.command('T3', 'STATUS "Sent Items" (MESSAGES)'),
      ];
      const counts = lines.map((l) => l.replace(/(MESSAGES|RECENT|UIDNEXT) \d+/g, '$1 N'));
      assert.deepEqual(counts, [
        '* STATUS INBOX (MESSAGES N RECENT N UNSEEN 7 UIDNEXT N) ', 'T1 OK STATUS completed.',
        '* STATUS Inbox/Team (UNSEEN 1 MESSAGES N) ', 'T2 OK STATUS completed.',
        '* STATUS "Sent Items" (MESSAGES N) ', 'T3 OK STATUS completed.',
      ]);
    });

    it('selects with the untagged lines of Exchange, in its order, and examines read-only (§15)', async () => {
      const client = await signedIn();
      const selected = await client.command('S1', 'SELECT Inbox/Team');
      const examined = await client.command('S2', 'EXAMINE inbox');
      assert.deepEqual(selected.map((l) => l.replace(/\d{3,}/g, 'N')), [
        '* 2 EXISTS', selected[1], '* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)',
        '* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)] Permanent flags',
        '* OK [UNSEEN 2] Is the first unseen message', '* OK [UIDVALIDITY N] UIDVALIDITY value',
        '* OK [UIDNEXT 3] The next unique identifier value', 'S1 OK [READ-WRITE] SELECT completed.',
      ]);
      assert.match(selected[1]!, /^\* \d RECENT$/);
      assert.deepEqual([examined[3], examined[examined.length - 1]], ['* OK [PERMANENTFLAGS ()] Permanent flags', 'S2 OK [READ-ONLY] EXAMINE completed.']);
    });

    it('accepts IDLE with its own continuation text and completes it on DONE (§16)', async () => {
      const client = await signedIn();
      await client.command('I0', 'SELECT INBOX');
      client.write('I1 IDLE\r\n');
      const continuation = await client.line();
      client.write('DONE\r\n');
      assert.deepEqual([continuation, ...await client.until('I1')], ['+ IDLE accepted, awaiting DONE command.', 'I1 OK IDLE completed.']);
    });

    it('turns any argument error into Exchange BAD (§13)', async () => {
      const client = await signedIn();
      await client.command('E0', 'SELECT INBOX');
      assert.deepEqual(await client.command('E1', 'FETCH 1 (BODY['), ['E1 BAD Command Argument Error. 11']);
    });

    it('appends with a synchronizing literal and with LITERAL+, and fetches both back byte for byte (§13)', async () => {
      const client = await signedIn();
      const message = (n: number) => Buffer.from(`Subject: Literal ${n}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`
        + `${'Grüße aus Zürich, '.repeat(8000)}\r\n`, 'utf8');
      const [first, second] = [message(1), message(2)];
      client.write(`P1 APPEND Outbox (\\Seen) {${first.length}}\r\n`);
      const continuation = await client.line();
      client.write(first);
      client.write('\r\n');
      const appended = await client.until('P1');
      client.write(Buffer.concat([Buffer.from(`P2 APPEND Outbox (\\Seen) {${second.length}+}\r\n`), second, Buffer.from('\r\n')]));
      const appendedPlus = await client.until('P2');
      await client.command('P3', 'SELECT Outbox');
      client.write('P4 UID FETCH 1:* (BODY.PEEK[])\r\n');
      const bodies: Buffer[] = [];
      for (let i = 0; i < 2; i++) {
        const head = await client.line();
        const size = Number(/\{(\d+)\}$/.exec(head)?.[1]);
        bodies.push(await client.bytes(size));
        await client.line();
      }
      const fetched = await client.until('P4');
      await client.command('P5', 'UID STORE 1:* +FLAGS.SILENT (\\Deleted)');
      await client.command('P6', 'EXPUNGE');
      assert.equal(continuation, '+ Ready for additional command text.');
      assert.match(appended.join('|'), /^P1 OK \[APPENDUID \d+ \d+\] APPEND completed\.$/);
      assert.match(appendedPlus.join('|'), /^P2 OK \[APPENDUID \d+ \d+\] APPEND completed\.$/);
      assert.deepEqual([bodies[0]!.equals(first), bodies[1]!.equals(second), fetched], [true, true, ['P4 OK FETCH completed.']]);
    });
  });

  describe('faults on demand', () => {
    it('imap-token-expired ends the session at the command with Exchange BYE (§10)', async () => {
      const client = await signedIn();
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-token-expired', command: 'LIST' } });
      assert.deepEqual(await client.command('X0', 'NOOP'), ['X0 OK NOOP completed.']);
      client.write('X1 LIST "" "*"\r\n');
      assert.deepEqual(await client.rest(), ['* BYE Session invalidated - AccessTokenExpired']);
    });

    it('imap-token-expired reaches a session that is idling', async () => {
      const client = await signedIn();
      await client.command('Y0', 'SELECT INBOX');
      client.write('Y1 IDLE\r\n');
      await client.line();
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-token-expired' } });
      assert.deepEqual(await client.rest(), ['* BYE Session invalidated - AccessTokenExpired']);
    });

    it('imap-throttled refuses exactly the asked number of pipelined STATUS commands, in order (§11)', async () => {
      const client = await signedIn();
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-throttled', command: 'STATUS', backoffMs: 89117 }, times: 3 });
      client.write(['Archive', 'Drafts', 'Outbox', 'Notifications', 'INBOX'].map((f, i) => `Z${i} STATUS ${f} (MESSAGES)\r\n`).join(''));
      const lines = await client.until('Z4');
      assert.deepEqual(lines.filter((l) => !l.startsWith('* STATUS ')), [
        'Z0 BAD Request is throttled. Suggested Backoff Time: 89117 milliseconds',
        'Z1 BAD Request is throttled. Suggested Backoff Time: 89117 milliseconds',
        'Z2 BAD Request is throttled. Suggested Backoff Time: 89117 milliseconds',
        'Z3 OK STATUS completed.', 'Z4 OK STATUS completed.',
      ]);
      assert.match(lines.join('|'), /\* STATUS Notifications \(MESSAGES \d+\) \|Z3 OK/);
    });

    it('imap-throttled with NO and BYE refuses an APPEND before its literal, then closes (§11)', async () => {
      const client = await signedIn();
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-throttled', command: 'APPEND', backoffMs: 299609, status: 'NO', bye: true } });
      client.write('W1 APPEND Outbox {5}\r\n');
      assert.deepEqual(await client.rest(), ['W1 NO Request is throttled. Suggested Backoff Time: 299609 milliseconds', '* BYE Connection closed. 14']);
    });

    it('imap-not-connected lets AUTHENTICATE and CAPABILITY through, then refuses the next command and closes (§4)', async () => {
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-not-connected' } });
      const client = await signedIn();
      const capability = await client.command('V1', 'CAPABILITY');
      client.write('V2 NAMESPACE\r\n');
      assert.deepEqual([...capability, ...await client.rest()], [CAPABILITY_AFTER, 'V1 OK CAPABILITY completed.',
        'V2 BAD User is authenticated but not connected.', '* BYE Connection closed. 14']);
    });

    it('imap-drop closes the connection without a word, and only for the user it names', async () => {
      sandbox.servers.faults.add({ user: 'bob@contoso.test', fault: { kind: 'imap-drop' } });
      const client = await signedIn();
      assert.deepEqual(await client.command('D0', 'NOOP'), ['D0 OK NOOP completed.']);
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-drop', command: 'SELECT' } });
      client.write('D1 SELECT INBOX\r\n');
      assert.deepEqual(await client.rest(), []);
    });
  });
});
