/**
 * Test Connection against the sandbox: the identity platform issues the tokens (a real
 * client-credentials token source, or tokens minted with chosen claims handed out by a stand-in
 * source), Dovecot and Postfix check them as Exchange Online would, and the diagnosis is read
 * from their replies and the claims.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';
import { createTokenSource } from '../../src/auth/token-sources';
import { AccessToken, AuthSettings, secretKeys, TokenRequest, TokenSource } from '../../src/auth/token-source';
import { formatChecklist, testConnection, TestConnectionResult } from '../../src/diagnostics/test-connection';
import type { MailServer, Protocol } from '../../src/mail/server';
import { appByKey, GRAPH_AUDIENCE, PROTOCOL_PERMISSIONS } from '../sandbox/directory';
import type { SandboxInfo } from '../sandbox';
import { testPorts } from '../unit/auth/fakes';
import { capturingLog } from '../unit/diagnostics/kit';
import { sandbox } from './sandbox';

const ALL: Protocol[] = ['imap', 'pop3', 'smtp'];
const ALICE = 'alice@contoso.test';
const SHARED = 'shared@contoso.test';

function servers(info: SandboxInfo, ca: string | undefined): Record<Protocol, MailServer> {
  return {
    imap: { ...info.imap.exchange, security: 'tls', ca },
    pop3: { ...info.pop3, security: 'tls', ca },
    smtp: { ...info.smtp, security: 'starttls', ca },
  };
}

function authSettings(info: SandboxInfo, overrides: Partial<AuthSettings>): AuthSettings {
  const address = overrides.address ?? ALICE;
  return {
    accountId: address, address, mode: 'msal-device-code', clientId: info.apps.public.clientId, tenant: info.tenantId,
    authorityHost: info.authorityHost, delegatedResource: 'https://outlook.office.com',
    appOnlyResources: { imapPop: 'https://ps.outlook.com', smtp: 'https://outlook.office365.com' },
    protocols: ALL, caFile: info.caFile, vscodeProvider: 'microsoft', ...overrides,
  };
}

/** Hands out tokens minted by the sandbox with chosen claims: the token is real, only its source is fixed. */
class MintedTokenSource implements TokenSource {
  readonly mode = 'msal-device-code' as const;
  readonly handedOut: string[] = [];
  constructor(private readonly mint: (protocol: Protocol) => string, private readonly user = ALICE) {}

  async getToken(request: TokenRequest): Promise<AccessToken> {
    const accessToken = this.mint(request.protocol);
    this.handedOut.push(accessToken);
    return { accessToken, user: this.user, expiresOn: new Date(Date.now() + 3600_000), scopes: [] };
  }

  async isSignedIn(): Promise<boolean> {
    return true;
  }

  async signOut(): Promise<void> {}
}

/** Keeps every token a real source hands out, for the trace check. */
class RecordingTokenSource implements TokenSource {
  readonly handedOut: string[] = [];
  constructor(private readonly inner: TokenSource) {}
  get mode() {
    return this.inner.mode;
  }

  async getToken(request: TokenRequest): Promise<AccessToken> {
    const token = await this.inner.getToken(request);
    this.handedOut.push(token.accessToken);
    return token;
  }

  isSignedIn(): Promise<boolean> {
    return this.inner.isSignedIn();
  }

  signOut(): Promise<void> {
    return this.inner.signOut();
  }
}

/** A client-credentials token source of the daemon app, for `mailbox`. */
function daemonSource(info: SandboxInfo, mailbox: string): { source: RecordingTokenSource; settings: AuthSettings } {
  const settings = authSettings(info, { address: mailbox, mode: 'client-credentials', clientId: info.apps.daemon.clientId, credential: 'secret' });
  const ports = testPorts();
  void ports.secrets.store(secretKeys.clientSecret(settings.accountId), info.apps.daemon.clientSecret);
  return { source: new RecordingTokenSource(createTokenSource(settings, ports)), settings };
}

/** A TCP relay to a real server, to take "the server" down while its address stays the same. */
async function relayTo(target: MailServer): Promise<{ server: MailServer; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    const upstream = createConnection({ host: target.host, port: target.port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    server: { ...target, port: (relay.address() as AddressInfo).port },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function outcome(result: TestConnectionResult): [Protocol, boolean, string | undefined, string | undefined][] {
  return result.protocols.map((r) => [r.protocol, r.ok, r.failedStep, r.error?.code]);
}

describe('Test Connection against the sandbox', function () {
  this.timeout(60_000);
  let info: SandboxInfo;
  let trusted: Record<Protocol, MailServer>;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  before(() => {
    info = sandbox().info;
    trusted = servers(info, readFileSync(info.caFile, 'utf8'));
  });

  afterEach(() => {
    sandbox().identity.control.setAccessTokenLifetime(3600);
  });

  function run(settings: AuthSettings, source: TokenSource, protocols: Protocol[], byProtocol = trusted, log = capturingLog()): Promise<TestConnectionResult> {
    return testConnection({ auth: settings, serverFor: (p) => byProtocol[p] }, protocols, { tokenSource: source, log, connectTimeoutMs: 5000, replyTimeoutMs: 15_000 });
  }

  function minted(claims: (protocol: Protocol) => Record<string, unknown>): MintedTokenSource {
    return new MintedTokenSource((protocol) => sandbox().identity.control.mintAccessToken(claims(protocol)));
  }

  it('passes token, connect, authenticate and disconnect for IMAP, POP3 and SMTP with the daemon app\'s token for the shared mailbox', async () => {
    const { source, settings } = daemonSource(info, SHARED);
    const result = await run(settings, source, ALL);
    assert.deepEqual(outcome(result), [['imap', true, undefined, undefined], ['pop3', true, undefined, undefined], ['smtp', true, undefined, undefined]],
      formatChecklist(result).join('\n'));
  });

  it('passes every protocol with alice\'s own delegated tokens', async () => {
    const result = await run(authSettings(info, {}), minted(() => ({})), ALL);
    assert.deepEqual(result.protocols.map((r) => r.ok), [true, true, true], formatChecklist(result).join('\n'));
  });

  it('fails at authenticate with a Microsoft Graph token, explained as the wrong audience, for every protocol', async () => {
    const result = await run(authSettings(info, {}), minted(() => ({ aud: GRAPH_AUDIENCE })), ALL);
    assert.deepEqual(outcome(result), ALL.map((p) => [p, false, 'authenticate', 'wrong-audience']));
  });

  it('fails at authenticate with a token lacking the protocol\'s permission, explained as missing that permission', async () => {
    const others = (protocol: Protocol) => ALL.filter((p) => p !== protocol).map((p) => PROTOCOL_PERMISSIONS[p].delegated).join(' ');
    const result = await run(authSettings(info, {}), minted((protocol) => ({ scp: others(protocol) })), ALL);
    assert.deepEqual(outcome(result), ALL.map((p) => [p, false, 'authenticate', 'missing-permission']));
    assert.ok(result.protocols[1]!.error!.message.includes('POP.AccessAsUser.All'));
  });

  it('fails at authenticate with an expired token, explained as expired', async () => {
    const now = nowSeconds();
    const result = await run(authSettings(info, {}), minted(() => ({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })), ['imap', 'smtp']);
    assert.deepEqual(outcome(result), [['imap', false, 'authenticate', 'token-expired'], ['smtp', false, 'authenticate', 'token-expired']]);
  });

  it('fails at authenticate with the daemon app\'s token for alice, whose mailbox the app was not granted, with the admin lines filled in', async () => {
    const { source, settings } = daemonSource(info, ALICE);
    const result = await run(settings, source, ALL);
    assert.deepEqual(outcome(result), ALL.map((p) => [p, false, 'authenticate', 'app-only-not-granted']));
    const daemon = appByKey('daemon');
    assert.ok(result.protocols[0]!.error!.fix.includes(`New-ServicePrincipal -AppId ${daemon.clientId} -ObjectId ${daemon.servicePrincipalId}`));
    assert.ok(result.protocols[0]!.error!.fix.includes(`Add-MailboxPermission -Identity "${ALICE}" -User ${daemon.servicePrincipalId} -AccessRights FullAccess`));
  });

  it('fails at connect, unreachable, on a port nothing listens on', async () => {
    const port = await closedPort();
    const result = await run(authSettings(info, {}), minted(() => ({})), ['imap'], { ...trusted, imap: { ...trusted.imap, port } });
    assert.deepEqual(outcome(result), [['imap', false, 'connect', 'server-unreachable']]);
  });

  it('fails at connect, not a mail server, on a port that belongs to another protocol', async () => {
    const result = await run(authSettings(info, {}), minted(() => ({})), ['imap'], { ...trusted, imap: { ...trusted.pop3 } });
    assert.deepEqual(outcome(result), [['imap', false, 'connect', 'not-a-mail-server']]);
  });

  it('fails at connect, unreachable, when the server that just answered is down', async () => {
    const relay = await relayTo(trusted.pop3);
    const byProtocol = { ...trusted, pop3: relay.server };
    const before = await run(authSettings(info, {}), minted(() => ({})), ['pop3'], byProtocol);
    await relay.stop();
    const after = await run(authSettings(info, {}), minted(() => ({})), ['pop3'], byProtocol);
    assert.deepEqual([...outcome(before), ...outcome(after)], [['pop3', true, undefined, undefined], ['pop3', false, 'connect', 'server-unreachable']]);
  });

  it('fails at connect with an untrusted certificate when the account has no CA file, for every protocol', async () => {
    const result = await run(authSettings(info, { caFile: undefined }), minted(() => ({})), ALL, servers(info, undefined));
    assert.deepEqual(outcome(result), ALL.map((p) => [p, false, 'connect', 'certificate-untrusted']));
  });

  it('writes a trace at trace level that holds no token, XOAUTH2 payload or secret', async () => {
    const log = capturingLog();
    const { source, settings } = daemonSource(info, SHARED);
    await run(settings, source, ALL, trusted, log);
    const mintedSource = minted(() => ({ aud: GRAPH_AUDIENCE }));
    await run(authSettings(info, {}), mintedSource, ALL, trusted, log);
    const trace = log.lines.join('\n');
    const tokens = [...source.handedOut, ...mintedSource.handedOut];
    const payloads = tokens.flatMap((t) => [SHARED, ALICE].map((user) => Buffer.from(`user=${user}\x01auth=Bearer ${t}\x01\x01`).toString('base64')));
    const leaks = [...tokens, ...tokens.map((t) => t.split('.')[1]!), ...payloads, info.apps.daemon.clientSecret].filter((s) => trace.includes(s));
    assert.ok(['IMAP C:', 'IMAP S:', 'POP3 C:', 'POP3 S:', 'SMTP C:', 'SMTP S:'].every((m) => trace.includes(m)), 'the trace lacks a conversation');
    assert.deepEqual([tokens.length >= 6, leaks.length], [true, 0]);
  });
});
