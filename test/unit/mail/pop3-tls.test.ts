import * as assert from 'node:assert/strict';
import { checkPop3Mailbox, connectPop3, quitPop3 } from '../../../src/mail/pop3';
import { DOVECOT, EXCHANGE, FakePop3Server, LineHandler, transcriptHandler } from './pop3-fake-server';
import { LONG_TOKEN, rejection, tokenProvider } from './pop3-test-kit';

/** Port 110 style: CAPA offers STLS until TLS is up, then the full list. */
function stlsHandler(profile: typeof EXCHANGE): LineHandler {
  let secure = false;
  const afterTls = transcriptHandler({ profile });
  return (line, session) => {
    if (secure) return afterTls(line, session);
    if (line === 'CAPA') return session.reply(...profile.capaBeforeTls);
    if (line === 'STLS') {
      session.reply('+OK Begin TLS negotiation.');
      secure = true;
      return session.startTls();
    }
    return session.reply('-ERR Command not permitted before STLS.');
  };
}

describe('POP3: TLS and certificates', () => {
  const servers: FakePop3Server[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  async function start(options: Parameters<typeof FakePop3Server.start>[0]): Promise<FakePop3Server> {
    const server = await FakePop3Server.start(options);
    servers.push(server);
    return server;
  }

  it('checks a mailbox over implicit TLS with a certificate from the account\'s CA file', async () => {
    const server = await start({ greeting: EXCHANGE.greeting, onLine: transcriptHandler({ profile: EXCHANGE }) });
    const summary = await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN));
    assert.equal(summary.messageCount, 2);
  });

  it('upgrades a plain connection with STLS and reads the capabilities again over TLS', async () => {
    const server = await start({ greeting: DOVECOT.greeting, onLine: stlsHandler(DOVECOT), tls: 'stls' });
    const connected = await connectPop3(server.mailServer());
    await quitPop3(connected.connection);
    assert.deepEqual([server.received, connected.connection.secure, connected.capabilities.sasl], [['CAPA', 'STLS', 'CAPA', 'QUIT'], true, ['PLAIN', 'XOAUTH2']]);
  });

  it('signs in only after STLS, never in the clear', async () => {
    const server = await start({ greeting: EXCHANGE.greeting, onLine: stlsHandler(EXCHANGE), tls: 'stls' });
    await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN));
    const received = server.received;
    assert.ok(received.indexOf('STLS') < received.indexOf('AUTH XOAUTH2'), received.join(' | '));
  });

  it('refuses to go on in the clear when the server does not offer STLS', async () => {
    const server = await start({ greeting: DOVECOT.greeting, onLine: transcriptHandler({ profile: DOVECOT }), tls: 'stls' });
    const error = await rejection(connectPop3(server.mailServer()));
    assert.equal(error.code, 'stls-unavailable');
  });

  it('says the certificate is not trusted when the account has no CA file for a private CA', async () => {
    const server = await start({ greeting: EXCHANGE.greeting, onLine: transcriptHandler({ profile: EXCHANGE }) });
    const error = await rejection(connectPop3(server.mailServer({ trusted: false })));
    assert.deepEqual([error.code, error.message, /CA file/.test(error.fix)],
      ['tls-untrusted', `The certificate of the POP3 server 127.0.0.1:${server.mailServer().port} is not trusted.`, true]);
  });

  it('says the certificate is not trusted when it is only shown after STLS', async () => {
    const server = await start({ greeting: DOVECOT.greeting, onLine: stlsHandler(DOVECOT), tls: 'stls' });
    const error = await rejection(connectPop3(server.mailServer({ trusted: false })));
    assert.equal(error.code, 'tls-untrusted');
  });

  it('explains a TLS port setting pointed at a plain POP3 port', async () => {
    const server = await start({ greeting: DOVECOT.greeting, onLine: stlsHandler(DOVECOT), tls: 'stls' });
    const error = await rejection(connectPop3({ ...server.mailServer(), security: 'tls' }));
    assert.equal(error.code, 'tls-failed');
  });
});
