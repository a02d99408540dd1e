/**
 * The POP3 client against the sandbox's real Dovecot POP3 (an Exchange Online stand-in that
 * checks OAuth2 tokens). Tokens are minted here with a key this test generates, so nothing
 * depends on the sandbox identity platform.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPop3Mailbox, connectPop3 } from '../../src/mail/pop3';
import { MailServer } from '../../src/mail/server';
import { ensureCertificates } from '../sandbox/certificates';
import { CONTOSO_TENANT_ID, EXCHANGE_DELEGATED_AUDIENCE, PROTOCOL_PERMISSIONS } from '../sandbox/directory';
import { ensureMailPackages, MailServers, startMailServers } from '../sandbox/mail';
import { SPECIAL_SUBJECTS } from '../sandbox/mail/mailbox-content';
import { capturingLog, rejection, tokenProvider, USER } from '../unit/mail/pop3-test-kit';

const KID = 'pop3-test-key';

function jwt(claims: Record<string, unknown>, key: KeyObject): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ typ: 'JWT', alg: 'RS256', kid: KID })}.${part(claims)}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`;
}

/** A delegated token for alice with the given permissions, as Entra issues it for Exchange. */
function delegatedToken(key: KeyObject, scp: string): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt({
    aud: EXCHANGE_DELEGATED_AUDIENCE, iss: `https://sts.windows.net/${CONTOSO_TENANT_ID}/`, tid: CONTOSO_TENANT_ID,
    upn: USER, preferred_username: USER, scp, iat: now - 60, nbf: now - 60, exp: now + 3600,
  }, key);
}

/** What Dovecot's STAT counts: messages in alice's INBOX and their size with CRLF line ends. */
function aliceInbox(stateDir: string): { messageCount: number; totalBytes: number } {
  const cur = join(stateDir, 'mail', 'mailboxes', USER, 'Maildir', 'cur');
  const files = readdirSync(cur).map((name) => readFileSync(join(cur, name)));
  const crlfSize = (file: Buffer) => file.length + (file.toString('latin1').match(/(?<!\r)\n/g)?.length ?? 0);
  return { messageCount: files.length, totalBytes: files.reduce((sum, file) => sum + crlfSize(file), 0) };
}

describe('POP3 against the sandbox\'s Dovecot', function () {
  this.timeout(60_000);
  let stateDir: string;
  let key: KeyObject;
  let servers: MailServers;
  let pop3: MailServer;

  before(async function () {
    this.timeout(120_000); // the first run on a machine installs packages and writes the seed template
    await ensureMailPackages();
    stateDir = mkdtempSync(join(tmpdir(), 'pop3-test-'));
    const keysDir = join(stateDir, 'signing-keys');
    mkdirSync(keysDir);
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = pair.privateKey;
    writeFileSync(join(keysDir, `${KID}.pem`), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const certificates = ensureCertificates(stateDir);
    servers = await startMailServers({ stateDir, certificates, signingKeysDir: keysDir });
    pop3 = { ...servers.pop3, security: 'tls', ca: readFileSync(certificates.caFile, 'utf8') };
  });

  after(async () => {
    await servers?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('reports the message count and size of alice\'s inbox over implicit TLS', async () => {
    const summary = await checkPop3Mailbox(pop3, tokenProvider(delegatedToken(key, PROTOCOL_PERMISSIONS.pop3.delegated)));
    assert.deepEqual({ messageCount: summary.messageCount, totalBytes: summary.totalBytes }, aliceInbox(stateDir));
  });

  it('names the newest message in alice\'s inbox with its sender', async () => {
    const summary = await checkPop3Mailbox(pop3, tokenProvider(delegatedToken(key, PROTOCOL_PERMISSIONS.pop3.delegated)));
    assert.deepEqual([summary.newest?.subject, summary.newest?.from], [SPECIAL_SUBJECTS.newest, 'Priya Raman <priya.raman@contoso.test>']);
  });

  it('fails with auth-failed for a token without the POP permission, after trying a fresh token once', async () => {
    const imapOnly = delegatedToken(key, `${PROTOCOL_PERMISSIONS.imap.delegated} ${PROTOCOL_PERMISSIONS.smtp.delegated}`);
    const provider = tokenProvider(imapOnly);
    const error = await rejection(checkPop3Mailbox(pop3, provider));
    assert.deepEqual([error.code, provider.calls], ['auth-failed', [undefined, { renew: true }]], `${error.message} ${error.detail}`);
  });

  it('keeps the token and its XOAUTH2 payload out of the trace of a real session', async () => {
    const token = delegatedToken(key, PROTOCOL_PERMISSIONS.pop3.delegated);
    const log = capturingLog();
    await checkPop3Mailbox(pop3, tokenProvider(token), log);
    const payload = Buffer.from(`user=${USER}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const trace = log.lines.join('\n');
    assert.ok(trace.includes('POP3 S: +OK') && !trace.includes(token) && !trace.includes(payload));
  });

  it('says the server cannot be reached on a wrong port', async () => {
    const wrongPort = { ...pop3, port: servers.pop3.port === 1 ? 2 : 1 };
    const error = await rejection(connectPop3(wrongPort));
    assert.deepEqual([error.code, error.message], ['unreachable', `Cannot reach the POP3 server 127.0.0.1:${wrongPort.port}.`]);
  });
});
