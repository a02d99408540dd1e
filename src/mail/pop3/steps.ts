/**
 * The steps of a POP3 session as Test Connection reports them: connect (with STLS when asked),
 * authenticate, quit, each timed. A failing step closes the connection and throws an
 * ExplainedError; the session cannot go on after it.
 */
import { CredentialsProvider, MailServer, XOAuth2Credentials } from '../server';
import { Pop3Capabilities } from './capabilities';
import { authXoauth2, AuthResult } from './commands/auth-xoauth2';
import { capa } from './commands/capa';
import { quit } from './commands/quit';
import { stls } from './commands/stls';
import { Pop3Connection, Pop3Options } from './connection';
import { authFailed, serverRefused, stlsUnavailable, xoauth2Unavailable } from './failures';
import { responseCode } from './reply';

export interface Pop3Connected {
  connection: Pop3Connection;
  greeting: string;
  /** As advertised once the connection is secure (after STLS when that was used). */
  capabilities: Pop3Capabilities;
  elapsedMs: number;
}

export interface Pop3Authenticated {
  user: string;
  /** True when the first token was refused and a fresh one was accepted. */
  renewed: boolean;
  elapsedMs: number;
}

/** RFC 3206 codes that say the refusal is not about the credentials, so a new token will not help. */
const NOT_CREDENTIAL_CODES = new Set(['SYS/TEMP', 'SYS/PERM', 'IN-USE', 'LOGIN-DELAY']);

async function closingOnFailure<T>(connection: Pop3Connection, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** Connects, reads the greeting and capabilities, and with `starttls` upgrades through STLS. */
export async function connectPop3(server: MailServer, options: Pop3Options = {}): Promise<Pop3Connected> {
  const started = performance.now();
  const connection = await Pop3Connection.open(server, options);
  return closingOnFailure(connection, async () => {
    let capabilities = await capa(connection);
    if (server.security === 'starttls') {
      if (capabilities.known && !capabilities.stls) throw stlsUnavailable(server, `CAPA: ${capabilities.lines.join(', ')}`);
      await stls(connection);
      capabilities = await capa(connection);
    }
    return { connection, greeting: connection.greeting, capabilities, elapsedMs: performance.now() - started };
  });
}

function refusal(server: MailServer, credentials: XOAuth2Credentials, result: Extract<AuthResult, { accepted: false }>) {
  const code = responseCode(result.text);
  return code && NOT_CREDENTIAL_CODES.has(code)
    ? serverRefused(server, 'the sign-in', result.text)
    : authFailed(server, credentials.user, result.text, result.challenge);
}

/**
 * Signs in with SASL XOAUTH2. When the server refuses the token, asks the provider once for a
 * fresh one (`renew: true`) and tries again on the same connection; a second refusal fails.
 */
export async function authenticatePop3(connected: Pop3Connected, credentials: CredentialsProvider): Promise<Pop3Authenticated> {
  const { connection, capabilities } = connected;
  const { server, log } = connection;
  const started = performance.now();
  return closingOnFailure(connection, async () => {
    if (capabilities.sasl.length && !capabilities.sasl.includes('XOAUTH2')) throw xoauth2Unavailable(server, capabilities.sasl);
    const first = await credentials();
    const firstResult = await authXoauth2(connection, first);
    if (firstResult.accepted) return { user: first.user, renewed: false, elapsedMs: performance.now() - started };
    const firstFailure = refusal(server, first, firstResult);
    if (firstFailure.code !== 'auth-failed') throw firstFailure;
    log.info(`POP3 ${server.host}:${server.port} refused the token for ${first.user} (${firstFailure.detail}); trying once more with a new token`);
    const renewed = await credentials({ renew: true });
    let secondResult: AuthResult;
    try {
      secondResult = await authXoauth2(connection, renewed);
    } catch (error) {
      // The server may hang up after a refusal; the refusal is what the user needs to know.
      log.warn(`POP3 retry with a new token failed: ${error instanceof Error ? error.message : String(error)}`);
      throw firstFailure;
    }
    if (secondResult.accepted) return { user: renewed.user, renewed: true, elapsedMs: performance.now() - started };
    throw refusal(server, renewed, secondResult);
  });
}

/** Ends the session politely; the connection is closed whatever the server answers. */
export async function quitPop3(connection: Pop3Connection): Promise<{ elapsedMs: number }> {
  const started = performance.now();
  await quit(connection);
  return { elapsedMs: performance.now() - started };
}
