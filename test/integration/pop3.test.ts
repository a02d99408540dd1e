/**
 * The POP3 client against the sandbox's real Dovecot POP3 (an Exchange Online stand-in that
 * checks OAuth2 tokens), with tokens from the sandbox identity platform.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPop3Mailbox, connectPop3 } from '../../src/mail/pop3';
import { MailServer } from '../../src/mail/server';
import { PROTOCOL_PERMISSIONS } from '../sandbox/directory';
import { SPECIAL_SUBJECTS } from '../sandbox/mail/mailbox-content';
import { capturingLog, rejection, tokenProvider, USER } from '../unit/mail/pop3-test-kit';
import { sandbox } from './sandbox';

/** A delegated token for alice with the given permissions, as Entra issues it for Exchange. */
const delegatedToken = (scp: string) => sandbox().identity.control.mintAccessToken({ scp });

/** What Dovecot's STAT counts: messages in alice's INBOX and their size with CRLF line ends. */
function aliceInbox(): { messageCount: number; totalBytes: number } {
  const cur = join(sandbox().mail.dir, 'mailboxes', USER, 'Maildir', 'cur');
  const files = readdirSync(cur).map((name) => readFileSync(join(cur, name)));
  const crlfSize = (file: Buffer) => file.length + (file.toString('latin1').match(/(?<!\r)\n/g)?.length ?? 0);
  return { messageCount: files.length, totalBytes: files.reduce((sum, file) => sum + crlfSize(file), 0) };
}

describe('POP3 against the sandbox\'s Dovecot', function () {
  this.timeout(60_000);
  let pop3: MailServer;

  before(() => {
    pop3 = { ...sandbox().mail.pop3, security: 'tls', ca: readFileSync(sandbox().info.caFile, 'utf8') };
  });

  it('reports the message count and size of alice\'s inbox over implicit TLS', async () => {
    const summary = await checkPop3Mailbox(pop3, tokenProvider(delegatedToken(PROTOCOL_PERMISSIONS.pop3.delegated)));
    assert.deepEqual({ messageCount: summary.messageCount, totalBytes: summary.totalBytes }, aliceInbox());
  });

  it('names the newest message in alice\'s inbox with its sender', async () => {
    const summary = await checkPop3Mailbox(pop3, tokenProvider(delegatedToken(PROTOCOL_PERMISSIONS.pop3.delegated)));
    assert.deepEqual([summary.newest?.subject, summary.newest?.from], [SPECIAL_SUBJECTS.newest, 'Priya Raman <priya.raman@contoso.test>']);
  });

  it('fails with auth-failed for a token without the POP permission, after trying a fresh token once', async () => {
    const imapOnly = delegatedToken(`${PROTOCOL_PERMISSIONS.imap.delegated} ${PROTOCOL_PERMISSIONS.smtp.delegated}`);
    const provider = tokenProvider(imapOnly);
    const error = await rejection(checkPop3Mailbox(pop3, provider));
    assert.deepEqual([error.code, provider.calls], ['auth-failed', [undefined, { renew: true }]], `${error.message} ${error.detail}`);
  });

  it('keeps the token and its XOAUTH2 payload out of the trace of a real session', async () => {
    const token = delegatedToken(PROTOCOL_PERMISSIONS.pop3.delegated);
    const log = capturingLog();
    await checkPop3Mailbox(pop3, tokenProvider(token), log);
    const payload = Buffer.from(`user=${USER}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const trace = log.lines.join('\n');
    assert.ok(trace.includes('POP3 S: +OK') && !trace.includes(token) && !trace.includes(payload));
  });

  it('says the server cannot be reached on a wrong port', async () => {
    const wrongPort = { ...pop3, port: pop3.port === 1 ? 2 : 1 };
    const error = await rejection(connectPop3(wrongPort));
    assert.deepEqual([error.code, error.message], ['unreachable', `Cannot reach the POP3 server 127.0.0.1:${wrongPort.port}.`]);
  });
});
