/** What the POP3 tests share besides the fake server: tokens, a token provider, a log that keeps lines. */
import { CredentialsProvider, MailLog, XOAuth2Credentials } from '../../../src/mail/server';
import { explainedFailure } from '../../explained-failure';

export const USER = 'alice@contoso.test';

/** A JWT-shaped token of about `size` characters (real Exchange tokens: 1,500-2,500). */
export function fakeToken(size: number, seed = 'a'): string {
  const header = Buffer.from('{"typ":"JWT","alg":"RS256","kid":"test"}').toString('base64url');
  const claims = { aud: 'https://outlook.office.com', scp: 'POP.AccessAsUser.All', upn: USER, pad: seed.repeat(Math.max(0, size - 160)) };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl${seed}`;
}

/** Short enough for the AUTH line (RFC 5034's 255 octets): opaque, like a personal account's token. */
export const SHORT_TOKEN = 'EwBQA8l6BAAUs5short0paqueT0ken';
export const LONG_TOKEN = fakeToken(1800);

export function xoauth2Payload(credentials: XOAuth2Credentials): string {
  return Buffer.from(`user=${credentials.user}\x01auth=Bearer ${credentials.accessToken}\x01\x01`).toString('base64');
}

export type RecordingProvider = CredentialsProvider & { calls: ({ renew?: boolean } | undefined)[] };

/** Hands out the given tokens in turn (the last one again when asked more often) and records each request. */
export function tokenProvider(...tokens: string[]): RecordingProvider {
  const calls: ({ renew?: boolean } | undefined)[] = [];
  const provider = async (options?: { renew?: boolean }) => {
    calls.push(options);
    return { user: USER, accessToken: tokens[Math.min(calls.length, tokens.length) - 1]! };
  };
  return Object.assign(provider, { calls });
}

export function capturingLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => { lines.push(message); };
  return { lines, trace: keep, debug: keep, info: keep, warn: keep, error: keep };
}


/** The ExplainedError a call fails with. */
export const rejection = explainedFailure;
