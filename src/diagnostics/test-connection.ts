/**
 * Test Connection: for each protocol, in the guide's order, acquire the token, connect,
 * authenticate, disconnect; each step timed. A failing step stops that protocol and carries the
 * explanation made from the server's reply and the token's claims. Plain Node: the account's
 * token source, settings and servers come in as parameters.
 */
import { credentialsFrom } from '../auth/credentials';
import type { AuthSettings, TokenSource } from '../auth/token-source';
import { ExplainedError } from '../errors';
import { authenticatePop3, connectPop3, quitPop3, type Pop3Connected } from '../mail/pop3';
import type { MailLog, MailServer, Protocol, XOAuth2Credentials } from '../mail/server';
import { PROTOCOL_NAMES } from '../mail/server';
import { checkClaimsFit, ClaimWarning, decodeClaims, DecodedToken } from './claims';
import { DiagnosedStep, explainFailure, FailureContext } from './explain';
import { authenticateImapProbe, connectImapProbe, ImapProbeSession, logoutImapProbe, ProbeAuthResult } from './probes/imap-probe';
import type { ProbeOptions } from './probes/line-channel';
import { authenticateSmtpProbe, connectSmtpProbe, quitSmtpProbe, SmtpProbeSession } from './probes/smtp-probe';
import { Redactor } from '../redact';

export interface StepResult {
  step: DiagnosedStep;
  ok: boolean;
  elapsedMs: number;
}

export interface ProtocolResult {
  protocol: Protocol;
  ok: boolean;
  steps: StepResult[];
  /** The step that failed, when one did; the later steps were not run. */
  failedStep?: DiagnosedStep;
  error?: ExplainedError;
  /** What does not fit in the token's claims, even when the server accepted it. */
  warnings: ClaimWarning[];
  /** The XOAUTH2 user the test signed in as. */
  user?: string;
  server?: MailServer;
}

export interface TestConnectionResult {
  address: string;
  protocols: ProtocolResult[];
  ok: boolean;
}

export interface TestConnectionOptions {
  tokenSource: TokenSource;
  log: MailLog;
  /** May the token source ask the user (sign-in, consent)? It tries silently first either way. */
  interactive?: boolean;
  signal?: AbortSignal;
  connectTimeoutMs?: number;
  replyTimeoutMs?: number;
  /** Called as each step starts, for progress. */
  onStep?(protocol: Protocol, step: DiagnosedStep): void;
  /** A shared mailbox: the XOAUTH2 user for a protocol when it is not the token's own (../accounts/mailboxes). */
  mailboxUser?(protocol: Protocol): string | undefined;
}

/** What the account gives the test: its auth settings and where each protocol's server is (may throw an ExplainedError). */
export interface TestedAccount {
  auth: AuthSettings;
  serverFor(protocol: Protocol): MailServer;
}

/** The three steps after the token, the same for every protocol; what differs is the wire. */
interface ProtocolProbe<S> {
  connect(server: MailServer, options: ProbeOptions): Promise<S>;
  /** Refusals come back with the server's words; failures of the conversation itself throw. */
  authenticate(session: S, credentials: XOAuth2Credentials, renew: () => Promise<XOAuth2Credentials>): Promise<ProbeAuthResult>;
  disconnect(session: S): Promise<void>;
  abandon(session: S): void;
}

const IMAP: ProtocolProbe<ImapProbeSession> = {
  connect: connectImapProbe,
  authenticate: (session, credentials) => authenticateImapProbe(session, credentials),
  disconnect: logoutImapProbe,
  abandon: (session) => session.channel.close(),
};

const SMTP: ProtocolProbe<SmtpProbeSession> = {
  connect: connectSmtpProbe,
  authenticate: (session, credentials) => authenticateSmtpProbe(session, credentials),
  disconnect: quitSmtpProbe,
  abandon: (session) => session.channel.close(),
};

/** POP3 uses the product's own client; its refusal comes as an ExplainedError, rethrown for explainFailure to read. */
const POP3: ProtocolProbe<Pop3Connected> = {
  connect: (server, options) => connectPop3(server, {
    log: options.log, redactor: options.redactor, connectTimeoutMs: options.connectTimeoutMs, commandTimeoutMs: options.replyTimeoutMs,
  }),
  authenticate: async (session, credentials, renew) => {
    let first = true;
    await authenticatePop3(session, async (request) => {
      if (request?.renew || !first) return renew();
      first = false;
      return credentials;
    });
    return { accepted: true, reply: '+OK' };
  },
  disconnect: async (session) => {
    await quitPop3(session.connection);
  },
  abandon: (session) => session.connection.close(),
};

const PROBES: Record<Protocol, ProtocolProbe<unknown>> = {
  imap: IMAP as ProtocolProbe<unknown>,
  pop3: POP3 as ProtocolProbe<unknown>,
  smtp: SMTP as ProtocolProbe<unknown>,
};

function abortError(): Error {
  return Object.assign(new Error('Test Connection cancelled'), { name: 'AbortError' });
}

/** Every warning about the token and the sign-in, for the checklist. */
function tokenWarnings(token: DecodedToken, protocol: Protocol, user: string, account: TestedAccount, host?: string): ClaimWarning[] {
  const { auth } = account;
  const warnings = token.readable
    ? checkClaimsFit(token.claims, protocol, {
      address: user, mode: auth.mode, expectedTenant: auth.tenant, host,
      resources: [auth.delegatedResource, auth.appOnlyResources.imapPop, auth.appOnlyResources.smtp],
    })
    : [];
  if (auth.mode !== 'client-credentials' && user.toLowerCase() !== auth.address.toLowerCase()) {
    warnings.push({ code: 'wrong-user', message: `Signed in as ${user}, not as the account's address ${auth.address}.` });
  }
  return warnings;
}

async function testProtocol(protocol: Protocol, account: TestedAccount, options: TestConnectionOptions): Promise<ProtocolResult> {
  const { auth } = account;
  const { log, signal } = options;
  const name = PROTOCOL_NAMES[protocol];
  const steps: StepResult[] = [];
  const result: ProtocolResult = { protocol, ok: false, steps, warnings: [] };
  const redactor = new Redactor();
  const context: FailureContext = {
    server: { host: '?', port: 0, security: 'tls' }, user: auth.address, address: auth.address, mode: auth.mode,
    clientId: auth.clientId, tenant: auth.tenant,
    resources: [auth.delegatedResource, auth.appOnlyResources.imapPop, auth.appOnlyResources.smtp],
  };

  /** Runs one step, timed; on failure records the explanation and returns undefined. */
  const step = async <T>(which: DiagnosedStep, run: () => Promise<T>, reply?: (value: T) => string | undefined): Promise<T | undefined> => {
    if (signal?.aborted) throw abortError();
    options.onStep?.(protocol, which);
    const started = performance.now();
    let value: T;
    try {
      value = await run();
    } catch (error) {
      if (signal?.aborted) throw abortError();
      steps.push({ step: which, ok: false, elapsedMs: performance.now() - started });
      result.failedStep = which;
      result.error = explainFailure({ protocol, step: which, error }, context);
      log.debug(`${name} ${which} failed: ${result.error.code ?? ''} ${redactor.redact(result.error.detail ?? result.error.message)}`);
      return undefined;
    }
    const refusal = reply?.(value);
    steps.push({ step: which, ok: refusal === undefined, elapsedMs: performance.now() - started });
    if (refusal !== undefined) {
      result.failedStep = which;
      result.error = explainFailure({ protocol, step: which, reply: refusal }, context);
      log.debug(`${name} ${which} refused: ${redactor.redact(refusal)}`);
      return undefined;
    }
    return value;
  };

  const token = await step('token', () => options.tokenSource.getToken({ protocol, interactive: options.interactive ?? false, signal }));
  if (!token) return result;
  redactor.register(token.accessToken);
  const decoded = decodeClaims(token.accessToken);
  context.token = decoded;
  // A shared mailbox is opened as itself with the signed-in user's token (FullAccess).
  const shared = options.mailboxUser?.(protocol);
  const user = shared ?? token.user;
  context.user = user;
  result.user = user;

  let server: MailServer;
  try {
    server = account.serverFor(protocol);
  } catch (error) {
    steps.push({ step: 'connect', ok: false, elapsedMs: 0 });
    result.failedStep = 'connect';
    result.error = explainFailure({ protocol, step: 'connect', error }, context);
    return result;
  }
  context.server = server;
  result.server = server;
  result.warnings = tokenWarnings(decoded, protocol, user, account, server.host).filter((w) => !shared || w.code !== 'wrong-user');

  const probe = PROBES[protocol];
  const probeOptions: ProbeOptions = { log, redactor, connectTimeoutMs: options.connectTimeoutMs, replyTimeoutMs: options.replyTimeoutMs };
  const session = await step('connect', () => probe.connect(server, probeOptions));
  if (session === undefined) return result;
  try {
    // A refused token is renewed silently, as every mail client renews it (auth/credentials).
    const credentialsProvider = credentialsFrom(options.tokenSource, protocol, {
      interactive: false, signal, user: shared, onToken: (fresh) => redactor.register(fresh.accessToken),
    });
    const renew = () => credentialsProvider({ renew: true });
    const credentials = { user, accessToken: token.accessToken };
    const accepted = await step('authenticate', () => probe.authenticate(session, credentials, renew), (r) => (r.accepted ? undefined : r.reply));
    if (!accepted) {
      probe.abandon(session);
      return result;
    }
  } catch (error) {
    probe.abandon(session);
    throw error;
  }
  const closed = await step('disconnect', async () => {
    await probe.disconnect(session);
    return true;
  });
  result.ok = closed === true;
  return result;
}

/** Tests each protocol in turn (never at once: Exchange counts concurrent logins per mailbox). */
export async function testConnection(account: TestedAccount, protocols: Protocol[], options: TestConnectionOptions): Promise<TestConnectionResult> {
  const results: ProtocolResult[] = [];
  for (const protocol of protocols) {
    results.push(await testProtocol(protocol, account, options));
  }
  return { address: account.auth.address, protocols: results, ok: results.every((r) => r.ok) };
}

function milliseconds(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** The checklist for the log: one line per protocol, then the failure and its fix, then the token's warnings. */
export function formatChecklist(result: TestConnectionResult): string[] {
  const lines = [`Test Connection for ${result.address}`];
  for (const r of result.protocols) {
    const name = PROTOCOL_NAMES[r.protocol].padEnd(5);
    const steps = r.steps.map((s) => `${s.ok ? '' : '✘ '}${s.step} (${milliseconds(s.elapsedMs)})`).join('  ');
    const where = r.server ? `  [${r.server.host}:${r.server.port}${r.user ? ` as ${r.user}` : ''}]` : '';
    lines.push(`${r.ok ? '✔' : '✘'} ${name} ${steps}${where}`);
    if (r.error) {
      lines.push(`    ✘ ${r.failedStep}: ${r.error.message}`);
      lines.push(`      Fix: ${r.error.fix}`);
      if (r.error.detail) lines.push(`      Detail: ${r.error.detail}`);
    }
    for (const warning of r.warnings) {
      if (r.error?.code === warning.code) continue;
      lines.push(`    ⚠ ${warning.message}`);
    }
  }
  lines.push(summaryLine(result));
  return lines;
}

/** "IMAP ✔ POP3 ✔ SMTP ✘ (authenticate)". */
export function summaryLine(result: TestConnectionResult): string {
  return result.protocols.map((r) => `${PROTOCOL_NAMES[r.protocol]} ${r.ok ? '✔' : `✘ (${r.failedStep ?? 'failed'})`}`).join(' ');
}
