/**
 * The sandbox's POP3 endpoint says, line for line, what outlook.office365.com:995 says in the
 * published transcripts (/work/shared/exchange/pop3-transcripts.md, "§n" below). A bare TLS
 * client replays their exchanges; tokens come from the sandbox identity platform.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ImapWireClient } from './imap-wire-client';
import { sandbox } from './sandbox';

const ALICE = 'alice@contoso.test';
const GREETING = '+OK The Microsoft Exchange POP3 service is ready. '
  + `[${Buffer.from('AMSPR04CA0021.eurprd04.prod.outlook.com', 'utf16le').toString('base64')}]`;
const AUTH_FAILED = '-ERR Authentication failure: unknown user name or bad password.';

const xoauth2 = (user: string, token: string) => Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
const control = () => sandbox().identity.control;

/** Connected, greeting read; the greeting is handed back. */
async function pop3(): Promise<{ wire: ImapWireClient; greeting: string }> {
  const { host, port } = sandbox().info.pop3;
  const wire = await ImapWireClient.connect({ host, port, ca: readFileSync(sandbox().info.caFile, 'utf8') });
  return { wire, greeting: await wire.line() };
}

/** Sends a line and reads `count` lines back. */
async function say(wire: ImapWireClient, line: string, count = 1): Promise<string[]> {
  wire.write(`${line}\r\n`);
  const lines: string[] = [];
  while (lines.length < count) lines.push(await wire.line());
  return lines;
}

describe('Exchange POP3 fidelity: the sandbox answers as outlook.office365.com:995', function () {
  this.timeout(60_000);

  it('greets with the front end bracket and lists TOP, UIDL, SASL PLAIN XOAUTH2 and USER (§1)', async () => {
    const { wire, greeting } = await pop3();
    const capa = await say(wire, 'CAPA', 6);
    wire.close();
    assert.deepEqual([greeting, capa], [GREETING, ['+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER', '.']]);
  });

  it("takes AUTH XOAUTH2 in two steps after '+ ', then serves the mailbox (§3, §4)", async () => {
    const { wire } = await pop3();
    const replies = [...await say(wire, 'AUTH XOAUTH2'), ...await say(wire, xoauth2(ALICE, control().mintAccessToken()))];
    const stat = await say(wire, 'STAT');
    wire.close();
    assert.deepEqual([replies, /^\+OK \d+ \d+$/.test(stat[0]!)], [['+ ', '+OK User successfully authenticated.'], true]);
  });

  it('refuses a bad token in Exchange\'s words and lets the client try again on the same connection (§3)', async () => {
    const { wire } = await pop3();
    await say(wire, 'AUTH XOAUTH2');
    const refused = await say(wire, xoauth2(ALICE, control().mintAccessToken({ scp: 'SMTP.Send' })));
    await say(wire, 'AUTH XOAUTH2');
    const accepted = await say(wire, xoauth2(ALICE, control().mintAccessToken()));
    wire.close();
    assert.deepEqual([refused, accepted], [[AUTH_FAILED], ['+OK User successfully authenticated.']]);
  });

  it('answers AUTH with its response on the same line with a protocol error and closes (§5)', async () => {
    const { wire } = await pop3();
    const reply = await say(wire, `AUTH XOAUTH2 ${xoauth2(ALICE, control().mintAccessToken())}`);
    assert.deepEqual([reply, await wire.rest()], [['-ERR Protocol error. Connection is closed. 10'], []]);
  });

  it('refuses basic authentication at PASS and mailbox commands before login (§6, §7)', async () => {
    const { wire } = await pop3();
    const replies = [...await say(wire, `USER ${ALICE}`), ...await say(wire, 'PASS secret'), ...await say(wire, 'STAT')];
    wire.close();
    assert.deepEqual(replies, ['+OK', '-ERR Logon failure: unknown user name or bad password.', '-ERR Command is not valid in this state.']);
  });
});
