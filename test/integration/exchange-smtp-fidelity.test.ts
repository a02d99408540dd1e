/**
 * The sandbox's SMTP endpoint says, line for line, what smtp.office365.com:587 says in the
 * published transcripts (/work/shared/exchange/smtp-transcripts.md, "§n" below). A bare socket
 * client (no SMTP library to smooth anything over) replays their exchanges; tokens come from the
 * sandbox identity platform; what arrives is read back over IMAP.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect as connectTcp, Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';
import { eventually } from '../eventually';
import { appOnlyToken, sandbox } from './sandbox';
import { withImapflow } from './sandbox-imapflow';

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const SHARED = 'shared@contoso.test';
/** The front end and mailbox server the sandbox's replies name. */
const FE = 'SBXPR01CA0042.namprd01.prod.outlook.com';
const HOSTNAME = 'SBXPR01MB4711.namprd01.prod.outlook.com';

const EHLO_BEFORE_TLS = ['250-SBXPR01CA0042.outlook.office365.com Hello [127.0.0.1]', '250-SIZE 157286400', '250-PIPELINING', '250-DSN',
  '250-ENHANCEDSTATUSCODES', '250-STARTTLS', '250-8BITMIME', '250-BINARYMIME', '250-CHUNKING', '250 SMTPUTF8'];
const EHLO_AFTER_TLS = EHLO_BEFORE_TLS.map((line) => (line === '250-STARTTLS' ? '250-AUTH LOGIN XOAUTH2' : line));

/** A line-for-line SMTP conversation: `say` sends a line and returns the whole reply, one string per line. */
class Wire {
  private buffer = '';
  private waiting?: () => void;
  private closed = false;

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  static async open(): Promise<Wire> {
    const { host, port } = sandbox().mail.smtp;
    const socket = connectTcp({ host, port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Wire(socket);
  }

  /** Connected, greeted, through STARTTLS and EHLO again. */
  static async secured(): Promise<Wire> {
    const wire = await Wire.open();
    await wire.reply();
    await wire.say('EHLO client.contoso.test');
    await wire.say('STARTTLS');
    await wire.startTls();
    await wire.say('EHLO client.contoso.test');
    return wire;
  }

  static async authenticated(user: string, token: string): Promise<Wire> {
    const wire = await Wire.secured();
    assert.deepEqual(await wire.say(`AUTH XOAUTH2 ${xoauth2(user, token)}`), ['235 2.7.0 Authentication successful']);
    return wire;
  }

  async say(line: string): Promise<string[]> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  async reply(): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) {
        if (this.closed) return [...lines, '(closed)'];
        await new Promise<void>((resolve) => (this.waiting = resolve));
        continue;
      }
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      lines.push(line);
      if (/^\d{3}( |$)/.test(line)) return lines;
    }
  }

  async startTls(): Promise<void> {
    const secure = connectTls({ socket: this.socket, ca: readFileSync(sandbox().info.caFile), host: '127.0.0.1' });
    await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    this.socket = secure;
    this.listen(secure);
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  close(): void {
    this.socket.destroy();
  }

  private listen(socket: Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { this.buffer += chunk; this.waiting?.(); });
    socket.on('close', () => { this.closed = true; this.waiting?.(); });
    socket.on('error', () => {});
  }
}

function xoauth2(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
}

const control = () => sandbox().identity.control;
/** A delegated token with SMTP.Send (and IMAP) for a user, issued by the sandbox identity platform. */
const delegated = (user: string) => control().mintAccessToken({ upn: user, unique_name: user });
const appOnly = () => appOnlyToken(['SMTP.SendAsApp']);

function message(from: string, to: string, subject: string): string {
  return `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${randomUUID()}@client.contoso.test>\r\n\r\nBody of ${subject}\r\n`;
}

/** MAIL, RCPT, DATA and the message, with the replies to each. */
async function submit(wire: Wire, envelopeFrom: string, to: string, text: string): Promise<string[][]> {
  const replies = [await wire.say(`MAIL FROM:<${envelopeFrom}>`), await wire.say(`RCPT TO:<${to}>`), await wire.say('DATA')];
  wire.write(text.replace(/^\./gm, '..'));
  replies.push(await wire.say('.'));
  return replies;
}

const imap = <T>(user: string, use: (client: ImapFlow) => Promise<T>): Promise<T> => withImapflow({ user, accessToken: delegated(user) }, use);

/** The messages in a folder whose subject holds `subject`: their source and flags. */
function found(user: string, folder: string, subject: string): Promise<{ source: string; flags: string[] }[]> {
  return imap(user, async (client) => {
    await client.mailboxOpen(folder, { readOnly: true });
    const uids = (await client.search({ subject }, { uid: true })) || [];
    const messages = [];
    for (const uid of uids) {
      const fetched = await client.fetchOne(String(uid), { source: true, flags: true }, { uid: true });
      // \Recent only says this IMAP session is the first to see it.
      if (fetched) messages.push({ source: fetched.source!.toString('utf8'), flags: [...(fetched.flags ?? [])].filter((f) => f !== '\\Recent') });
    }
    return messages;
  });
}

function arrived(user: string, folder: string, subject: string): Promise<{ source: string; flags: string[] }[]> {
  return eventually(`"${subject}" to arrive in ${user}'s ${folder}`, async () => {
    const messages = await found(user, folder, subject);
    return messages.length > 0 && messages;
  }, { timeoutMs: 15_000, intervalMs: 250 });
}

describe('Exchange SMTP fidelity: the sandbox answers as smtp.office365.com:587', function () {
  this.timeout(60_000);
  const wires: Wire[] = [];
  const track = (wire: Wire) => (wires.push(wire), wire);

  afterEach(() => {
    for (const wire of wires.splice(0)) wire.close();
    sandbox().mail.faults.clear();
  });

  it('greets with a front end name and a date whose day has no leading zero (§4)', async () => {
    const wire = track(await Wire.open());
    const [greeting] = await wire.reply();
    const match = /^220 SBXPR01CA0042\.outlook\.office365\.com Microsoft ESMTP MAIL Service ready at (\w{3}), ([1-9]\d?) (\w{3}) (\d{4}) (\d\d:\d\d:\d\d) \+0000$/.exec(greeting ?? '');
    assert.ok(match, greeting);
    const [, day, date, month, year, time] = match;
    const stamped = Date.parse(`${day}, ${date} ${month} ${year} ${time} GMT`);
    assert.ok(Math.abs(stamped - Date.now()) < 60_000, `${greeting} is not now`);
  });

  it('lists the EHLO keywords before STARTTLS, and AUTH LOGIN XOAUTH2 in its place after (§2, §4)', async () => {
    const wire = track(await Wire.open());
    await wire.reply();
    const before = await wire.say('EHLO client.contoso.test');
    const startTls = await wire.say('STARTTLS');
    await wire.startTls();
    const after = await wire.say('EHLO client.contoso.test');
    assert.deepEqual([before, startTls, after], [EHLO_BEFORE_TLS, ['220 2.0.0 SMTP server ready'], EHLO_AFTER_TLS]);
  });

  it('submits: 235, Sender OK, Recipient OK, 354, and the queued reply with the Message-ID (§1, §5)', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    const subject = `Fidelity ${randomUUID()}`;
    const text = message(ALICE, BOB, subject);
    const messageId = /Message-ID: (<[^>]+>)/.exec(text)![1];
    assert.deepEqual(await submit(wire, ALICE, BOB, text), [
      ['250 2.1.0 Sender OK'], ['250 2.1.5 Recipient OK'], ['354 Start mail input; end with <CRLF>.<CRLF>'],
      [`250 2.0.0 OK ${messageId} [Hostname=${HOSTNAME}]`],
    ]);
    await arrived(BOB, 'INBOX', subject);
  });

  it("keeps the exact submitted bytes, read, in the sender's Sent Items", async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    const subject = `Sent copy ${randomUUID()}`;
    const text = message(ALICE, BOB, subject);
    await submit(wire, ALICE, BOB, text);
    const copies = await found(ALICE, 'Sent Items', subject);
    assert.deepEqual(copies, [{ source: text, flags: ['\\Seen'] }]);
  });

  it('takes XOAUTH2 in two steps after a bare 334 (§5)', async () => {
    const wire = track(await Wire.secured());
    assert.deepEqual([await wire.say('AUTH XOAUTH2'), await wire.say(xoauth2(ALICE, delegated(ALICE)))],
      [['334'], ['235 2.7.0 Authentication successful']]);
  });

  it('refuses a token for someone else, an expired one, or one without SMTP.Send with 535 5.7.3 (§5, §6)', async () => {
    const wire = track(await Wire.secured());
    const refused = `535 5.7.3 Authentication unsuccessful [${FE}]`;
    const now = Math.floor(Date.now() / 1000);
    const replies = [
      await wire.say(`AUTH XOAUTH2 ${xoauth2(BOB, delegated(ALICE))}`),
      await wire.say(`AUTH XOAUTH2 ${xoauth2(ALICE, control().mintAccessToken({ nbf: now - 7200, exp: now - 3600 }))}`),
      await wire.say(`AUTH XOAUTH2 ${xoauth2(ALICE, control().mintAccessToken({ scp: 'IMAP.AccessAsUser.All' }))}`),
    ];
    assert.deepEqual(replies, [[refused], [refused], [refused]]);
  });

  it('answers RSET with 250 2.0.0 Resetting (§8)', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    await wire.say(`MAIL FROM:<${ALICE}>`);
    assert.deepEqual([await wire.say('RSET'), await wire.say(`MAIL FROM:<${ALICE}>`)], [['250 2.0.0 Resetting'], ['250 2.1.0 Sender OK']]);
  });

  it('wants hello first, STARTTLS before AUTH or MAIL, AUTH before MAIL, and knows only LOGIN and XOAUTH2 (§6, §7)', async () => {
    const wire = track(await Wire.open());
    await wire.reply();
    const replies = [await wire.say(`MAIL FROM:<${ALICE}>`)];
    await wire.say('EHLO client.contoso.test');
    replies.push(await wire.say(`AUTH XOAUTH2 ${xoauth2(ALICE, delegated(ALICE))}`), await wire.say(`MAIL FROM:<${ALICE}>`));
    await wire.say('STARTTLS');
    await wire.startTls();
    replies.push(await wire.say(`MAIL FROM:<${ALICE}>`));
    await wire.say('EHLO client.contoso.test');
    replies.push(await wire.say(`MAIL FROM:<${ALICE}>`), await wire.say('AUTH PLAIN AGFsaWNlAHNlY3JldA=='));
    assert.deepEqual(replies, [
      ['503 5.5.2 Send hello first'],
      [`451 5.7.3 STARTTLS is required to send mail [${FE}]`],
      [`451 5.7.3 STARTTLS is required to send mail [${FE}]`],
      ['503 5.5.2 Send hello first'],
      [`530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [${FE}]`],
      [`504 5.7.4 Unrecognized authentication type [${FE}]`],
    ]);
  });

  it('answers AUTH LOGIN with both prompts, then 535 5.7.139: basic authentication is off (§1, §6)', async () => {
    const wire = track(await Wire.secured());
    assert.deepEqual([await wire.say('AUTH LOGIN'), await wire.say('YWxpY2VAY29udG9zby50ZXN0'), await wire.say('c2VjcmV0')], [
      ['334 VXNlcm5hbWU6'], ['334 UGFzc3dvcmQ6'], [`535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [${FE}]`],
    ]);
  });

  it('refuses an unknown mailbox and a domain it does not deliver to at RCPT, in Exchange words', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    await wire.say(`MAIL FROM:<${ALICE}>`);
    assert.deepEqual([await wire.say('RCPT TO:<nobody@contoso.test>'), await wire.say('RCPT TO:<dan@fabrikam.example>')], [
      ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
      [`550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain [${FE}]`],
    ]);
  });

  it('refuses alice sending as bob with 554 5.2.252 SendAsDenied after the data, and delivers nothing (§2)', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    const denied = `Send as bob ${randomUUID()}`;
    const replies = await submit(wire, ALICE, BOB, message(BOB, BOB, denied));
    assert.deepEqual(replies.at(-1), [`554 5.2.252 SendAsDenied; ${ALICE} not allowed to send as ${BOB}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message.`]);
    // A message sent after it on the same connection arrives; the refused one is not beside it.
    const allowed = `After the refusal ${randomUUID()}`;
    await submit(wire, ALICE, BOB, message(ALICE, BOB, allowed));
    await arrived(BOB, 'INBOX', allowed);
    assert.deepEqual(await found(BOB, 'INBOX', denied), []);
  });

  it('lets alice send as the shared mailbox she has SendAs on, keeping the copy in her own Sent Items', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    const subject = `As shared ${randomUUID()}`;
    const replies = await submit(wire, ALICE, BOB, message(SHARED, BOB, subject));
    assert.match(replies.at(-1)![0]!, /^250 2\.0\.0 OK /);
    assert.equal((await found(ALICE, 'Sent Items', subject)).length, 1);
  });

  it("lets the daemon app send as the mailbox it has permission on, and not as alice", async () => {
    const wire = track(await Wire.authenticated(SHARED, appOnly()));
    const own = (await submit(wire, SHARED, BOB, message(SHARED, BOB, `App ${randomUUID()}`))).at(-1)![0]!;
    const asAlice = (await submit(wire, SHARED, BOB, message(ALICE, BOB, `App as alice ${randomUUID()}`))).at(-1)![0]!;
    assert.match(own, /^250 2\.0\.0 OK /);
    assert.match(asAlice, new RegExp(`^554 5\\.2\\.252 SendAsDenied; ${SHARED} not allowed to send as ${ALICE}; `));
  });

  it('takes a message in BDAT chunks (CHUNKING is advertised) and queues it at LAST', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    const subject = `Chunked ${randomUUID()}`;
    const text = Buffer.from(message(ALICE, BOB, subject));
    const [first, last] = [text.subarray(0, 40), text.subarray(40)];
    await wire.say(`MAIL FROM:<${ALICE}> BODY=BINARYMIME`);
    await wire.say(`RCPT TO:<${BOB}>`);
    wire.write(`BDAT ${first.length}\r\n`);
    wire.write(first);
    const replies = [await wire.reply()];
    wire.write(`BDAT ${last.length} LAST\r\n`);
    wire.write(last);
    replies.push(await wire.reply());
    const messageId = /Message-ID: (<[^>]+>)/.exec(text.toString())![1];
    assert.deepEqual(replies, [['250 2.0.0 40 octets received'], [`250 2.0.0 OK ${messageId} [Hostname=${HOSTNAME}]`]]);
    await arrived(BOB, 'INBOX', subject);
  });

  it('refuses a message over the 35 MB limit after its data, and one announced over the advertised SIZE at MAIL', async () => {
    const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
    const over = await wire.say(`MAIL FROM:<${ALICE}> SIZE=157286401`);
    await wire.say(`MAIL FROM:<${ALICE}> SIZE=37000000`);
    await wire.say(`RCPT TO:<${BOB}>`);
    await wire.say('DATA');
    const line = `${'x'.repeat(998)}\r\n`;
    wire.write(`From: ${ALICE}\r\nSubject: Too large\r\n\r\n`);
    for (let i = 0; i < 37_000; i++) wire.write(line);
    const tooLarge = await wire.say('.');
    assert.deepEqual([over, tooLarge], [
      [`552 5.3.4 Message size exceeds fixed maximum message size [${FE}]`],
      ['554 5.2.0 MapiExceptionMaxSubmissionExceeded; Message size exceeds maximum size limit.; STOREDRV.Submission.Exception:MessageSubmissionExceededException.MapiExceptionMaxSubmissionExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot save changes made to an item to store.'],
    ]);
  });

  describe('faults on demand', () => {
    const faults = () => sandbox().mail.faults;

    it('smtp-auth-disabled answers 535 5.7.139 for the tenant or the mailbox (§6)', async () => {
      faults().add({ user: ALICE, fault: { kind: 'smtp-auth-disabled', scope: 'tenant' } });
      faults().add({ user: ALICE, fault: { kind: 'smtp-auth-disabled', scope: 'mailbox' } });
      const wire = track(await Wire.secured());
      const auth = `AUTH XOAUTH2 ${xoauth2(ALICE, delegated(ALICE))}`;
      assert.deepEqual([await wire.say(auth), await wire.say(auth), await wire.say(auth)], [
        [`535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [${FE}]`],
        [`535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [${FE}]`],
        ['235 2.7.0 Authentication successful'],
      ]);
    });

    it('smtp-send-as-denied refuses even alice as herself after the data, and keeps no copy', async () => {
      faults().add({ user: ALICE, fault: { kind: 'smtp-send-as-denied' } });
      const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
      const subject = `Fault send-as ${randomUUID()}`;
      const replies = await submit(wire, ALICE, BOB, message(ALICE, BOB, subject));
      assert.match(replies.at(-1)![0]!, new RegExp(`^554 5\\.2\\.252 SendAsDenied; ${ALICE} not allowed to send as ${ALICE}; `));
      assert.deepEqual(await found(ALICE, 'Sent Items', subject), []);
    });

    it('smtp-starttls-required answers 451 5.7.3 at the next AUTH, then at the next MAIL FROM (§7)', async () => {
      faults().add({ user: ALICE, fault: { kind: 'smtp-starttls-required' }, times: 2 });
      const wire = track(await Wire.secured());
      const auth = `AUTH XOAUTH2 ${xoauth2(ALICE, delegated(ALICE))}`;
      const replies = [await wire.say(auth)];
      faults().clear();
      replies.push(await wire.say(auth));
      faults().add({ user: ALICE, fault: { kind: 'smtp-starttls-required' } });
      replies.push(await wire.say(`MAIL FROM:<${ALICE}>`), await wire.say(`MAIL FROM:<${ALICE}>`));
      const required = `451 5.7.3 STARTTLS is required to send mail [${FE}]`;
      assert.deepEqual(replies, [[required], ['235 2.7.0 Authentication successful'], [required], ['250 2.1.0 Sender OK']]);
    });

    it('smtp-drop closes the connection without a word when its command arrives', async () => {
      faults().add({ user: ALICE, fault: { kind: 'smtp-drop', command: 'DATA' } });
      const wire = track(await Wire.authenticated(ALICE, delegated(ALICE)));
      assert.deepEqual([await wire.say(`MAIL FROM:<${ALICE}>`), await wire.say(`RCPT TO:<${BOB}>`), await wire.say('DATA')],
        [['250 2.1.0 Sender OK'], ['250 2.1.5 Recipient OK'], ['(closed)']]);
    });
  });
});
