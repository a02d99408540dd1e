/**
 * The mail servers for the IMAP integration tests and benchmark, started once per process and
 * shared by every file that asks (stopped when the last one is done), with a signing key of the
 * tests' own: tokens are minted here as Entra would issue them for alice.
 */
import { createSign, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsProvider, MailServer, XOAuth2Credentials } from '../../src/mail/server';
import { ensureCertificates } from '../sandbox/certificates';
import { CONTOSO_TENANT_ID } from '../sandbox/directory';
import { MailServers, startMailServers } from '../sandbox/mail';

export type Profile = 'exchange' | 'modern';
export const ALICE = 'alice@contoso.test';

export interface ImapSandbox {
  servers: MailServers;
  stateDir: string;
  ca: string;
  server(profile: Profile): MailServer;
  /** An RS256 access token for alice's IMAP, valid `lifetimeSeconds` from now. */
  mintToken(lifetimeSeconds?: number): string;
}

let running: Promise<ImapSandbox> | undefined;
let users = 0;

async function start(benchFolders: boolean): Promise<ImapSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-imap-'));
  const keysDir = join(stateDir, 'signing-keys');
  mkdirSync(keysDir, { recursive: true });
  const kid = 'imap-tests';
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(keysDir, `${kid}.pem`), publicKey.export({ type: 'spki', format: 'pem' }));
  const certificates = ensureCertificates(stateDir);
  const servers = await startMailServers({ stateDir, certificates, signingKeysDir: keysDir, benchFolders });
  const ca = readFileSync(certificates.caFile, 'utf8');
  return {
    servers,
    stateDir,
    ca,
    server: (profile) => ({ ...servers.imap[profile], security: 'tls', ca }),
    mintToken: (lifetimeSeconds = 3600) => mint(privateKey, kid, lifetimeSeconds),
  };
}

function mint(key: KeyObject, kid: string, lifetimeSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ typ: 'JWT', alg: 'RS256', kid });
  const payload = part({
    aud: 'https://outlook.office.com', iss: `https://sts.windows.net/${CONTOSO_TENANT_ID}/`, tid: CONTOSO_TENANT_ID,
    upn: ALICE, sub: 'alice-subject', scp: 'IMAP.AccessAsUser.All', nbf: now - 60, iat: now - 60, exp: now + lifetimeSeconds,
  });
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(key).toString('base64url')}`;
}

/** Starts the servers for the first caller; call `releaseImapSandbox` in the matching `after`. */
export function useImapSandbox(options: { benchFolders?: boolean } = {}): Promise<ImapSandbox> {
  users++;
  running ??= start(options.benchFolders ?? false);
  return running;
}

export async function releaseImapSandbox(): Promise<void> {
  if (--users > 0 || !running) return;
  const sandbox = await running.catch(() => undefined);
  running = undefined;
  if (!sandbox) return;
  await sandbox.servers.stop();
  rmSync(sandbox.stateDir, { recursive: true, force: true });
}

/**
 * Credentials as a token cache gives them: the same token until asked to renew. `requests`
 * records each call's `renew`, so a test sees whether a fresh token was asked for.
 */
export function cachedCredentials(sandbox: ImapSandbox, lifetimeSeconds = 3600): CredentialsProvider & { requests: boolean[] } {
  let token: string | undefined;
  const requests: boolean[] = [];
  const provider = async (options?: { renew?: boolean }): Promise<XOAuth2Credentials> => {
    requests.push(Boolean(options?.renew));
    if (!token || options?.renew) token = sandbox.mintToken(lifetimeSeconds);
    return { user: ALICE, accessToken: token };
  };
  return Object.assign(provider, { requests });
}

/** A MailLog that keeps the trace lines, for counting what went over the wire. */
export function recordingLog() {
  const trace: string[] = [];
  const events: string[] = [];
  return {
    trace: (entry: string) => { trace.push(...entry.split('\n')); },
    debug: (line: string) => { events.push(line); },
    info: (line: string) => { events.push(line); },
    warn: (line: string) => { events.push(line); },
    error: (line: string) => { events.push(line); },
    lines: trace,
    events,
    /** Commands the client sent, without the tag. */
    commands(): string[] {
      return trace.filter((l) => l.startsWith('IMAP C:')).map((l) => l.replace(/^IMAP C:( \[\w+\])? \S+ /, ''));
    },
  };
}
