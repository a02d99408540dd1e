/**
 * Alice's IMAP as the IMAP tests and the folder benchmark see it, over a running sandbox (the
 * layer's shared one, or the benchmark's own with the bench folders): the servers, the CA to
 * trust, and tokens minted by the sandbox identity platform as Entra would issue them for alice.
 */
import { readFileSync } from 'node:fs';
import { CredentialsProvider, MailServer, XOAuth2Credentials } from '../../src/mail/server';
import type { Sandbox } from '../sandbox';
import { MailServers } from '../sandbox/mail';
import { sandbox as sharedSandbox } from './sandbox';

export type Profile = 'exchange' | 'modern';
export const ALICE = 'alice@contoso.test';

export interface ImapSandbox {
  readonly servers: MailServers;
  ca: string;
  server(profile: Profile): MailServer;
  /** An access token for alice's IMAP, valid `lifetimeSeconds` from now (negative: expired that long ago). */
  mintToken(lifetimeSeconds?: number): string;
}

export function imapSandbox(box: Sandbox = sharedSandbox()): ImapSandbox {
  const ca = readFileSync(box.info.caFile, 'utf8');
  return {
    get servers() { return box.mail; },
    ca,
    server: (profile) => ({ ...box.mail.imap[profile], security: 'tls', ca }),
    mintToken: (lifetimeSeconds = 3600) => {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + lifetimeSeconds;
      const issued = Math.min(now, exp) - 60;
      return box.identity.control.mintAccessToken({ iat: issued, nbf: issued, exp });
    },
  };
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
