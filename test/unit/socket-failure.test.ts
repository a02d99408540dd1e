/**
 * One reading of Node's socket and TLS error codes (src/socket-failure.ts), and the same answer
 * on every path that meets one: Send (SMTP), the Mailboxes view (IMAP), Check POP3 Mailbox and
 * Test Connection. The five copies this replaced disagreed on INVALID_CA, ECONNRESET and
 * EADDRNOTAVAIL; these cases pin the answer chosen for each.
 */
import * as assert from 'node:assert/strict';
import { createServer, Server, Socket } from 'node:net';
import { explainFailure as explainProbeFailure } from '../../src/diagnostics/explain';
import { classifyFailure, explainFailure as explainImapFailure } from '../../src/mail/imap/failures';
import { ListingConnection } from '../../src/mail/imap/listing-connection';
import { ImapTrace } from '../../src/mail/imap/protocol-trace';
import { SocketFailure } from '../../src/mail/net/connect';
import { tlsFailure, unreachable } from '../../src/mail/pop3/failures';
import { MailServer, silentLog } from '../../src/mail/server';
import { explainSmtpFailure } from '../../src/mail/smtp/explain';
import { Redactor } from '../../src/redact';
import { kindOfCode, socketFailureOf } from '../../src/socket-failure';

const IMAP: MailServer = { host: 'outlook.office365.com', port: 993, security: 'tls' };
const SMTP: MailServer = { host: 'smtp.office365.com', port: 587, security: 'starttls' };
const nodeError = (code: string) => Object.assign(new Error(`${code}: from the socket`), { code });

const smtp = (code: string) => explainSmtpFailure({ code: 'ESOCKET', causeCode: code, command: 'CONN', message: `connection failed: ${code}` },
  { server: SMTP, user: 'alice@contoso.com', from: 'alice@contoso.com' });
const probe = (code: string) => explainProbeFailure({ protocol: 'imap', step: 'connect', error: nodeError(code) },
  { server: IMAP, user: 'alice@contoso.com', address: 'alice@contoso.com', mode: 'msal-browser', clientId: 'app', tenant: 'contoso.com' });

describe('Socket and TLS errors, read once', () => {
  it('sorts the codes: refused and unroutable are unreachable, a reset is a dropped connection, OpenSSL\'s are TLS', () => {
    const kinds = ['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL', 'ECONNRESET', 'EPIPE', 'INVALID_CA', 'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'EAUTH'].map(kindOfCode);
    assert.deepEqual(kinds, ['unreachable', 'unreachable', 'unreachable', 'connection-dropped', 'connection-dropped', 'tls-untrusted',
      'tls-untrusted', 'tls-hostname', 'tls-failed', 'tls-failed', undefined]);
  });

  it('finds the socket\'s code under a library\'s wrapper', () => {
    const wrapped = Object.assign(new Error('Failed to connect'), { code: 'NoConnection', cause: nodeError('SELF_SIGNED_CERT_IN_CHAIN') });
    assert.deepEqual(socketFailureOf(wrapped), { kind: 'tls-untrusted', code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });

  it('INVALID_CA is a certificate problem on every path', () => {
    assert.deepEqual([smtp('INVALID_CA').code, classifyFailure(nodeError('INVALID_CA')).kind, tlsFailure(IMAP, nodeError('INVALID_CA')).code, probe('INVALID_CA').code],
      ['certificate-untrusted', 'tls-untrusted', 'tls-untrusted', 'certificate-untrusted']);
  });

  it('ECONNRESET is a dropped connection, never an unreachable server', () => {
    const send = smtp('ECONNRESET');
    assert.deepEqual([send.code, /dropped the connection/.test(send.message), classifyFailure(nodeError('ECONNRESET')).kind, probe('ECONNRESET').code],
      ['connection-dropped', true, 'connection-lost', 'connection-dropped']);
  });

  it('EADDRNOTAVAIL is an unreachable server on every path', () => {
    assert.deepEqual([smtp('EADDRNOTAVAIL').code, classifyFailure(nodeError('EADDRNOTAVAIL')).kind, unreachable(IMAP, nodeError('EADDRNOTAVAIL')).code, probe('EADDRNOTAVAIL').code],
      ['server-unreachable', 'unreachable', 'unreachable', 'server-unreachable']);
  });

  it('a failed TLS handshake on the IMAP path is explained, not passed on as OpenSSL\'s words', () => {
    const error = explainImapFailure(IMAP, 'listing folders', new SocketFailure('tls-failed', 'ERR_SSL_WRONG_VERSION_NUMBER: 0C8BF8B1:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
      { cause: nodeError('ERR_SSL_WRONG_VERSION_NUMBER') }));
    assert.deepEqual([error.code, error.message], ['tls-failed', 'The secure connection to the IMAP server outlook.office365.com:993 failed.']);
    assert.match(error.fix, /port 143 expects STARTTLS/);
  });
});

describe('The listing connection, when TLS fails after STARTTLS', () => {
  let server: Server;
  let port = 0;
  const sockets: Socket[] = [];

  before(async () => {
    // Agrees to STARTTLS, then answers the ClientHello in clear, as a server or a middlebox that never starts TLS does.
    server = createServer((socket) => {
      sockets.push(socket);
      let upgraded = false;
      socket.write('* OK IMAP4rev1 ready\r\n');
      socket.on('data', (data) => {
        if (upgraded) return void socket.write('* BAD Command Error. 10\r\n');
        const tag = data.toString('latin1').split(' ')[0];
        upgraded = true;
        socket.write(`${tag} OK Begin TLS negotiation now.\r\n`);
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('says the secure connection failed and how to set the port, without OpenSSL\'s text', async () => {
    const mailServer: MailServer = { host: '127.0.0.1', port, security: 'starttls' };
    const failure = await ListingConnection.open({
      server: mailServer, credentials: { user: 'alice@contoso.test', accessToken: 'never-sent' }, trace: new ImapTrace(silentLog, new Redactor()),
      timeoutMs: 5000, deadlineMs: 10_000,
    }).then(() => undefined, (error: unknown) => error);
    const explained = explainImapFailure(mailServer, 'listing folders', failure);
    assert.deepEqual([explained.code, explained.message], ['tls-failed', `The secure connection to the IMAP server 127.0.0.1:${port} failed.`]);
    assert.doesNotMatch(`${explained.message} ${explained.fix}`, /SSL routines|wrong version/);
  });
});
