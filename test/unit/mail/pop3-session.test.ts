import * as assert from 'node:assert/strict';
import { authenticatePop3, checkPop3Mailbox, connectPop3, quitPop3 } from '../../../src/mail/pop3';
import {
  DOVECOT, EXCHANGE, FakePop3Server, MAILDROP, refuseAsDovecot, refuseAsExchange, Transcript, transcriptHandler,
} from './pop3-fake-server';
import {
  capturingLog, LONG_TOKEN, rejection, SHORT_TOKEN, tokenProvider, USER, xoauth2Payload,
} from './pop3-test-kit';

describe('POP3: a session with Exchange Online or Dovecot', () => {
  const servers: FakePop3Server[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  async function fake(transcript: Transcript): Promise<FakePop3Server> {
    const server = await FakePop3Server.start({ greeting: transcript.profile.greeting, onLine: transcriptHandler(transcript) });
    servers.push(server);
    return server;
  }

  it('reports the message count, total size and the newest message of an Exchange mailbox', async () => {
    const server = await fake({ profile: EXCHANGE });
    const summary = await checkPop3Mailbox(server.mailServer(), tokenProvider(SHORT_TOKEN));
    assert.deepEqual(summary, {
      messageCount: 2,
      totalBytes: 5120,
      newest: {
        number: 2,
        uid: 'AAQkADAwATM0MDAAMS1iZGY0LTUxNDEtMDACLTAwCgBGAAAE',
        subject: 'Q3 budget — final',
        from: 'Jürgen Müller <juergen@fabrikam.test>',
      },
    });
  });

  it('says CAPA, AUTH, STAT, UIDL, TOP and QUIT in that order, and nothing that changes the mailbox', async () => {
    const server = await fake({ profile: EXCHANGE });
    await checkPop3Mailbox(server.mailServer(), tokenProvider(SHORT_TOKEN));
    const verbs = server.received.filter((_, i) => server.received[i - 1] !== 'AUTH XOAUTH2').map((line) => line.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(verbs, ['CAPA', 'AUTH XOAUTH2', 'STAT', 'UIDL 2', 'TOP 2 0', 'QUIT']);
  });

  it('never puts the XOAUTH2 response on the AUTH line, however short: Exchange answers that with "Protocol error. Connection is closed."', async () => {
    const server = await fake({ profile: EXCHANGE });
    await checkPop3Mailbox(server.mailServer(), tokenProvider(SHORT_TOKEN));
    assert.deepEqual(server.received.slice(1, 3), ['AUTH XOAUTH2', xoauth2Payload({ user: USER, accessToken: SHORT_TOKEN })]);
  });

  it('sends a real-size token after the server\'s empty "+ " challenge, since it cannot fit on the AUTH line', async () => {
    const server = await fake({ profile: EXCHANGE });
    await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN));
    assert.deepEqual(server.received.slice(1, 3), ['AUTH XOAUTH2', xoauth2Payload({ user: USER, accessToken: LONG_TOKEN })]);
  });

  it('reports an empty mailbox without a newest message', async () => {
    const server = await fake({ profile: DOVECOT, overrides: { STAT: (_l, s) => s.reply('+OK 0 0') } });
    assert.deepEqual(await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)), { messageCount: 0, totalBytes: 0, newest: undefined });
  });

  it('still reports count and size from a server that refuses UIDL and TOP', async () => {
    const refuse = (_line: string, s: { reply(...l: string[]): void }) => s.reply('-ERR Unknown command.');
    const server = await fake({ profile: DOVECOT, overrides: { UIDL: refuse, TOP: refuse } });
    const summary = await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN));
    assert.deepEqual(summary, { messageCount: 2, totalBytes: 5120, newest: { number: 2, uid: undefined } });
  });

  it('refuses Exchange\'s "unknown user name or bad password" as auth-failed, with the server\'s text for the log', async () => {
    const server = await fake({ profile: EXCHANGE, xoauth2: refuseAsExchange });
    const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
    assert.deepEqual([error.code, error.detail], ['auth-failed', `-ERR ${EXCHANGE.authFailed.slice(5)}`]);
  });

  it('answers Dovecot\'s XOAUTH2 failure challenge with an empty line and reports its -ERR [AUTH] as auth-failed', async () => {
    const server = await fake({ profile: DOVECOT, xoauth2: refuseAsDovecot });
    const error = await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN)));
    assert.equal(error.code, 'auth-failed');
    assert.equal(server.received[3], '', 'the client must answer the failure challenge with an empty line');
    assert.match(error.detail ?? '', /\[AUTH\] Authentication failed\..*"status":"401"/);
  });

  it('asks for a fresh token once when the first is refused, and signs in with it', async () => {
    const stale = `${LONG_TOKEN}stale`;
    const server = await fake({
      profile: EXCHANGE,
      xoauth2: (response, s) => s.reply(response === xoauth2Payload({ user: USER, accessToken: LONG_TOKEN }) ? EXCHANGE.authAccepted : EXCHANGE.authFailed),
    });
    const provider = tokenProvider(stale, LONG_TOKEN);
    const connected = await connectPop3(server.mailServer());
    const signedIn = await authenticatePop3(connected, provider);
    await quitPop3(connected.connection);
    assert.deepEqual([provider.calls, signedIn.renewed], [[undefined, { renew: true }], true]);
  });

  it('gives up with auth-failed when the fresh token is refused too', async () => {
    const server = await fake({ profile: DOVECOT, xoauth2: refuseAsDovecot });
    const provider = tokenProvider(LONG_TOKEN, `${LONG_TOKEN}fresh`);
    const error = await rejection(checkPop3Mailbox(server.mailServer(), provider));
    assert.deepEqual([error.code, provider.calls.length], ['auth-failed', 2]);
  });

  it('does not ask for a new token when the server is only busy ([SYS/TEMP])', async () => {
    const server = await fake({ profile: DOVECOT, xoauth2: (_r, s) => s.reply('-ERR [SYS/TEMP] Temporary authentication failure.') });
    const provider = tokenProvider(LONG_TOKEN);
    const error = await rejection(checkPop3Mailbox(server.mailServer(), provider));
    assert.deepEqual([error.code, provider.calls.length], ['server-refused', 1]);
  });

  it('times connect, authenticate and quit separately for Test Connection', async () => {
    const server = await fake({ profile: EXCHANGE });
    const connected = await connectPop3(server.mailServer());
    const signedIn = await authenticatePop3(connected, tokenProvider(LONG_TOKEN));
    const quit = await quitPop3(connected.connection);
    const times = [connected.elapsedMs, signedIn.elapsedMs, quit.elapsedMs];
    assert.ok(times.every((ms) => ms > 0 && ms < 5_000), `step times: ${times.join(', ')}`);
  });

  it('reports the greeting and capabilities of the connected server', async () => {
    const server = await fake({ profile: EXCHANGE });
    const connected = await connectPop3(server.mailServer());
    await quitPop3(connected.connection);
    assert.deepEqual([connected.greeting.startsWith('The Microsoft Exchange POP3 service is ready.'), connected.capabilities.sasl], [true, ['PLAIN', 'XOAUTH2']]);
  });

  describe('the protocol trace', () => {
    for (const [name, token] of [['a token sent on the AUTH line', SHORT_TOKEN], ['a token sent after the challenge', LONG_TOKEN]] as const) {
      it(`never shows ${name}, nor its XOAUTH2 payload`, async () => {
        const server = await fake({ profile: EXCHANGE });
        const log = capturingLog();
        await checkPop3Mailbox(server.mailServer(), tokenProvider(token), log);
        const trace = log.lines.join('\n');
        const payload = xoauth2Payload({ user: USER, accessToken: token });
        assert.ok(!trace.includes(token) && !trace.includes(payload), 'the trace leaks the token or the XOAUTH2 payload');
      });
    }

    it('has one line for every line sent and received', async () => {
      const server = await fake({ profile: EXCHANGE });
      const log = capturingLog();
      await checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN), log);
      const sent = log.lines.filter((l) => l.startsWith('POP3 C: ')).length;
      // greeting, CAPA, "+ ", AUTH reply, STAT, UIDL 2, TOP 2 0 with its data and ".", QUIT.
      const received = 1 + EXCHANGE.capa.length + 2 + 1 + 1 + MAILDROP.top2.length + 1;
      assert.deepEqual([sent, log.lines.filter((l) => l.startsWith('POP3 S: ')).length], [server.received.length, received]);
    });

    it('keeps a refused token out of the trace, including the retry with the fresh one', async () => {
      const server = await fake({ profile: DOVECOT, xoauth2: refuseAsDovecot });
      const log = capturingLog();
      const fresh = `${LONG_TOKEN}fresh`;
      await rejection(checkPop3Mailbox(server.mailServer(), tokenProvider(LONG_TOKEN, fresh), log));
      const trace = log.lines.join('\n');
      const leaks = [LONG_TOKEN, fresh, xoauth2Payload({ user: USER, accessToken: fresh })].filter((s) => trace.includes(s));
      assert.deepEqual(leaks, []);
    });
  });
});
