/**
 * Sending against a scripted SMTP server on loopback (TLS with the sandbox CA, or STARTTLS):
 * a refused token is renewed once and only once, whichever way the server refuses it; a refused
 * recipient stops the send before the body; the trace never shows a token.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, SecureContext, TLSSocket } from 'node:tls';
import { createDraft, DraftMessage } from '../../../src/mail/compose/draft';
import { MailLog, MailServer } from '../../../src/mail/server';
import { sendMessage } from '../../../src/mail/smtp/send';
import { ensureCertificates } from '../../sandbox/certificates';
import { explainedFailure as failure } from '../../explained-failure';

const USER = 'alice@contoso.test';

interface Script {
  /** Tokens the server accepts. */
  goodTokens: string[];
  /** How a bad token is refused: Dovecot's challenge first, or Exchange's 535 at once. */
  refusal: 'challenge' | 'direct' | 'disabled-tenant';
  pipelining?: boolean;
  starttls?: boolean;
  /** Domains RCPT TO refuses. */
  refusedDomains?: string[];
  /** What EHLO announces as SIZE. */
  sizeLimit?: number;
}

interface Recorded {
  connections: number;
  tokens: string[];
  /** Message bodies the server accepted with its final 250. */
  messages: Buffer[];
  /** Body bytes that arrived, even for a message that was never finished. */
  bodyBytes: number;
}

class FakeSmtpServer {
  readonly recorded: Recorded = { connections: 0, tokens: [], messages: [], bodyBytes: 0 };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly script: Script, private readonly secureContext: SecureContext, private readonly implicitTls: boolean) {
    this.server = createServer((raw) => this.accept(raw));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(raw: Socket): void {
    this.recorded.connections++;
    this.sockets.add(raw);
    raw.on('close', () => this.sockets.delete(raw));
    raw.on('error', () => {});
    let socket: Socket = this.implicitTls ? new TLSSocket(raw, { isServer: true, secureContext: this.secureContext }) : raw;
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let data: Buffer[] = [];
    let awaitingSaslResponse = false;
    let tls = this.implicitTls;
    const reply = (text: string) => socket.write(`${text}\r\n`);
    const ehlo = () => {
      const lines = ['250-fake.contoso.test', `250-SIZE ${this.script.sizeLimit ?? 50_000_000}`, '250-8BITMIME', '250-AUTH XOAUTH2'];
      if (this.script.pipelining) lines.push('250-PIPELINING');
      if (this.script.starttls && !tls) lines.push('250-STARTTLS');
      lines.push('250 SMTPUTF8');
      reply(lines.join('\r\n'));
    };
    const onLine = (line: string) => {
      if (awaitingSaslResponse) {
        awaitingSaslResponse = false;
        reply('535 5.7.8 Error: authentication failed');
        return;
      }
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO') ehlo();
      else if (verb === 'STARTTLS' && !this.script.starttls) reply('502 5.5.2 Command not recognized');
      else if (verb === 'STARTTLS') {
        reply('220 2.0.0 Ready to start TLS');
        socket.removeAllListeners('data');
        socket = new TLSSocket(socket, { isServer: true, secureContext: this.secureContext });
        socket.on('error', () => {});
        socket.on('data', onData);
        tls = true;
      } else if (verb === 'AUTH') {
        const payload = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
        const token = payload.split('\u0001').find((field) => field.startsWith('auth=Bearer '))?.slice('auth=Bearer '.length) ?? '';
        this.recorded.tokens.push(token);
        if (this.script.refusal === 'disabled-tenant') {
          reply('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.');
        } else if (this.script.goodTokens.includes(token)) {
          reply('235 2.7.0 Authentication successful');
        } else if (this.script.refusal === 'challenge') {
          awaitingSaslResponse = true;
          reply(`334 ${Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString('base64')}`);
        } else {
          reply('535 5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com]');
        }
      } else if (verb === 'MAIL') reply('250 2.1.0 Sender OK');
      else if (verb === 'RCPT') {
        const domain = /@([^>]+)>/.exec(line)?.[1] ?? '';
        if (this.script.refusedDomains?.includes(domain)) reply('550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
        else reply('250 2.1.5 Recipient OK');
      } else if (verb === 'DATA') {
        inData = true;
        data = [];
        reply('354 Start mail input; end with <CRLF>.<CRLF>');
      } else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
      } else reply('502 5.5.2 Command not recognized');
    };
    const onData = (chunk: Buffer) => {
      if (inData) {
        data.push(chunk);
        this.recorded.bodyBytes += chunk.length;
        const body = Buffer.concat(data);
        if (body.subarray(-5).toString('latin1') === '\r\n.\r\n') {
          inData = false;
          this.recorded.messages.push(body.subarray(0, -5));
          reply('250 2.6.0 Queued mail for delivery');
        }
        return;
      }
      buffer += chunk.toString('latin1');
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        onLine(line);
        if (inData) {
          // Pipelined clients may have sent the start of the body in the same chunk.
          if (buffer) onData(Buffer.from(buffer, 'latin1'));
          buffer = '';
          return;
        }
      }
    };
    socket.on('data', onData);
    reply('220 fake.contoso.test Microsoft ESMTP MAIL Service ready');
  }
}

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
