/**
 * The sandbox's mail servers behave like Exchange Online towards independent clients: imapflow
 * on both IMAP profiles, nodemailer on submission, a raw TLS socket for POP3. Tokens come from
 * the sandbox identity platform, forged ones too.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ImapFlow } from 'imapflow';
import * as nodemailer from 'nodemailer';
import { GRAPH_AUDIENCE, Protocol, PROTOCOL_PERMISSIONS } from '../sandbox/directory';
import type { JwtClaims } from '../sandbox/identity/jwt';
import type { MintOptions } from '../sandbox/identity/control';
import { Endpoint } from '../sandbox/mail';
import { BULK_FOLDER, BULK_MESSAGE_COUNT } from '../sandbox/mail/mailbox-layout';
import { ATTACHMENT_FILE, NON_ASCII_SENDER, SPECIAL_SUBJECTS } from '../sandbox/mail/mailbox-content';
import { eventually } from '../eventually';
import { appOnlyToken, sandbox } from './sandbox';

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const SHARED = 'shared@contoso.test';

const now = () => Math.floor(Date.now() / 1000);

/** A delegated token of `user` with the protocol's permission, as Entra issues it for Exchange. */
function delegatedToken(user: string, protocol: Protocol, claims: JwtClaims = {}, options: MintOptions = {}): string {
  return sandbox().identity.control.mintAccessToken({ scp: PROTOCOL_PERMISSIONS[protocol].delegated, ...claims }, { user, ...options });
}

const appOnly = (protocol: Protocol) => appOnlyToken([PROTOCOL_PERMISSIONS[protocol].application]);

describe('sandbox mail servers (Exchange Online stand-in)', function () {
  this.timeout(60_000);
  const servers = () => sandbox().mail;
  let ca: Buffer;

  async function imapClient(at: Endpoint, user: string, accessToken: string): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: at.host, port: at.port, secure: true, tls: { ca }, auth: { user, accessToken }, logger: false,
    });
    client.on('error', () => { /* a refused login also closes the socket; connect() reports it */ });
    await client.connect();
    return client;
  }

  /** Resolves with whether the IMAP login was accepted. */
  async function imapLogsIn(at: Endpoint, user: string, accessToken: string): Promise<boolean> {
    try {
      const client = await imapClient(at, user, accessToken);
      await client.logout();
      return true;
    } catch (error) {
      if ((error as { authenticationFailed?: boolean }).authenticationFailed) return false;
      throw error;
    }
  }

  function smtp(user: string, accessToken: string) {
    return nodemailer.createTransport({
      host: servers().smtp.host, port: servers().smtp.port, secure: false, requireTLS: true, tls: { ca },
      auth: { type: 'OAuth2', user, accessToken },
    });
  }

  async function smtpLogsIn(user: string, accessToken: string): Promise<boolean> {
    const transport = smtp(user, accessToken);
    try {
      return await transport.verify();
    } catch (error) {
      if ((error as { code?: string }).code === 'EAUTH') return false;
      throw error;
    } finally {
      transport.close();
    }
  }

  /**
   * POP3 over implicit TLS with AUTH XOAUTH2 in two steps, as Exchange requires (one line with
   * the response is a protocol error there); resolves with the server's final reply line.
   */
  function pop3Auth(user: string, accessToken: string): Promise<string> {
    const payload = Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`).toString('base64');
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({ host: servers().pop3.host, port: servers().pop3.port, ca });
      let buffer = '';
      let greeted = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!greeted) {
            greeted = true;
            socket.write('AUTH XOAUTH2\r\n');
          } else if (line === '+ ') {
            socket.write(`${payload}\r\n`);
          } else {
            socket.end('QUIT\r\n');
            resolve(line);
          }
        }
      });
      socket.on('error', reject);
    });
  }

  const pop3LogsIn = async (user: string, accessToken: string) => (await pop3Auth(user, accessToken)).startsWith('+OK');

  const tokenLog = () => readFileSync(servers().logFile, 'utf8');

  before(() => {
    ca = readFileSync(sandbox().info.caFile);
  });

  describe('a valid delegated token', () => {
    it('logs in to the exchange IMAP profile, which advertises exactly what Exchange Online does after login', async () => {
      const client = await imapClient(servers().imap.exchange, ALICE, delegatedToken(ALICE, 'imap'));
      const capabilities = [...client.capabilities.keys()].sort();
      await client.logout();
      assert.deepEqual(capabilities, ['AUTH=PLAIN', 'AUTH=XOAUTH2', 'BACKENDAUTHENTICATE', 'CHILDREN', 'CLIENTACCESSRULES',
        'CLIENTNETWORKPRESENCELOCATION', 'ID', 'IDLE', 'IMAP4', 'IMAP4rev1', 'LITERAL+', 'MOVE', 'NAMESPACE', 'SASL-IR', 'UIDPLUS', 'UNSELECT']);
    });

    it('logs in to the modern IMAP profile, which has LIST-STATUS and SPECIAL-USE', async () => {
      const client = await imapClient(servers().imap.modern, ALICE, delegatedToken(ALICE, 'imap'));
      const capabilities = client.capabilities;
      await client.logout();
      assert.ok(capabilities.has('LIST-STATUS') && capabilities.has('SPECIAL-USE'), [...capabilities.keys()].join(' '));
    });

    it('logs in to POP3', async () => {
      assert.match(await pop3Auth(ALICE, delegatedToken(ALICE, 'pop3')), /^\+OK/);
    });

    it('logs in to SMTP submission', async () => {
      assert.equal(await smtpLogsIn(ALICE, delegatedToken(ALICE, 'smtp')), true);
    });
  });

  describe('per-protocol permissions', () => {
    it('refuse an SMTP-only token for IMAP, as Exchange does, and the log says why', async () => {
      const smtpOnly = delegatedToken(ALICE, 'smtp');
      assert.equal(await imapLogsIn(servers().imap.exchange, ALICE, smtpOnly), false);
      assert.match(tokenLog(), /imap XOAUTH2 alice@contoso\.test refused: scp lacks IMAP\.AccessAsUser\.All/);
    });
  });

  describe('refuses a bad token on every protocol', () => {
    const cases: { name: string; tokenFor: (protocol: Protocol) => string; reason: RegExp }[] = [
      { name: 'an expired token', reason: /token has expired/,
        tokenFor: (p) => delegatedToken(ALICE, p, { exp: now() - 1, nbf: now() - 3600 }) },
      { name: 'a token not valid yet', reason: /token is not valid yet/,
        tokenFor: (p) => delegatedToken(ALICE, p, { nbf: now() + 600 }) },
      { name: 'a token for Microsoft Graph', reason: /aud "https:\/\/graph\.microsoft\.com" is not Exchange Online/,
        tokenFor: (p) => delegatedToken(ALICE, p, { aud: GRAPH_AUDIENCE }) },
      { name: 'a token signed by an unknown key id', reason: /signing key "someone-elses-key" is unknown/,
        tokenFor: (p) => delegatedToken(ALICE, p, {}, { header: { kid: 'someone-elses-key' } }) },
      { name: 'a forged token (known key id, other key)', reason: /signature does not verify/,
        tokenFor: (p) => delegatedToken(ALICE, p, {}, { signWithForeignKey: true }) },
      { name: "another user's token", reason: /token is for bob@contoso\.test, but the login is for alice@contoso\.test/,
        tokenFor: (p) => delegatedToken(BOB, p) },
    ];
    for (const c of cases) {
      it(`${c.name}`, async () => {
        const accepted = {
          imapExchange: await imapLogsIn(servers().imap.exchange, ALICE, c.tokenFor('imap')),
          imapModern: await imapLogsIn(servers().imap.modern, ALICE, c.tokenFor('imap')),
          pop3: await pop3LogsIn(ALICE, c.tokenFor('pop3')),
          smtp: await smtpLogsIn(ALICE, c.tokenFor('smtp')),
        };
        assert.deepEqual(accepted, { imapExchange: false, imapModern: false, pop3: false, smtp: false });
        const reasons = tokenLog().split('\n').filter((line) => c.reason.test(line));
        assert.ok(reasons.length >= 4, `expected the reason ${c.reason} in the token log for each protocol`);
      });
    }
  });

  describe('an app-only token (client credentials)', () => {
    it('opens the shared mailbox the app was given permission to, over IMAP, POP3 and SMTP', async () => {
      const accepted = {
        imap: await imapLogsIn(servers().imap.exchange, SHARED, appOnly('imap')),
        pop3: await pop3LogsIn(SHARED, appOnly('pop3')),
        smtp: await smtpLogsIn(SHARED, appOnly('smtp')),
      };
      assert.deepEqual(accepted, { imap: true, pop3: true, smtp: true });
    });

    it("is refused for alice's mailbox, which the app has no permission for", async () => {
      assert.equal(await imapLogsIn(servers().imap.exchange, ALICE, appOnly('imap')), false);
      assert.match(tokenLog(), /has no mailbox permission for alice@contoso\.test/);
    });
  });

  describe('sending through submission', () => {
    it("delivers alice's message into bob's Inbox", async () => {
      const subject = `Sandbox delivery ${randomUUID()}`;
      const transport = smtp(ALICE, delegatedToken(ALICE, 'smtp'));
      await transport.sendMail({ from: ALICE, to: BOB, subject, text: 'Hello Bob' });
      transport.close();
      const client = await imapClient(servers().imap.exchange, BOB, delegatedToken(BOB, 'imap'));
      try {
        const found = await eventually(`"${subject}" to arrive in bob's Inbox`, async () => {
          await client.mailboxOpen('INBOX');
          const uids = (await client.search({ subject }, { uid: true })) || [];
          await client.mailboxClose();
          return uids.length > 0 && uids;
        }, { timeoutMs: 5_000 });
        assert.equal(found.length, 1);
      } finally {
        await client.logout();
      }
    });

    it('refuses a recipient outside the sandbox domains at RCPT, so nothing leaves the machine', async () => {
      const transport = smtp(ALICE, delegatedToken(ALICE, 'smtp'));
      const error = await transport.sendMail({ from: ALICE, to: 'someone@example.com', subject: 'Out', text: 'x' })
        .then(() => undefined, (e: { code?: string; responseCode?: number; response?: string }) => e);
      transport.close();
      assert.equal(error?.code, 'EENVELOPE');
      assert.match(error?.response ?? '', /^550 5\.7\.54 /);
    });

    it('refuses alice sending as bob after the data, as Exchange does (554 5.2.252 SendAsDenied)', async () => {
      const transport = smtp(ALICE, delegatedToken(ALICE, 'smtp'));
      const error = await transport.sendMail({ from: BOB, to: BOB, subject: 'Spoof', text: 'x' })
        .then(() => undefined, (e: { code?: string; response?: string }) => e);
      transport.close();
      assert.deepEqual([error?.code, error?.response?.split(';')[0]], ['EMESSAGE', '554 5.2.252 SendAsDenied']);
    });
  });

  describe("alice's seeded mailbox", () => {
    it('has Exchange-named folders with delimiter "/", Exchange\'s special-use attributes in plain LIST and a \\Noselect parent', async () => {
      const client = await imapClient(servers().imap.exchange, ALICE, delegatedToken(ALICE, 'imap'));
      const folders = await client.list();
      await client.logout();
      const byPath = new Map(folders.map((f) => [f.path, f]));
      // \Has(No)Children and \(Un)Marked (new mail since the last SELECT, which earlier tests cause) are state, not layout.
      const attributes = (path: string) => [...(byPath.get(path)?.flags ?? [])].filter((f) => !/^\\(Has|Marked|Unmarked)/.test(f)).sort();
      assert.deepEqual({
        delimiters: [...new Set(folders.map((f) => f.delimiter))],
        standard: ['INBOX', 'Drafts', 'Sent Items', 'Deleted Items', 'Junk Email', 'Archive', 'Outbox', 'Conversation History',
          'Projects', 'Projects/2026', 'Projects/2026/Q4', BULK_FOLDER].filter((p) => !byPath.has(p)),
        drafts: attributes('Drafts'), sent: attributes('Sent Items'), trash: attributes('Deleted Items'),
        junk: attributes('Junk Email'), archive: attributes('Archive'), clients: attributes('Clients'),
      }, {
        delimiters: ['/'], standard: [],
        // Exchange never sends \Archive: clients know Archive by its name.
        drafts: ['\\Drafts'], sent: ['\\Sent'], trash: ['\\Trash'], junk: ['\\Junk'], archive: [], clients: ['\\Noselect'],
      });
    });

    it('has about 30 Inbox messages, newest last by UID, including the encoded, attachment and HTML-only ones', async () => {
      const client = await imapClient(servers().imap.exchange, ALICE, delegatedToken(ALICE, 'imap'));
      const byUid: { uid: number; subject: string; from: string; date: number; parts: string }[] = [];
      await client.mailboxOpen('INBOX', { readOnly: true });
      for await (const m of client.fetch('1:*', { uid: true, envelope: true, bodyStructure: true })) {
        byUid.push({ uid: m.uid, subject: m.envelope?.subject ?? '', from: m.envelope?.from?.[0]?.name ?? '',
          date: new Date(m.envelope?.date ?? 0).getTime(), parts: JSON.stringify(m.bodyStructure) });
      }
      const bulk = await client.status(BULK_FOLDER, { messages: true, unseen: true });
      await client.logout();
      const newestByDate = [...byUid].sort((a, b) => b.date - a.date)[0];
      const byUidOrder = [...byUid].sort((a, b) => b.uid - a.uid)[0];
      const find = (subject: string) => byUid.find((m) => m.subject === subject);
      assert.deepEqual({
        count: byUid.length,
        newest: [newestByDate?.subject, byUidOrder?.subject],
        nonAsciiSender: find(SPECIAL_SUBJECTS.nonAscii)?.from,
        attachment: /"type":"application\/pdf"/.test(find(SPECIAL_SUBJECTS.attachment)?.parts ?? '')
          && (find(SPECIAL_SUBJECTS.attachment)?.parts ?? '').includes(ATTACHMENT_FILE),
        htmlOnly: /"type":"text\/html"/.test(find(SPECIAL_SUBJECTS.htmlOnly)?.parts ?? ''),
        bulk: bulk ? bulk.messages : 'status failed',
      }, {
        count: 30, newest: [SPECIAL_SUBJECTS.newest, SPECIAL_SUBJECTS.newest], nonAsciiSender: NON_ASCII_SENDER,
        attachment: true, htmlOnly: true, bulk: BULK_MESSAGE_COUNT,
      });
    });
  });

  describe('lifecycle', () => {
    /** Live (non-zombie) processes as [pid, process group]. */
    function processes(): [number, number, string][] {
      const list: [number, number, string][] = [];
      for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (state !== 'Z') list.push([Number(pid), Number(pgrp), readFileSync(`/proc/${pid}/cmdline`, 'utf8')]);
        } catch {
          // The process ended while we looked.
        }
      }
      return list;
    }

    const bindable = (port: number) => new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });

    it('stops without leaving a process or port behind, and starts again', async () => {
      const ports = [servers().imap.exchange.port, servers().imap.modern.port, servers().pop3.port, servers().smtp.port];
      // The masters carry their configuration's path on their command line; their children share their process group.
      const groups = new Set(processes().filter(([, , cmdline]) => cmdline.includes(servers().dir)).map(([, pgrp]) => pgrp));
      const leftovers: string[] = [];
      const busyPorts: number[] = [];
      let started = 0;
      await sandbox().restartMail(async () => {
        leftovers.push(...processes().filter(([, pgrp]) => groups.has(pgrp)).map(([pid, , cmdline]) => `${pid} ${cmdline}`));
        for (const port of ports) if (!(await bindable(port))) busyPorts.push(port);
        started = Date.now();
      });
      const restartMs = Date.now() - started;
      const loggedIn = await imapLogsIn(servers().imap.exchange, ALICE, delegatedToken(ALICE, 'imap'));
      assert.deepEqual({ masters: groups.size, leftovers, busyPorts, loggedIn, fastRestart: restartMs < 5000 },
        { masters: 3, leftovers: [], busyPorts: [], loggedIn: true, fastRestart: true });
    });
  });
});
