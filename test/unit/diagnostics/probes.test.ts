import * as assert from 'node:assert/strict';
import { Redactor } from '../../../src/redact';
import { authenticateImapProbe, connectImapProbe } from '../../../src/diagnostics/probes/imap-probe';
import { ProbeError } from '../../../src/diagnostics/probes/probe-error';
import { authenticateSmtpProbe, connectSmtpProbe, quitSmtpProbe } from '../../../src/diagnostics/probes/smtp-probe';
import { FakePop3Server } from '../mail/pop3-fake-server';
import { ALICE, capturingLog, delegatedClaims, EXCHANGE_IMAP, EXCHANGE_SMTP, imapHandler, jwt, smtpHandler } from './kit';

const servers: FakePop3Server[] = [];

async function start(options: Parameters<typeof FakePop3Server.start>[0]): Promise<FakePop3Server> {
  const server = await FakePop3Server.start(options);
  servers.push(server);
  return server;
}

function options(replyTimeoutMs = 5000) {
  return { log: capturingLog(), redactor: new Redactor(), connectTimeoutMs: 2000, replyTimeoutMs };
}

async function probeFailure(promise: Promise<unknown>): Promise<ProbeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ProbeError, `expected a ProbeError, got ${String(error)}`);
  return error;
}

const credentials = { user: ALICE, accessToken: jwt(delegatedClaims()) };

describe('IMAP and SMTP probes on the wire', function () {
  this.timeout(15_000);

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('IMAP: a server that greets and then goes silent times out', async () => {
    const imap = await start({ greeting: EXCHANGE_IMAP.greeting, onLine: () => undefined, tls: 'implicit' });
    assert.equal((await probeFailure(connectImapProbe(imap.mailServer(), options(300)))).kind, 'timeout');
  });

  it('IMAP: a hang-up in the middle of the capabilities is a dropped connection', async () => {
    const imap = await start({ greeting: EXCHANGE_IMAP.greeting, onLine: (_line, s) => { s.write('* CAPABILITY IMAP4rev1'); s.hangUp(); }, tls: 'implicit' });
    assert.equal((await probeFailure(connectImapProbe(imap.mailServer(), options()))).kind, 'connection-dropped');
  });

  it('IMAP: a server refusing the connection with "* BYE" keeps its words', async () => {
    const imap = await start({ greeting: '* BYE Connection refused: too many connections', onLine: () => undefined, tls: 'implicit' });
    const error = await probeFailure(connectImapProbe(imap.mailServer(), options()));
    assert.deepEqual([error.kind, error.reply], ['server-refused', '* BYE Connection refused: too many connections']);
  });

  it('IMAP: a server without AUTH=XOAUTH2 is refused before any credential is sent', async () => {
    const profile = { greeting: EXCHANGE_IMAP.greeting, capability: '* CAPABILITY IMAP4rev1 AUTH=PLAIN' };
    const imap = await start({ greeting: profile.greeting, onLine: imapHandler({ profile }), tls: 'implicit' });
    const session = await connectImapProbe(imap.mailServer(), options());
    const error = await probeFailure(authenticateImapProbe(session, credentials));
    session.channel.close();
    assert.deepEqual([error.kind, imap.received.some((l) => l.includes('AUTHENTICATE'))], ['xoauth2-unavailable', false]);
  });

  it('IMAP: a STARTTLS server is upgraded before the capabilities are believed', async () => {
    const handler = imapHandler();
    const imap = await start({
      greeting: EXCHANGE_IMAP.greeting, tls: 'stls',
      onLine: (line, s) => {
        const [tag = '', verb = ''] = line.split(' ');
        if (verb === 'STARTTLS') {
          s.reply(`${tag} OK Begin TLS negotiation now.`);
          return s.startTls();
        }
        if (verb === 'CAPABILITY') return s.reply(`${EXCHANGE_IMAP.capability} STARTTLS`, `${tag} OK CAPABILITY completed.`);
        return handler(line, s);
      },
    });
    const session = await connectImapProbe(imap.mailServer(), options());
    session.channel.close();
    assert.deepEqual([session.channel.secure, imap.received.filter((l) => l.endsWith('CAPABILITY')).length], [true, 2]);
  });

  it('SMTP: a server without STARTTLS is refused before any credential is sent', async () => {
    const smtp = await start({
      greeting: EXCHANGE_SMTP.greeting, tls: 'stls',
      onLine: (line, s) => (line.startsWith('EHLO') ? s.reply('250-mail.contoso.test', '250 AUTH XOAUTH2') : s.reply('221 bye')),
    });
    const error = await probeFailure(connectSmtpProbe(smtp.mailServer(), options()));
    assert.equal(error.kind, 'starttls-unavailable');
  });

  it('SMTP: joins a multi-line refusal into one reply', async () => {
    const exchange = smtpHandler();
    const smtp = await start({
      greeting: EXCHANGE_SMTP.greeting, tls: 'stls',
      onLine: (line, s) => (line.startsWith('AUTH')
        ? s.reply('535-5.7.3 Authentication unsuccessful', '535 5.7.3 Contact your administrator')
        : exchange(line, s)),
    });
    const session = await connectSmtpProbe(smtp.mailServer(), options());
    const result = await authenticateSmtpProbe(session, credentials);
    await quitSmtpProbe(session);
    assert.deepEqual(result, { accepted: false, reply: '535 5.7.3 Authentication unsuccessful 5.7.3 Contact your administrator' });
  });

  it('SMTP: a greeting that is not SMTP is a bad greeting', async () => {
    const smtp = await start({ greeting: '+OK Dovecot ready.', onLine: () => undefined, tls: 'stls' });
    assert.equal((await probeFailure(connectSmtpProbe(smtp.mailServer(), options()))).kind, 'bad-greeting');
  });
});
