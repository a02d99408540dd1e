import * as assert from 'node:assert/strict';
import { AddressInfo, createServer } from 'node:net';
import { formatChecklist, summaryLine, testConnection, TestConnectionResult, TestedAccount } from '../../../src/diagnostics/test-connection';
import type { AuthSettings } from '../../../src/auth/token-source';
import { ExplainedError } from '../../../src/errors';
import type { MailServer, Protocol } from '../../../src/mail/server';
import { EXCHANGE as EXCHANGE_POP3, FakePop3Server, refuseAsExchange, transcriptHandler } from '../mail/pop3-fake-server';
import {
  ALICE, appOnlyClaims, authSettings, capturingLog, CLIENT_ID, delegatedClaims, DOVECOT_IMAP, EXCHANGE_IMAP, EXCHANGE_SMTP, FixedTokenSource,
  imapServer, jwt, POSTFIX_AUTH_FAILED, SERVICE_PRINCIPAL, smtpServer,
} from './kit';

const servers: FakePop3Server[] = [];

async function started(server: Promise<FakePop3Server>): Promise<FakePop3Server> {
  const s = await server;
  servers.push(s);
  return s;
}

function account(auth: AuthSettings, byProtocol: Partial<Record<Protocol, MailServer>>): TestedAccount {
  return {
    auth,
    serverFor: (protocol) => {
      const server = byProtocol[protocol];
      if (!server) throw new ExplainedError(`no ${protocol}`, 'add it', { code: 'protocol-not-configured' });
      return server;
    },
  };
}

async function run(protocols: Protocol[], byProtocol: Partial<Record<Protocol, MailServer>>, token: string,
  options: { auth?: Partial<AuthSettings>; user?: string; log?: ReturnType<typeof capturingLog> } = {}): Promise<TestConnectionResult> {
  const auth = authSettings(options.auth);
  const source = new FixedTokenSource(auth.mode, token, options.user ?? auth.address);
  return testConnection(account(auth, byProtocol), protocols, { tokenSource: source, log: options.log ?? capturingLog(), replyTimeoutMs: 5000, connectTimeoutMs: 5000 });
}

const goodToken = jwt(delegatedClaims());

function only(result: TestConnectionResult) {
  assert.equal(result.protocols.length, 1);
  return result.protocols[0]!;
}

describe('Test Connection against scripted servers', function () {
  this.timeout(20_000);

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('passes every step of IMAP, POP3 and SMTP against Exchange\'s transcripts, in the guide\'s order', async () => {
    const imap = await started(imapServer());
    const pop3 = await started(FakePop3Server.start({ greeting: EXCHANGE_POP3.greeting, onLine: transcriptHandler({ profile: EXCHANGE_POP3 }) }));
    const smtp = await started(smtpServer());
    const result = await run(['imap', 'pop3', 'smtp'], { imap: imap.mailServer(), pop3: pop3.mailServer(), smtp: smtp.mailServer() }, goodToken);
    assert.deepEqual(result.protocols.map((r) => [r.protocol, r.ok, r.steps.map((s) => s.step).join(',')]), [
      ['imap', true, 'token,connect,authenticate,disconnect'],
      ['pop3', true, 'token,connect,authenticate,disconnect'],
      ['smtp', true, 'token,connect,authenticate,disconnect'],
    ]);
  });

  it('writes a checklist line per protocol with each step\'s time, and the summary', async () => {
    const imap = await started(imapServer());
    const smtp = await started(smtpServer({ auth: EXCHANGE_SMTP.disabledForTenant }));
    const result = await run(['imap', 'smtp'], { imap: imap.mailServer(), smtp: smtp.mailServer() }, goodToken);
    const lines = formatChecklist(result);
    assert.match(lines[1]!, /^✔ IMAP +token \([\d.]+ ms\) {2}connect \([\d.]+ ms\) {2}authenticate \([\d.]+ ms\) {2}disconnect \([\d.]+ ms\)/);
    assert.match(lines[2]!, /^✘ SMTP +token \([\d.]+ ms\) {2}connect \([\d.]+ ms\) {2}✘ authenticate/);
    assert.ok(lines.some((l) => l.includes('Fix:') && l.includes('Set-TransportConfig -SmtpClientAuthenticationDisabled $false')));
    assert.equal(lines.at(-1), 'IMAP ✔ SMTP ✘ (authenticate)');
  });

  it('IMAP "NO AUTHENTICATE failed." with a Graph token stops at authenticate as the wrong audience', async () => {
    const imap = await started(imapServer({ authenticate: EXCHANGE_IMAP.authFailed }));
    const r = only(await run(['imap'], { imap: imap.mailServer() }, jwt(delegatedClaims({ aud: 'https://graph.microsoft.com' }))));
    assert.deepEqual([r.failedStep, r.error?.code, r.steps.map((s) => s.step)], ['authenticate', 'wrong-audience', ['token', 'connect', 'authenticate']]);
  });

  it('POP3 "-ERR Authentication failure: unknown user name or bad password." without the POP scope is a missing permission', async () => {
    const pop3 = await started(FakePop3Server.start({ greeting: EXCHANGE_POP3.greeting, onLine: transcriptHandler({ profile: EXCHANGE_POP3, xoauth2: refuseAsExchange }) }));
    const r = only(await run(['pop3'], { pop3: pop3.mailServer() }, jwt(delegatedClaims({ scp: 'IMAP.AccessAsUser.All SMTP.Send' }))));
    assert.deepEqual([r.failedStep, r.error?.code], ['authenticate', 'missing-permission']);
  });

  it('POP3 renews a refused token once, silently, as the mail clients do, and passes with the fresh one', async () => {
    const fresh = jwt(delegatedClaims({ uti: 'renewed' }));
    const pop3 = await started(FakePop3Server.start({
      greeting: EXCHANGE_POP3.greeting,
      onLine: transcriptHandler({
        profile: EXCHANGE_POP3,
        xoauth2: (response, session) => (Buffer.from(response, 'base64').toString('utf8').includes(fresh)
          ? session.reply(EXCHANGE_POP3.authAccepted) : refuseAsExchange(response, session)),
      }),
    }));
    const auth = authSettings();
    const source = new FixedTokenSource(auth.mode, goodToken, auth.address);
    const cached = source.getToken.bind(source);
    source.getToken = async (request) => ({ ...(await cached(request)), ...(request.forceRefresh ? { accessToken: fresh } : {}) });
    const result = only(await testConnection(account(auth, { pop3: pop3.mailServer() }), ['pop3'], { tokenSource: source, log: capturingLog(), replyTimeoutMs: 5000, connectTimeoutMs: 5000 }));
    assert.deepEqual([result.ok, source.requests.map((r) => [r.interactive, r.forceRefresh === true])], [true, [[false, false], [false, true]]]);
  });

  it('SMTP "535 5.7.3 Authentication unsuccessful" with an app-only token for an ungranted mailbox gives the admin lines', async () => {
    const smtp = await started(smtpServer({ auth: EXCHANGE_SMTP.authFailed }));
    const r = only(await run(['smtp'], { smtp: smtp.mailServer() }, jwt(appOnlyClaims()), { auth: { mode: 'client-credentials', clientId: CLIENT_ID } }));
    assert.equal(r.error?.code, 'app-only-not-granted');
    assert.ok(r.error?.fix.includes(`New-ServicePrincipal -AppId ${CLIENT_ID} -ObjectId ${SERVICE_PRINCIPAL}`));
  });

  it('SMTP "535 5.7.139 … disabled for the Tenant" stops at authenticate with Set-TransportConfig', async () => {
    const smtp = await started(smtpServer({ auth: EXCHANGE_SMTP.disabledForTenant }));
    const r = only(await run(['smtp'], { smtp: smtp.mailServer() }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['authenticate', 'smtp-auth-disabled-tenant']);
  });

  it('IMAP "BAD User is authenticated but not connected." after an accepted app-only login is the mailbox not being reachable', async () => {
    const imap = await started(imapServer({ status: EXCHANGE_IMAP.notConnected }));
    const r = only(await run(['imap'], { imap: imap.mailServer() }, jwt(appOnlyClaims()), { auth: { mode: 'client-credentials', clientId: CLIENT_ID } }));
    assert.deepEqual([r.failedStep, r.error?.code], ['authenticate', 'mailbox-not-connected']);
  });

  it('IMAP "* BYE Session invalidated - AccessTokenExpired" is the session ending with its token', async () => {
    const imap = await started(imapServer({ status: EXCHANGE_IMAP.tokenExpired }));
    const r = only(await run(['imap'], { imap: imap.mailServer() }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code, r.error?.detail], ['authenticate', 'session-token-expired', `authenticate: ${EXCHANGE_IMAP.tokenExpired}`]);
  });

  it('IMAP "BAD Request is throttled. Suggested Backoff Time: N milliseconds" says to back off', async () => {
    const imap = await started(imapServer({ authenticate: EXCHANGE_IMAP.throttled }));
    const r = only(await run(['imap'], { imap: imap.mailServer() }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['authenticate', 'throttled']);
  });

  it('answers Dovecot\'s IMAP failure continuation with an empty line and explains the refusal from the claims', async () => {
    const imap = await started(imapServer({ profile: DOVECOT_IMAP, authenticate: DOVECOT_IMAP.authFailed, challenge: true }));
    const r = only(await run(['imap'], { imap: imap.mailServer() }, jwt(delegatedClaims({ exp: Math.floor(Date.now() / 1000) - 60 }))));
    assert.deepEqual([imap.received.includes(''), r.error?.code], [true, 'token-expired']);
  });

  it('answers Postfix\'s "334 <base64 JSON>" with an empty line and explains "535 5.7.8" from the claims', async () => {
    const smtp = await started(smtpServer({ auth: POSTFIX_AUTH_FAILED, challenge: true }));
    const r = only(await run(['smtp'], { smtp: smtp.mailServer() }, jwt(delegatedClaims({ upn: 'bob@contoso.test', unique_name: undefined }))));
    assert.deepEqual([smtp.received.includes(''), r.error?.code], [true, 'wrong-user']);
  });

  it('sends the XOAUTH2 response after the "+" when the IMAP server has no SASL-IR', async () => {
    const profile = { greeting: EXCHANGE_IMAP.greeting, capability: '* CAPABILITY IMAP4rev1 AUTH=XOAUTH2' };
    const imap = await started(imapServer({
      profile,
      authenticate: (tag, session) => {
        session.reply('+ ');
        session.takeNextLine((response, s) => s.reply(response.length > 100 ? `${tag} OK AUTHENTICATE completed.` : `${tag} NO bad response`));
      },
    }));
    const r = only(await run(['imap'], { imap: imap.mailServer() }, goodToken));
    assert.deepEqual([r.ok, imap.received.some((l) => /^A\d+ AUTHENTICATE XOAUTH2$/.test(l))], [true, true]);
  });

  it('stops at connect with an untrusted certificate when the account has no CA file', async () => {
    const imap = await started(imapServer());
    const r = only(await run(['imap'], { imap: imap.mailServer({ trusted: false }) }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['connect', 'certificate-untrusted']);
  });

  it('stops SMTP at connect with an untrusted certificate after STARTTLS', async () => {
    const smtp = await started(smtpServer());
    const r = only(await run(['smtp'], { smtp: smtp.mailServer({ trusted: false }) }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['connect', 'certificate-untrusted']);
  });

  it('stops at connect as unreachable when nothing listens on the port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = only(await run(['smtp'], { smtp: { host: '127.0.0.1', port, security: 'starttls' } }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['connect', 'server-unreachable']);
  });

  it('stops at connect when the port answers another protocol', async () => {
    const pop3 = await started(FakePop3Server.start({ greeting: EXCHANGE_POP3.greeting, onLine: transcriptHandler({ profile: EXCHANGE_POP3 }) }));
    const r = only(await run(['imap'], { imap: pop3.mailServer() }, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['connect', 'not-a-mail-server']);
  });

  it('stops at the token step with the token source\'s explanation, without connecting', async () => {
    const imap = await started(imapServer());
    const auth = authSettings();
    const failing = new FixedTokenSource(auth.mode, '', ALICE, new ExplainedError('The app lacks consent.', 'Grant consent.', { code: 'AADSTS65001' }));
    const result = await testConnection(account(auth, { imap: imap.mailServer() }), ['imap'], { tokenSource: failing, log: capturingLog() });
    assert.deepEqual([only(result).failedStep, only(result).error?.code, imap.sessions.length], ['token', 'AADSTS65001', 0]);
  });

  it('warns in the checklist when the token does not fit although the server accepted it', async () => {
    const imap = await started(imapServer());
    const result = await run(['imap'], { imap: imap.mailServer() }, jwt(delegatedClaims({ aud: 'https://graph.microsoft.com' })));
    assert.ok(only(result).ok && formatChecklist(result).some((l) => l.trim().startsWith('⚠') && l.includes('Microsoft Graph')));
  });

  it('stops at connect when the account does not use the protocol', async () => {
    const r = only(await run(['pop3'], {}, goodToken));
    assert.deepEqual([r.failedStep, r.error?.code], ['connect', 'protocol-not-configured']);
  });

  it('traces the IMAP and SMTP conversations without the token or the XOAUTH2 payload', async () => {
    const imap = await started(imapServer());
    const smtp = await started(smtpServer({ auth: EXCHANGE_SMTP.authFailed }));
    const log = capturingLog();
    const token = jwt(delegatedClaims({ nonce: 'a-secret-that-must-not-leak' }));
    await run(['imap', 'smtp'], { imap: imap.mailServer(), smtp: smtp.mailServer() }, token, { log });
    const payload = Buffer.from(`user=${ALICE}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const trace = log.lines.join('\n');
    assert.ok(trace.includes('IMAP C: A2 AUTHENTICATE XOAUTH2 [redacted') && trace.includes('SMTP S: 535 5.7.3'), trace);
    assert.ok(!trace.includes(token) && !trace.includes(payload) && !trace.includes(token.split('.')[1]!), 'the trace leaks the token');
  });

  it('summarises each protocol with the step that failed', () => {
    const result: TestConnectionResult = {
      address: ALICE, ok: false, protocols: [
        { protocol: 'imap', ok: true, steps: [], warnings: [] },
        { protocol: 'pop3', ok: true, steps: [], warnings: [] },
        { protocol: 'smtp', ok: false, steps: [], warnings: [], failedStep: 'authenticate' },
      ],
    };
    assert.equal(summaryLine(result), 'IMAP ✔ POP3 ✔ SMTP ✘ (authenticate)');
  });
});
