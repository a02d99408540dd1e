/**
 * Every way a POP3 conversation can fail, told as an ExplainedError: what happened in the user's
 * words, what to do, a stable code, and the server's own text or the socket error in `detail`.
 */
import { ExplainedError } from '../../errors';
import { describeError as describe, socketFailureOf } from '../../socket-failure';
import { MailServer, serverAddress } from '../server';

export type Pop3FailureCode =
  | 'unreachable'
  | 'tls-untrusted'
  | 'tls-hostname'
  | 'tls-failed'
  | 'bad-greeting'
  | 'stls-unavailable'
  | 'xoauth2-unavailable'
  | 'auth-failed'
  | 'server-refused'
  | 'connection-dropped'
  | 'timeout'
  | 'line-too-long'
  | 'reply-too-large'
  | 'reply-too-slow'
  | 'protocol-error';


const CHECK_SETTINGS = "Check the account's POP3 host, port and security setting (Exchange Online: outlook.office365.com, port 995, TLS).";

export function unreachable(server: MailServer, cause: unknown): ExplainedError {
  return new ExplainedError(`Cannot reach the POP3 server ${serverAddress(server)}.`,
    `${CHECK_SETTINGS} Also check that no firewall or proxy blocks the port.`,
    { code: 'unreachable', detail: describe(cause), actions: ['retry', 'openSettings'], cause });
}

/** A failure during the TLS handshake (implicit TLS or after STLS). */
export function tlsFailure(server: MailServer, cause: unknown): ExplainedError {
  const kind = socketFailureOf(cause)?.kind;
  const options = { detail: describe(cause), actions: ['openSettings' as const], cause };
  if (kind === 'tls-untrusted') {
    return new ExplainedError(`The certificate of the POP3 server ${serverAddress(server)} is not trusted.`,
      "If the server uses a private certificate authority, set the account's CA file to that authority's certificate (PEM); "
        + 'otherwise check that the host is really your mail server and not a proxy that intercepts TLS.',
      { ...options, code: 'tls-untrusted' });
  }
  if (kind === 'tls-hostname') {
    return new ExplainedError(`The certificate of the POP3 server ${serverAddress(server)} is not issued for ${server.host}.`,
      "Use the host name the certificate names (Exchange Online: outlook.office365.com) in the account's settings.",
      { ...options, code: 'tls-hostname' });
  }
  return new ExplainedError(`The secure connection to the POP3 server ${serverAddress(server)} failed.`,
    `${CHECK_SETTINGS} Port 995 expects TLS from the start, port 110 expects STLS.`,
    { ...options, code: 'tls-failed' });
}

export function badGreeting(server: MailServer, line: string): ExplainedError {
  return new ExplainedError(`${serverAddress(server)} did not greet as a POP3 server.`,
    `${CHECK_SETTINGS} The port may belong to another service.`,
    { code: 'bad-greeting', detail: `greeting: ${line}`, actions: ['openSettings'] });
}

export function stlsUnavailable(server: MailServer, detail: string): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} does not offer STLS, so the connection cannot be secured.`,
    'Use TLS on port 995 instead of STLS (STARTTLS) on port 110.',
    { code: 'stls-unavailable', detail, actions: ['openSettings'] });
}

export function xoauth2Unavailable(server: MailServer, mechanisms: string[]): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} does not offer OAuth2 sign-in (SASL XOAUTH2).`,
    'Check that the account points at Exchange Online (outlook.office365.com) and that POP3 is enabled for the mailbox.',
    { code: 'xoauth2-unavailable', detail: `SASL mechanisms: ${mechanisms.join(' ') || 'none'}`, actions: ['openSettings'] });
}

export function authFailed(server: MailServer, user: string, text: string, challenge?: string): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} refused the OAuth2 sign-in of ${user}.`,
    'Check that the token is for Exchange Online (https://outlook.office.com) with the POP.AccessAsUser.All permission '
      + '(POP.AccessAsApp for app-only access), that it is for this mailbox, and that POP3 is enabled for it.',
    { code: 'auth-failed', detail: `-ERR ${text}${challenge ? ` (XOAUTH2 challenge: ${challenge})` : ''}`, actions: ['signIn', 'showLog'] });
}

/** `-ERR` where the step cannot go on; `step` says what was asked, e.g. "STAT". */
export function serverRefused(server: MailServer, step: string, text: string): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} refused ${step}: ${text || 'no reason given'}`,
    'Try again later; if it keeps failing, check that POP3 is enabled for the mailbox.',
    { code: 'server-refused', detail: `${step} -> -ERR ${text}`, actions: ['retry', 'showLog'] });
}

export function connectionDropped(server: MailServer, step: string, cause?: unknown): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} closed the connection during ${step}.`,
    'Try again; if it keeps happening, the server or a network device is ending the session.',
    { code: 'connection-dropped', detail: cause ? describe(cause) : `closed during ${step}`, actions: ['retry', 'showLog'], cause });
}

export function timedOut(server: MailServer, step: string, ms: number): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} went silent for ${ms / 1000} s during ${step}.`,
    'Try again; if it keeps happening, check the network and the server.',
    { code: 'timeout', detail: `no reply to ${step} after ${ms} ms`, actions: ['retry', 'showLog'] });
}

export function lineTooLong(server: MailServer, step: string, limit: number): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} sent a line longer than ${limit} bytes during ${step}.`,
    'This is not the reply of a POP3 server; check the host and port.',
    { code: 'line-too-long', detail: `line over ${limit} bytes during ${step}`, actions: ['openSettings', 'showLog'] });
}

export function replyTooLarge(server: MailServer, step: string, limit: number): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} sent more than ${limit} bytes in reply to ${step}.`,
    'This is not the reply of a POP3 server to this client; check the host and port, and try again later.',
    { code: 'reply-too-large', detail: `reply over ${limit} bytes during ${step}`, actions: ['openSettings', 'showLog'] });
}

export function replyTooSlow(server: MailServer, step: string, ms: number): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} did not finish its reply to ${step} within ${ms / 1000} s.`,
    'Try again; if it keeps happening, check the network and the server.',
    { code: 'reply-too-slow', detail: `reply to ${step} incomplete after ${ms} ms`, actions: ['retry', 'showLog'] });
}

export function protocolError(server: MailServer, step: string, line: string): ExplainedError {
  return new ExplainedError(`The POP3 server ${serverAddress(server)} gave an answer to ${step} that is not POP3.`,
    'Check the host and port; if they are right, the server may not be a POP3 server.',
    { code: 'protocol-error', detail: `${step} -> ${line}`, actions: ['openSettings', 'showLog'] });
}
