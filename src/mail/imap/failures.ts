/**
 * What can go wrong talking IMAP, in two vocabularies: `classifyFailure` sorts any error (from
 * imapflow, from the listing connection, from Node's sockets) into what the session can do
 * about it, and the `explain…` functions tell the user what happened as an ExplainedError.
 */
import { ExplainedError } from '../../errors';
import { kindOfCode } from '../../socket-failure';
import { explainThrottled, NOT_CONNECTED, throttling } from '../exchange-replies';
import { SocketFailure } from '../net/connect';
import { MailServer, serverAddress } from '../server';


/** The connection ended under a command; `reason` is the server's BYE text when it gave one. */
export class ConnectionLostError extends Error {
  readonly code = 'NoConnection';

  constructor(readonly reason: string) {
    super(`connection lost: ${reason}`);
    this.name = 'ConnectionLostError';
  }
}

/** A command the server kept answering (or kept silent on) past its deadline; its connection is closed. */
export class CommandDeadlineError extends ConnectionLostError {
  constructor(readonly deadlineMs: number) {
    super(`the server did not finish answering within ${Math.round(deadlineMs / 1000)} s`);
    this.name = 'CommandDeadlineError';
  }
}

/** A tagged NO/BAD to a command, from the listing connection. */
export class CommandFailedError extends Error {
  constructor(readonly command: string, readonly responseStatus: string, readonly responseText: string, readonly serverResponseCode?: string) {
    super(`${command} failed: ${responseStatus} ${responseText}`);
    this.name = 'CommandFailedError';
  }
}

/** The server refused the XOAUTH2 login. */
export class LoginRefusedError extends Error {
  readonly authenticationFailed = true;

  constructor(readonly responseText: string) {
    super(`login refused: ${responseText}`);
    this.name = 'LoginRefusedError';
  }
}

export type FailureKind =
  /** `backoffMs`: how long to wait (`suggestedMs`, Exchange's suggestion, when it made one). */
  | { kind: 'throttled'; backoffMs: number; suggestedMs?: number }
  | { kind: 'connection-lost'; tokenExpired: boolean; reason: string }
  | { kind: 'auth-refused'; reason: string }
  /** Exchange took the token but cannot open the mailbox with it: reconnecting does not help. */
  | { kind: 'mailbox-not-connected'; reason: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'tls-untrusted'; reason: string }
  | { kind: 'tls-hostname'; reason: string }
  /** TLS could not be agreed (a TLS setting on a plain port, or the reverse, or after STARTTLS). */
  | { kind: 'tls-failed'; reason: string }
  | { kind: 'other'; reason: string };

const TOKEN_EXPIRED = /AccessTokenExpired|token (has )?expired/i;
/** imapflow's own codes; Node's socket and TLS codes are read by the one table (src/socket-failure.ts). */
const IMAPFLOW_UNREACHABLE = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT']);
const IMAPFLOW_LOST = new Set(['NoConnection', 'EConnectionClosed', 'ETIMEOUT', 'ClosedAfterConnectTLS', 'ClosedAfterConnectText']);

interface ErrorFields {
  code?: unknown;
  reason?: unknown;
  responseText?: unknown;
  authenticationFailed?: unknown;
  throttleReset?: unknown;
  cause?: unknown;
  message?: unknown;
}

const fieldText = (value: unknown) => (typeof value === 'string' ? value : '');

/** The texts of the errors under this one (imapflow wraps what the server said). */
function causeText(error: ErrorFields, depth = 0): string {
  const cause = error.cause as ErrorFields | undefined;
  if (!cause || typeof cause !== 'object' || depth > 4) return '';
  return [fieldText(cause.responseText), fieldText(cause.reason), fieldText(cause.message), causeText(cause, depth + 1)].join(' ');
}

export function classifyFailure(error: unknown): FailureKind {
  const e = (error ?? {}) as ErrorFields;
  const code = fieldText(e.code);
  const text = [fieldText(e.responseText), fieldText(e.reason), fieldText(e.message)].filter(Boolean).join(' | ');
  const throttled = throttling(text);
  const suggestedMs = typeof e.throttleReset === 'number' ? e.throttleReset : throttled?.suggestedMs;
  if (code === 'ETHROTTLE' || throttled || suggestedMs !== undefined) return { kind: 'throttled', backoffMs: suggestedMs ?? 1000, suggestedMs };
  if (NOT_CONNECTED.test(text) || NOT_CONNECTED.test(causeText(e))) return { kind: 'mailbox-not-connected', reason: text };
  if (e.authenticationFailed === true) return { kind: 'auth-refused', reason: text };
  const socket = error instanceof SocketFailure ? error.kind : kindOfCode(code);
  const coded = code ? `${code}: ${text}` : text;
  if (socket === 'tls-untrusted' || socket === 'tls-hostname' || socket === 'tls-failed') return { kind: socket, reason: coded };
  if (socket === 'unreachable' || IMAPFLOW_UNREACHABLE.has(code)) return { kind: 'unreachable', reason: coded };
  if (socket === 'connection-dropped' || socket === 'timeout' || IMAPFLOW_LOST.has(code) || error instanceof ConnectionLostError) {
    return { kind: 'connection-lost', tokenExpired: TOKEN_EXPIRED.test(text), reason: text || code };
  }
  // imapflow wraps socket errors of the TLS handshake; look one level down.
  if (e.cause && e.cause !== error) {
    const inner = classifyFailure(e.cause);
    if (inner.kind !== 'other') return inner;
  }
  return { kind: 'other', reason: code ? `${code}: ${text}` : text };
}

const CHECK_SETTINGS = "Check the account's IMAP host, port and security setting (Exchange Online: outlook.office365.com, port 993, TLS).";

/** Turns any failure into what the user sees; `step` says what was being done ("listing folders"). */
export function explainFailure(server: MailServer, step: string, error: unknown): ExplainedError {
  if (error instanceof ExplainedError) return error;
  const failure = classifyFailure(error);
  const where = `the IMAP server ${serverAddress(server)}`;
  const detail = failure.kind === 'throttled' ? `throttled while ${step}, back-off ${failure.backoffMs} ms` : failure.reason;
  const options = { detail, cause: error };
  switch (failure.kind) {
    case 'unreachable':
      return new ExplainedError(`Cannot reach ${where}.`, `${CHECK_SETTINGS} Also check that no firewall or proxy blocks the port.`,
        { ...options, code: 'unreachable', actions: ['retry', 'openSettings'] });
    case 'tls-untrusted':
      return new ExplainedError(`The certificate of ${where} is not trusted: neither the system's certificate authorities nor the account's CA file trust it.`,
        "If the server uses a private certificate authority, set the account's CA file to that authority's certificate (PEM); "
          + 'otherwise check that the host is really your mail server and not a proxy that intercepts TLS.',
        { ...options, code: 'tls-untrusted', actions: ['openSettings'] });
    case 'tls-hostname':
      return new ExplainedError(`The certificate of ${where} is not issued for ${server.host}.`,
        "Use the host name the certificate names (Exchange Online: outlook.office365.com) in the account's settings.",
        { ...options, code: 'tls-hostname', actions: ['openSettings'] });
    case 'tls-failed':
      return new ExplainedError(`The secure connection to ${where} failed.`,
        `${CHECK_SETTINGS} Port 993 expects TLS from the start, port 143 expects STARTTLS.`,
        { ...options, code: 'tls-failed', actions: ['openSettings', 'showLog'] });
    case 'auth-refused':
      return new ExplainedError(`${capitalize(where)} refused the OAuth2 sign-in, also with a new token.`,
        'Sign in again. If it keeps failing, check that the app registration has the IMAP.AccessAsUser.All permission '
          + '(IMAP.AccessAsApp for app-only access) and that IMAP is enabled for the mailbox.',
        { ...options, code: 'auth-failed', actions: ['signIn', 'showLog'] });
    case 'mailbox-not-connected':
      return new ExplainedError(`${capitalize(where)} accepted the sign-in but cannot open the mailbox ("User is authenticated but not connected").`,
        'The mailbox may not exist, not be licensed for Exchange Online, or have IMAP turned off; for app-only access the app\'s '
          + 'service principal needs FullAccess to it. Test Connection says which, with the admin command that fixes it.',
        { ...options, code: 'mailbox-not-connected', actions: ['retry', 'showLog'] });
    case 'connection-lost':
      if (error instanceof CommandDeadlineError) {
        return new ExplainedError(`${capitalize(where)} did not finish answering within ${Math.round(error.deadlineMs / 1000)} s while ${step}.`,
          'Try again; if it keeps happening, the server or the network is too slow or is sending more than it should: the log has the conversation.',
          { ...options, code: 'command-deadline', actions: ['retry', 'showLog'] });
      }
      return new ExplainedError(`The connection to ${where} was lost while ${step}, and reconnecting did not help.`,
        'Try again; if it keeps happening, check the network and the server.',
        { ...options, code: 'connection-lost', actions: ['retry', 'showLog'] });
    case 'throttled': {
      const { message, fix, code, actions } = explainThrottled('imap', server, failure.suggestedMs);
      return new ExplainedError(message, fix, { ...options, code, actions });
    }
    default:
      return new ExplainedError(`${capitalize(where)} failed while ${step}: ${failure.reason || 'no reason given'}`,
        'Try again; if it keeps failing, see the log for the server\'s reply.',
        { ...options, code: 'server-refused', actions: ['retry', 'showLog'] });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function folderNotOpenable(path: string): ExplainedError {
  return new ExplainedError(`The folder "${path}" only groups other folders and holds no messages.`,
    'Open one of its subfolders.', { code: 'not-openable' });
}

export function noSentFolder(): ExplainedError {
  return new ExplainedError('The mailbox has no Sent folder to keep a copy of the sent message in.',
    'The message was sent; create a folder named "Sent Items" to keep copies next time.', { code: 'no-sent-folder' });
}

export function messageGone(path: string, uid: number): ExplainedError {
  return new ExplainedError(`The message ${uid} is no longer in "${path}".`,
    'Refresh the folder: the message was moved or deleted elsewhere.', { code: 'message-gone', actions: ['retry'] });
}

export function folderGone(path: string): ExplainedError {
  return new ExplainedError(`The folder "${path}" no longer exists; the messages stay where they were.`,
    'Refresh the account to list its folders again, then choose another folder.', { code: 'folder-gone', actions: ['showLog'] });
}
