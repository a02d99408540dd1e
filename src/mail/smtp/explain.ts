/**
 * Why a send failed, told from the SMTP server's reply (Exchange Online's wording first, then
 * Postfix/Dovecot's) or from the socket error, as an ExplainedError with what to do about it.
 */
import { ErrorAction, ExplainedError } from '../../errors';
import { kindOfCode } from '../../socket-failure';
import { explainSmtpAuthDisabled, SMTP_AUTH_DISABLED } from '../exchange-replies';
import { MailServer, serverAddress } from '../server';
import { RefusedRecipient } from './dialogue';

/** What is known about a failed send: nodemailer's error fields, and what the dialogue saw. */
export interface SmtpFailure {
  /** nodemailer's code (`EAUTH`, `EENVELOPE`, `EMESSAGE`, `ESOCKET`, `ETIMEDOUT`, `ETLS`, …) or Node's (`ECONNREFUSED`). */
  code?: string;
  /** The server's reply that ended it, e.g. `535 5.7.3 Authentication unsuccessful`. */
  response?: string;
  /** The SMTP command it answered: `AUTH XOAUTH2`, `MAIL FROM`, `RCPT TO`, `DATA`, `CONN`. */
  command?: string;
  message: string;
  /** Node's TLS/socket code underneath (`SELF_SIGNED_CERT_IN_CHAIN`, `ECONNREFUSED`, …). */
  causeCode?: string;
  refusedRecipients?: RefusedRecipient[];
  /** Whether a renewed token was tried too (the server refused a token twice). */
  tokenRenewed?: boolean;
}

export interface SendContext {
  server: MailServer;
  /** The XOAUTH2 user: the signed-in account or the mailbox of an app-only token. */
  user: string;
  /** The From address. */
  from: string;
  sizeBytes?: number;
}

const TOKEN_REFUSED = /^535\b|5\.7\.(3|8)\b|authentication (unsuccessful|failed)/i;
const SEND_AS = /SendAsDenied|5\.2\.252|not owned by user|not allowed to send as/i;
const TOO_LARGE = /^552\b|5\.3\.4|message size exceeds|too large|size larger than allowed/i;
/** nodemailer's code for a name that does not resolve; Node's codes are read by the one table (src/socket-failure.ts). */
const NODEMAILER_UNREACHABLE = 'EDNS';


function explained(message: string, fix: string, code: string, failure: SmtpFailure, actions: ErrorAction[] = []): ExplainedError {
  const detail = [failure.command && `command: ${failure.command}`, failure.response && `reply: ${failure.response}`,
    failure.code && `code: ${failure.code}`, failure.causeCode && `cause: ${failure.causeCode}`, failure.message]
    .filter(Boolean).join('; ');
  return new ExplainedError(message, fix, { code, detail, actions });
}

function firstLine(reply: string): string {
  return reply.split(/\r?\n/)[0].trim();
}

function explainRecipient(refused: RefusedRecipient, failure: SmtpFailure): ExplainedError {
  const temporary = refused.reply.startsWith('4');
  return explained(`The server refused the recipient ${refused.address}: ${firstLine(refused.reply)}. Nothing was sent.`,
    temporary
      ? 'The server could not take this recipient right now; try again later.'
      : 'Check the address for typos, or remove it; the server will not deliver to it from this account.',
    'recipient-refused', failure, temporary ? ['retry'] : []);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The ExplainedError for a send that failed with `failure`. */
export function explainSmtpFailure(failure: SmtpFailure, context: SendContext): ExplainedError {
  const reply = failure.response ?? '';
  const codes = [failure.code, failure.causeCode].filter((c): c is string => Boolean(c));
  const kinds = new Set(codes.map(kindOfCode));
  const server = serverAddress(context.server);

  const refused = failure.refusedRecipients?.[0];
  if (refused) return explainRecipient(refused, failure);

  if (SMTP_AUTH_DISABLED.test(reply)) {
    const { message, fix, code, actions } = explainSmtpAuthDisabled(reply, context.user);
    return explained(message, fix, code, failure, actions);
  }
  if (failure.code === 'EAUTH' || (failure.command?.startsWith('AUTH') && TOKEN_REFUSED.test(reply))) {
    const renewed = failure.tokenRenewed ? ', also after renewing it once' : '';
    return explained(`The SMTP server refused the sign-in token for ${context.user}${reply ? ` (${firstLine(reply)})` : ''}${renewed}. Nothing was sent.`,
      `Check that the app registration has the permission SMTP.Send (delegated; SMTP.SendAsApp for app-only) with admin consent, that the token is issued for ${context.user}, then sign in again.`,
      'smtp-token-refused', failure, ['signIn', 'retry']);
  }
  if (SEND_AS.test(reply)) {
    return explained(`${context.user} may not send as ${context.from} (${firstLine(reply)}). Nothing was sent.`,
      `Send from the signed-in mailbox ${context.user}, or have an Exchange admin grant Send As permission: Add-RecipientPermission -Identity ${context.from} -Trustee ${context.user} -AccessRights SendAs`,
      'send-as-denied', failure);
  }
  if (TOO_LARGE.test(reply) || (!reply && TOO_LARGE.test(failure.message))) {
    const size = context.sizeBytes ? ` (about ${megabytes(context.sizeBytes)} encoded)` : '';
    return explained(`The message is larger than the server accepts${size}: ${firstLine(reply)}.`,
      'Send a shorter document or a selection, or share it as a link; encoding makes a message about a third larger than the text. Exchange Online accepts 35 MB by default.',
      'message-too-large', failure);
  }
  if (failure.code === 'EENVELOPE' && failure.command === 'RCPT TO' && reply) {
    return explainRecipient({ address: 'every recipient', reply }, failure);
  }
  if (kinds.has('tls-untrusted') || kinds.has('tls-hostname') || /certificate/i.test(failure.message)) {
    return explained(`The certificate of the SMTP server ${server} is not trusted (${failure.causeCode ?? failure.message}).`,
      'If the server uses a private certificate authority, put its PEM certificate in a file and set it as `caFile` of this account (setting exchangeMail.accounts). Never turn certificate checks off.',
      'certificate-untrusted', failure, ['openSettings']);
  }
  if (failure.command === 'STARTTLS' && reply && !reply.startsWith('2')) {
    return explained(`The SMTP server ${server} does not offer STARTTLS, so the connection cannot be encrypted (${failure.message}).`,
      'Check the SMTP port and security of the account: Exchange Online is smtp.office365.com, port 587 with STARTTLS; port 465 is TLS from the start (security "tls").',
      'starttls-unavailable', failure, ['openSettings']);
  }
  if (kinds.has('unreachable') || codes.includes(NODEMAILER_UNREACHABLE)) {
    const why = codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN') || codes.includes('EDNS') ? 'its name does not resolve'
      : codes.includes('ETIMEDOUT') ? 'the connection timed out' : codes.includes('ECONNREFUSED') ? 'the connection was refused' : failure.causeCode ?? failure.code;
    return explained(`Cannot reach the SMTP server ${server}: ${why}. Nothing was sent.`,
      'Check the SMTP host and port of the account (Exchange Online: smtp.office365.com:587), your network, VPN or proxy, and that a firewall allows outgoing connections to that port.',
      'server-unreachable', failure, ['retry', 'openSettings']);
  }
  if (failure.code === 'ETLS' || kinds.has('tls-failed') || /wrong version number|packet length too long|unknown protocol|EPROTO/i.test(`${failure.message} ${failure.causeCode ?? ''}`)) {
    return explained(`The TLS handshake with ${server} failed (${failure.message}).`,
      'The port and security setting do not match: port 587 uses STARTTLS (security "starttls"), port 465 TLS from the start (security "tls").',
      'tls-failed', failure, ['openSettings']);
  }
  if (kinds.has('connection-dropped')) {
    return explained(`The SMTP server ${server} dropped the connection (${failure.causeCode ?? failure.code}) before it took the message.`,
      'Try again; if it keeps happening, check your network, VPN or proxy, and the SMTP host, port and security of the account (Exchange Online: smtp.office365.com:587, STARTTLS).',
      'connection-dropped', failure, ['retry', 'showLog']);
  }
  if (/^4\d\d/.test(reply)) {
    return explained(`The SMTP server is busy or could not take the message now (${firstLine(reply)}).`,
      'Try again in a few minutes.', 'server-busy', failure, ['retry']);
  }
  return explained(`Sending through ${server} failed: ${reply ? firstLine(reply) : failure.message}.`,
    'Try again; if it keeps failing, the SMTP trace in the log (Exchange Mail: Show Log) has the whole conversation.',
    'send-failed', failure, ['retry', 'showLog']);
}
