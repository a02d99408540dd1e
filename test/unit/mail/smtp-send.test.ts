/**
 * Sending against a scripted SMTP server on loopback (TLS with the sandbox CA, or STARTTLS):
 * a refused token is renewed once and only once, whichever way the server refuses it; a refused
 * recipient stops the send before the body; the trace never shows a token.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, SecureContext } from 'node:tls';
import { createDraft, DraftMessage } from '../../../src/mail/compose/draft';
import { MailLog, MailServer } from '../../../src/mail/server';
import { sendMessage } from '../../../src/mail/smtp/send';
import { ensureCertificates } from '../../sandbox/certificates';
import { explainedFailure as failure } from '../../explained-failure';
import { FakeSmtpServer, Script } from './smtp-fake-server';

const USER = 'alice@contoso.test';

type Calls = ({ renew?: boolean } | undefined)[];

function provider(...tokens: string[]) {
  const calls: Calls = [];
  const credentials = async (options?: { renew?: boolean }) => {
    calls.push(options);
    return { user: USER, accessToken: tokens[Math.min(calls.length, tokens.length) - 1] };
  };
  return { credentials, calls };
}

function capturingLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  const keep = (line: string) => { lines.push(line); };
  return { lines, trace: keep, debug: keep, info: keep, warn: keep, error: keep };
}


const OLD = 'eyJ0eXAiOiJKV1QifQ.eyJvbGQiOnRydWV9.old-token-signature';
const NEW = 'eyJ0eXAiOiJKV1QifQ.eyJuZXciOnRydWV9.new-token-signature';

describe('Sending over SMTP with XOAUTH2', function () {
  let stateDir: string;
  let ca: string;
  let secureContext: SecureContext;
  const servers: FakeSmtpServer[] = [];

  before(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'smtp-send-test-'));
    const certificates = ensureCertificates(stateDir);
    ca = readFileSync(certificates.caFile, 'utf8');
    secureContext = createSecureContext({ cert: readFileSync(certificates.serverCertFile), key: readFileSync(certificates.serverKeyFile) });
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function fakeServer(script: Script, security: 'tls' | 'starttls' = 'tls'): Promise<{ fake: FakeSmtpServer; server: MailServer }> {
    const fake = new FakeSmtpServer(script, secureContext, security === 'tls');
    servers.push(fake);
    const port = await fake.listen();
    return { fake, server: { host: '127.0.0.1', port, security, ca } };
  }

  function draft(to = 'bob@contoso.test', cc?: string): DraftMessage {
    return createDraft({ from: USER, to, cc, subject: 'Release notes' }, { text: 'Hello Bob\n', attachments: [] });
  }

  it('sends with a good token, once, and returns the bytes that were sent', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct' });
    const { credentials, calls } = provider(OLD);
    const result = await sendMessage(server, credentials, draft());
    assert.deepEqual(calls, [undefined]);
    assert.deepEqual(result.accepted, ['bob@contoso.test']);
    assert.equal(fake.recorded.messages.length, 1);
    assert.equal(fake.recorded.messages[0].toString('latin1'), result.raw.toString('latin1').replace(/\r\n$/, ''));
    assert.match(result.messageId, /^<[^@>]+@contoso\.test>$/);
  });

  it('renews a token refused with a challenge (Dovecot) once, on the same connection', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [NEW], refusal: 'challenge' });
    const { credentials, calls } = provider(OLD, NEW);
    await sendMessage(server, credentials, draft());
    assert.deepEqual(calls, [undefined, { renew: true }]);
    assert.deepEqual(fake.recorded.tokens, [OLD, NEW]);
    assert.equal(fake.recorded.connections, 1);
    assert.equal(fake.recorded.messages.length, 1);
  });

  it('renews a token refused at once (Exchange 535 5.7.3) once, on a new connection', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [NEW], refusal: 'direct' });
    const { credentials, calls } = provider(OLD, NEW);
    await sendMessage(server, credentials, draft());
    assert.deepEqual(calls, [undefined, { renew: true }]);
    assert.deepEqual(fake.recorded.tokens, [OLD, NEW]);
    assert.equal(fake.recorded.messages.length, 1);
  });

  for (const refusal of ['challenge', 'direct'] as const) {
    it(`gives up after one renewal when the renewed token is refused too (${refusal})`, async () => {
      const { fake, server } = await fakeServer({ goodTokens: [], refusal });
      const { credentials, calls } = provider(OLD, NEW, 'never-asked-for');
      const error = await failure(sendMessage(server, credentials, draft()));
      assert.equal(error.code, 'smtp-token-refused');
      assert.deepEqual(calls, [undefined, { renew: true }]);
      assert.deepEqual(fake.recorded.tokens, [OLD, NEW]);
      assert.match(error.message, /5\.7\.[38]/);
      assert.equal(fake.recorded.messages.length, 0);
    });
  }

  it('does not renew when SMTP AUTH is disabled for the tenant: a new token would not help', async () => {
    const { server } = await fakeServer({ goodTokens: [OLD], refusal: 'disabled-tenant' });
    const { credentials, calls } = provider(OLD, NEW);
    const error = await failure(sendMessage(server, credentials, draft()));
    assert.equal(error.code, 'smtp-auth-disabled-tenant');
    assert.deepEqual(calls, [undefined]);
  });

  for (const pipelining of [false, true]) {
    it(`sends nothing to anyone when the server refuses one recipient (${pipelining ? 'with' : 'without'} PIPELINING)`, async () => {
      const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct', pipelining, refusedDomains: ['fabrikam.example'] });
      const error = await failure(sendMessage(server, provider(OLD).credentials, draft('bob@contoso.test', 'dan@fabrikam.example')));
      assert.equal(error.code, 'recipient-refused');
      assert.match(error.message, /dan@fabrikam\.example.*550 5\.7\.54/);
      assert.equal(fake.recorded.messages.length, 0);
      assert.equal(fake.recorded.bodyBytes, 0);
    });
  }

  it('stops a message over the size the server announces before uploading it', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct', sizeLimit: 1000 });
    const big = createDraft({ from: USER, to: 'bob@contoso.test', subject: 'Big' }, { text: 'x'.repeat(5000), attachments: [] });
    const error = await failure(sendMessage(server, provider(OLD).credentials, big));
    assert.equal(error.code, 'message-too-large');
    assert.equal(fake.recorded.bodyBytes, 0);
  });

  it('traces the conversation as SMTP C:/S: lines without the token', async () => {
    const { server } = await fakeServer({ goodTokens: [NEW], refusal: 'challenge' });
    const log = capturingLog();
    await sendMessage(server, provider(OLD, NEW).credentials, draft(), { log });
    const trace = log.lines.join('\n');
    assert.match(trace, /^SMTP S: 220 fake\.contoso\.test/m);
    assert.match(trace, /^SMTP C: AUTH XOAUTH2 \[redacted/m);
    assert.match(trace, /^SMTP C: RCPT TO:<bob@contoso\.test>/m);
    assert.match(trace, /^SMTP C: MAIL FROM:<[^>]+>.* BODY=8BITMIME/m, 'MAIL FROM declares the 8-bit body the server offers to take');
    for (const token of [OLD, NEW]) {
      assert.ok(!trace.includes(token), 'a token reached the log');
      assert.ok(!trace.includes(Buffer.from(`user=${USER}\x01auth=Bearer ${token}\x01\x01`).toString('base64')), 'an XOAUTH2 payload reached the log');
    }
  });

  it('upgrades with STARTTLS and trusts the account CA', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct', starttls: true }, 'starttls');
    await sendMessage(server, provider(OLD).credentials, draft());
    assert.equal(fake.recorded.messages.length, 1);
  });

  it('refuses to go on when the server does not offer STARTTLS', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct', starttls: false }, 'starttls');
    const error = await failure(sendMessage(server, provider(OLD).credentials, draft()));
    assert.equal(error.code, 'starttls-unavailable');
    assert.deepEqual(fake.recorded.tokens, [], 'no token went over an unencrypted connection');
  });

  it('does not trust a server certificate without the account CA', async () => {
    const { server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct' });
    const error = await failure(sendMessage({ ...server, ca: undefined }, provider(OLD).credentials, draft()));
    assert.equal(error.code, 'certificate-untrusted');
    assert.match(error.fix, /caFile/);
  });

  it('names host and port when nothing listens there', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct' });
    await fake.close();
    const error = await failure(sendMessage(server, provider(OLD).credentials, draft()));
    assert.equal(error.code, 'server-unreachable');
    assert.ok(error.message.includes(`127.0.0.1:${server.port}`));
    assert.deepEqual(error.actions, ['retry', 'openSettings']);
  });

  it('checks the addresses before connecting', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct' });
    const bad = { ...draft(), cc: [{ address: 'carol@' }] };
    const error = await failure(sendMessage(server, provider(OLD).credentials, bad));
    assert.equal(error.message, '"carol@" is not a valid email address (in Cc)');
    assert.equal(fake.recorded.connections, 0);
  });

  it('is cancelled through its signal', async () => {
    const { fake, server } = await fakeServer({ goodTokens: [OLD], refusal: 'direct' });
    const controller = new AbortController();
    const log: MailLog & { lines: string[] } = capturingLog();
    // Cancel as soon as the greeting arrives.
    const trace = log.trace;
    log.trace = (line) => { trace(line); if (line.startsWith('SMTP S: 220')) controller.abort(); };
    const error = await failure(sendMessage(server, provider(OLD).credentials, draft(), { log, signal: controller.signal }));
    assert.equal(error.code, 'send-cancelled');
    assert.equal(fake.recorded.messages.length, 0);
  });
});
