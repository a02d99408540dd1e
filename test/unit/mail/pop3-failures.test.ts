import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { checkPop3Mailbox, connectPop3 } from '../../../src/mail/pop3';
import { DOVECOT, EXCHANGE, FakeServerOptions, FakePop3Server, LineHandler, MAILDROP, Transcript, transcriptHandler } from './pop3-fake-server';
import { LONG_TOKEN, rejection, tokenProvider } from './pop3-test-kit';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('POP3: every failure is explained', () => {
  const servers: FakePop3Server[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  async function start(options: FakeServerOptions): Promise<FakePop3Server> {
    const server = await FakePop3Server.start(options);
    servers.push(server);
    return server;
  }

  const fake = (transcript: Transcript) => start({ greeting: transcript.profile.greeting, onLine: transcriptHandler(transcript) });
  const refuse = (text: string): LineHandler => (_line, s) => s.reply(`-ERR ${text}`);

  describe('reaching the server', () => {
    it('says a closed port cannot be reached, naming host and port', async () => {
      const port = await closedPort();
      const error = await rejection(connectPop3({ host: '127.0.0.1', port, security: 'tls' }));
      assert.deepEqual([error.code, error.message], ['unreachable', `Cannot reach the POP3 server 127.0.0.1:${port}.`]);
    });

    it('says a host name that does not resolve cannot be reached', async () => {
      const error = await rejection(connectPop3({ host: 'pop3.exchange-mail.invalid', port: 995, security: 'tls' }));
      assert.equal(error.code, 'unreachable');
    });
  });

  describe('the greeting', () => {
    it('refuses a server that greets as something other than POP3', async () => {
      const server = await start({ greeting: '* OK The Microsoft Exchange IMAP4 service is ready.', onLine: () => {} });
      const error = await rejection(connectPop3(server.mailServer()));
      assert.deepEqual([error.code, error.detail], ['bad-greeting', 'greeting: * OK The Microsoft Exchange IMAP4 service is ready.']);
    });

    it('reports a server that greets with -ERR as refusing the connection', async () => {
      const server = await start({ greeting: '-ERR [SYS/TEMP] Too many connections.', onLine: () => {} });
      const error = await rejection(connectPop3(server.mailServer()));
      assert.deepEqual([error.code, error.detail], ['server-refused', 'the connection -> -ERR [SYS/TEMP] Too many connections.']);
    });

    it('reports a server that hangs up instead of greeting', async () => {
      const server = await start({ greeting: null, onLine: () => {} });
      setTimeout(() => void server.close(), 100);
      const error = await rejection(connectPop3(server.mailServer()));
      assert.equal(error.code, 'connection-dropped');
    });

    it('gives up on a server that never greets after the connect timeout', async () => {
      const server = await start({ greeting: null, onLine: () => {} });
      const error = await rejection(connectPop3(server.mailServer(), { connectTimeoutMs: 300 }));
      assert.deepEqual([error.code, error.message], ['timeout', `The POP3 server ${server.mailServer().host}:${server.mailServer().port} went silent for 0.3 s during the greeting.`]);
    });
  });

  describe('-ERR at each step', () => {
    it('goes on without capabilities when CAPA is refused', async () => {
      const server = await fake({ profile: DOVECOT, overrides: { CAPA: refuse('Unknown command.') } });
      const summary = await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN));
      assert.equal(summary.messageCount, 2);
    });

    it('says when the server does not offer XOAUTH2 at all', async () => {
      const capa = ['+OK', 'TOP', 'UIDL', 'SASL PLAIN', 'USER', '.'];
      const server = await fake({ profile: EXCHANGE, overrides: { CAPA: (_l, s) => s.reply(...capa) } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
      assert.deepEqual([error.code, server.received.some((l) => l.startsWith('AUTH'))], ['xoauth2-unavailable', false]);
    });

    it('reports a refused AUTH XOAUTH2 command as a failed sign-in', async () => {
      const server = await fake({ profile: EXCHANGE, overrides: { AUTH: refuse('Protocol error.') } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
      assert.deepEqual([error.code, error.detail], ['auth-failed', '-ERR Protocol error.']);
    });

    it('reports a refused STAT with the server\'s text', async () => {
      const server = await fake({ profile: DOVECOT, overrides: { STAT: refuse('[IN-USE] Mailbox is locked by another POP3 session.') } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
      assert.deepEqual([error.code, error.detail], ['server-refused', 'STAT -> -ERR [IN-USE] Mailbox is locked by another POP3 session.']);
    });

    it('keeps the mailbox summary when only QUIT is refused', async () => {
      const server = await fake({ profile: EXCHANGE, overrides: { QUIT: refuse('Server unavailable.') } });
      const summary = await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN));
      assert.equal(summary.totalBytes, 5120);
    });

    it('treats a reply that is not POP3 as a protocol error', async () => {
      const server = await fake({ profile: EXCHANGE, overrides: { STAT: (_l, s) => s.reply('250 OK') } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
      assert.deepEqual([error.code, error.detail], ['protocol-error', 'STAT -> 250 OK']);
    });
  });

  describe('a broken conversation', () => {
    it('reports a connection dropped in the middle of a multi-line reply', async () => {
      const dropMidReply: LineHandler = (_l, s) => {
        s.reply(...MAILDROP.top2.slice(0, 3));
        s.hangUp();
      };
      const server = await fake({ profile: EXCHANGE, overrides: { TOP: dropMidReply } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
      assert.deepEqual([error.code, error.message], ['connection-dropped',
        `The POP3 server ${server.mailServer().host}:${server.mailServer().port} closed the connection during TOP 2 0.`]);
    });

    it('stops at a line longer than the limit instead of buffering it', async () => {
      const server = await fake({ profile: EXCHANGE, overrides: { TOP: (_l, s) => s.reply('+OK', `Subject: ${'x'.repeat(5_000)}`, '.') } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN), undefined, { maxLineLength: 4_096 }));
      assert.deepEqual([error.code, error.detail], ['line-too-long', 'line over 4096 bytes during TOP 2 0']);
    });

    it('stops at an endless line that never gets its line break', async () => {
      const server = await fake({ profile: EXCHANGE, overrides: { STAT: (_l, s) => s.write(`+OK ${'9'.repeat(10_000)}`) } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN), undefined, { maxLineLength: 4_096 }));
      assert.equal(error.code, 'line-too-long');
    });

    it('gives up on a command the server never answers after the command timeout', async () => {
      const server = await fake({ profile: EXCHANGE, overrides: { STAT: () => {} } });
      const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN), undefined, { commandTimeoutMs: 300 }));
      assert.deepEqual([error.code, error.detail], ['timeout', 'no reply to STAT after 300 ms']);
    });
  });
});
