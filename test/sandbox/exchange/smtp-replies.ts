/**
 * Every line smtp.office365.com:587 says, in one place, copied from the published transcripts
 * (/work/shared/exchange/smtp-transcripts.md, "§n" below) or marked as an assumption where they
 * are silent. The front never passes a Postfix or Dovecot text through: it answers with these.
 */

/** The machine names a session shows: a front end (greeting, error brackets) and a mailbox server (queued reply). */
export const FRONT_END = 'SBXPR01CA0042';
export const REGION = 'namprd01';
export const MAILBOX_SERVER = 'SBXPR01MB4711';

const FRONT_END_HOST = `${FRONT_END}.outlook.office365.com`;
/** The older bracket form (§5, §6, §7); the 2023+ form adds a time and a connection id. */
const BRACKET = `[${FRONT_END}.${REGION}.prod.outlook.com]`;
export const MAILBOX_SERVER_HOST = `${MAILBOX_SERVER}.${REGION}.prod.outlook.com`;

/** Exchange's limit on what it advertises (§4: `250-SIZE 157286400` in every capture). */
export const ADVERTISED_SIZE = 157_286_400;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Wed, 9 Nov 2022 10:09:41 +0000`: RFC 2822 in UTC, but the day without a leading zero (§4e). */
export function greetingDate(at: Date): string {
  return `${DAYS[at.getUTCDay()]}, ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} `
    + `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;
}

/** §4: the pre-2024 form, without the ` [<16 hex>]` connection id. */
export const greeting = (at: Date) => `220 ${FRONT_END_HOST} Microsoft ESMTP MAIL Service ready at ${greetingDate(at)}`;

/** §4a–d before STARTTLS; §1, §2, §4f after it, where `AUTH LOGIN XOAUTH2` takes STARTTLS's place. */
export function ehlo(clientAddress: string, secure: boolean): string[] {
  const keywords = ['SIZE 157286400', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES', secure ? 'AUTH LOGIN XOAUTH2' : 'STARTTLS',
    '8BITMIME', 'BINARYMIME', 'CHUNKING', 'SMTPUTF8'];
  const lines = [`${FRONT_END_HOST} Hello [${clientAddress}]`, ...keywords];
  return lines.map((line, i) => `250${i === lines.length - 1 ? ' ' : '-'}${line}`);
}

/** Assumed: HELO answers with EHLO's first line alone. */
export const helo = (clientAddress: string) => `250 ${FRONT_END_HOST} Hello [${clientAddress}]`;

export const REPLY = {
  startTls: '220 2.0.0 SMTP server ready', // §4
  /** §5: Microsoft's sample shows the XOAUTH2 challenge as a bare `334`. */
  xoauth2Challenge: '334',
  loginUsername: '334 VXNlcm5hbWU6', // §1
  loginPassword: '334 UGFzc3dvcmQ6', // §1
  authenticated: '235 2.7.0 Authentication successful', // §1, §5
  /** §5, §6: any refused token, wrong account or missing permission. */
  authUnsuccessful: `535 5.7.3 Authentication unsuccessful ${BRACKET}`,
  /** §6: AUTH LOGIN is basic authentication, which is off. */
  basicAuthDisabled: `535 5.7.139 Authentication unsuccessful, basic authentication is disabled. ${BRACKET}`,
  /** §6 (tenant). The mailbox wording is an assumption: the same text with "Mailbox". */
  smtpAuthDisabled: (scope: 'Tenant' | 'Mailbox') =>
    `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the ${scope}. Visit https://aka.ms/smtp_auth_disabled for more information. ${BRACKET}`,
  unrecognizedAuthType: `504 5.7.4 Unrecognized authentication type ${BRACKET}`, // §6
  /** §6 (seen once, smtp-hve); also used, as an assumption, for a cancelled exchange (`*`). */
  invalidXoauth2: '501 5.5.124 Invalid XOAUTH2 auth data',
  startTlsRequired: `451 5.7.3 STARTTLS is required to send mail ${BRACKET}`, // §7
  notAuthenticated: `530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM ${BRACKET}`, // §7
  sendHelloFirst: '503 5.5.2 Send hello first', // §7
  unrecognizedCommand: (verb: string) => `500 5.3.3 Unrecognized command '${verb}' ${BRACKET}`, // §7
  senderOk: '250 2.1.0 Sender OK', // §1
  recipientOk: '250 2.1.5 Recipient OK', // §1
  startMailInput: '354 Start mail input; end with <CRLF>.<CRLF>', // §1
  queued: (messageId: string) => `250 2.0.0 OK ${messageId} [Hostname=${MAILBOX_SERVER_HOST}]`, // §1
  resetting: '250 2.0.0 Resetting', // §8
  /** §2 (2025), without the diagnostic numbers that follow `Cannot submit message.` */
  sendAsDenied: (user: string, from: string) => `554 5.2.252 SendAsDenied; ${user} not allowed to send as ${from}; `
    + 'STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message.',
  /** §8 (text once, code not captured): `554 5.2.0` by analogy with the other STOREDRV refusals. */
  maxSubmissionExceeded: '554 5.2.0 MapiExceptionMaxSubmissionExceeded; Message size exceeds maximum size limit.; '
    + 'STOREDRV.Submission.Exception:MessageSubmissionExceededException.MapiExceptionMaxSubmissionExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot save changes made to an item to store.',
  /** §8 says this was never captured from Exchange Online; assumed for more than the advertised SIZE. */
  sizeExceedsFixedMaximum: `552 5.3.4 Message size exceeds fixed maximum message size ${BRACKET}`,
  /** §7 (inbound context) wording for a domain the sandbox does not deliver to; Exchange itself would relay. */
  nonAcceptedDomain: `550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain ${BRACKET}`,
  /** Assumed: Exchange's resolver wording (from its NDRs) for an unknown address in an accepted domain. */
  recipientNotFound: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
  /** §8 (2017, during AUTH): for anything the relay behind the front could not do. */
  temporaryError: `451 4.7.0 Temporary server error. Please try again later. PRX4 ${BRACKET}`,
  // Assumed, not in the transcripts: Exchange on-premises' texts for commands out of order.
  needMail: '503 5.5.2 Need mail command',
  needRcpt: '503 5.5.2 Need rcpt command',
  senderAlreadySpecified: '503 5.5.2 Sender already specified',
  alreadyAuthenticated: '503 5.5.2 Already authenticated',
  badSequence: '503 5.5.1 Bad sequence of commands',
  syntaxError: '501 5.5.4 Invalid arguments',
  ok: '250 2.0.0 OK',
  closing: '221 2.0.0 Service closing transmission channel',
} as const;
