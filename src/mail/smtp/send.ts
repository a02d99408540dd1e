/**
 * Sending a draft over SMTP submission with XOAUTH2, one connection per message (no pool):
 * connect (TLS or STARTTLS, which is then required), log in, send, close.
 *
 * A refused token is renewed once through the credentials provider: when the server answers
 * AUTH with a challenge (Dovecot's `334 <json>`), nodemailer asks `provisionCallback` for a
 * renewed token and retries on the same connection; when it answers 535 at once (Exchange
 * Online), the send is tried once more, on a new connection, with a renewed token. Never twice
 * with the same token, never more than one renewal.
 *
 * Nothing is half-sent: addresses are checked before connecting, and when the server refuses
 * any recipient the connection is dropped before the message body, so nobody gets it.
 */
import { checkServerIdentity } from 'node:tls';
import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { XOAuth2ProvisionCallback } from 'nodemailer/lib/xoauth2';
import { Redactor } from '../../redact';
import { ExplainedError, isExplained } from '../../errors';
import { DraftMessage, validateRecipients, validateSender } from '../compose/draft';
import { OutgoingMessage, Rfc822Message, startRfc822 } from '../compose/rfc822';
import { CredentialsProvider, MailLog, MailServer, silentLog, XOAuth2Credentials } from '../server';
import { tlsOptions } from '../net/connect';
import { bearerTokenFor, CleartextTokenRefused, TokenChannel } from '../net/xoauth2';
import { SmtpDialogue } from './dialogue';
import { explainSmtpFailure, SendContext, SmtpFailure } from './explain';
import { smtpTraceLogger } from './trace';

export interface SendOptions {
  log?: MailLog;
  /** Cancels the send: the connection is closed, and if the body was not complete nothing is delivered. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the TCP connection and the greeting (default 30 s). */
  connectTimeoutMs?: number;
  /** Silence from the server, after the greeting, that ends the send (default 120 s). */
  replyTimeoutMs?: number;
  /**
   * Longest the conversation may take up to the server's 354 to DATA, however its bytes trickle
   * (default 120 s); the body itself is bounded only by silence, as a large one may take long.
   */
  dialogueDeadlineMs?: number;
}

export interface SendResult {
  /** The Message-ID header, with angle brackets. */
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's reply to the message, e.g. `250 2.0.0 Ok: queued as …`. */
  response: string;
  /** The RFC 822 bytes that were sent: what an IMAP APPEND to the Sent folder stores. */
  raw: Buffer;
}

interface SmtpError extends Error {
  code?: string;
  originalCode?: string;
  response?: string;
  command?: string;
  cause?: unknown;
}

/** Raised by our provisionCallback when the one renewal is spent; nodemailer turns it into EAUTH. */
class RenewalSpent extends Error {}

const DEFAULT_CONNECT_TIMEOUT = 30_000;
const SOCKET_TIMEOUT = 120_000;
const DIALOGUE_DEADLINE = 120_000;

/**
 * One attempt's connection: what nodemailer is told, and whether its TLS handshake verified the
 * server. nodemailer writes the token itself; it asks `provisionCallback` for it, and the token
 * rule (../net/xoauth2) answers only once the handshake (TLS from the first byte, or after STARTTLS,
 * which `requireTLS` makes mandatory) has verified the certificate.
 */
function transportOptions(server: MailServer, user: string, provisionCallback: XOAuth2ProvisionCallback,
  logger: SMTPTransportOptions['logger'], timeouts: { connectMs: number; replyMs: number }, onVerified: () => void): SMTPTransportOptions {
  return {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    tls: {
      ...tlsOptions(server),
      // Node calls this only on a TLS socket whose chain verified; the name check stays Node's own.
      checkServerIdentity: (host, cert) => {
        const mismatch = checkServerIdentity(host, cert);
        if (!mismatch) onVerified();
        return mismatch;
      },
    },
    // No token here: nodemailer asks provisionCallback when it logs in, and only a refusal asks for another.
    auth: { type: 'OAuth2', user, provisionCallback },
    logger,
    transactionLog: true,
    // nodemailer holds connecting, the greeting and STARTTLS together to connectionTimeout, however the bytes trickle.
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.connectMs,
    socketTimeout: timeouts.replyMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function failureOf(error: SmtpError, dialogue: SmtpDialogue, tokenRenewed: boolean): SmtpFailure {
  const cause = error.cause as { code?: unknown } | undefined;
  const causeCode = error.originalCode ?? (typeof cause?.code === 'string' ? cause.code : undefined);
  if (dialogue.refusedSender) {
    return { code: 'EENVELOPE', causeCode, response: dialogue.refusedSender, command: 'MAIL FROM', message: error.message, tokenRenewed };
  }
  return {
    code: error.code,
    causeCode,
    // nodemailer keeps no reply when the renewal itself ended the login; the dialogue has it.
    response: error.response ?? (error.code === 'EAUTH' ? dialogue.lastAuthReply : undefined),
    command: error.command,
    message: error.message,
    refusedRecipients: [...dialogue.refusedRecipients],
    tokenRenewed,
  };
}

function isTokenRefusal(failure: SmtpFailure): boolean {
  return failure.code === 'EAUTH' && /^535\b/.test(failure.response ?? '') && !/5\.7\.139/.test(failure.response ?? '');
}

async function credentialsFor(credentials: CredentialsProvider, renew: boolean, redactor: Redactor): Promise<XOAuth2Credentials> {
  try {
    const result = await credentials(renew ? { renew } : undefined);
    redactor.register(result.accessToken);
    return result;
  } catch (error) {
    if (isExplained(error)) throw error;
    throw new ExplainedError(`No token for SMTP: ${(error as Error).message}`, 'Sign in to the account again, then send again.',
      { code: 'token-unavailable', actions: ['signIn', 'retry'], cause: error });
  }
}

function cancelled(): ExplainedError {
  return new ExplainedError('Sending was cancelled. Nothing was sent.', 'Send again when you are ready.', { code: 'send-cancelled', actions: ['retry'] });
}

function isOutgoing(message: Rfc822Message | OutgoingMessage): message is OutgoingMessage {
  return 'stream' in message;
}

/** Waits for the message to be built; one that cannot be is what went wrong, whatever the connection said. */
async function whenBuilt(message: OutgoingMessage): Promise<void> {
  try {
    await message.built;
  } catch (error) {
    if (isExplained(error)) throw error;
    throw new ExplainedError(`The message could not be built, so nothing was sent: ${(error as Error).message}`,
      'Try again; if it fails again, send the document as an attachment (setting `exchangeMail.send.asAttachment`) and report the problem.',
      { code: 'build-failed', actions: ['retry', 'showLog'], cause: error });
  }
}

/** Sends the bytes, built or being built (then DATA waits for what is not there yet); `sendMessage` checks the draft first. */
export async function sendRfc822(server: MailServer, credentials: CredentialsProvider, message: Rfc822Message | OutgoingMessage, context: { from: string; sizeBytes?: number },
  options: SendOptions = {}): Promise<SendResult> {
  const log = options.log ?? silentLog;
  const redactor = new Redactor();
  if (options.signal?.aborted) throw cancelled();
  let renewed = false;
  let current = await credentialsFor(credentials, false, redactor);
  const sendContext = (): SendContext => ({ server, user: current.user, from: context.from, sizeBytes: context.sizeBytes });

  /** Set by the attempt's TLS handshake; a new attempt starts unverified. */
  let verified = false;
  /** Why the token was withheld; nodemailer reports it only as a failed login. */
  let cleartext: CleartextTokenRefused | undefined;
  const channel = (): TokenChannel => ({ encrypted: verified, describe: `SMTP server ${server.host}:${server.port}` });
  const provisionCallback: XOAuth2ProvisionCallback = (_user, renew, callback) => {
    if (renew && renewed) {
      callback(new RenewalSpent('the renewed token was refused as well'));
      return;
    }
    try {
      bearerTokenFor(channel(), current);
    } catch (error) {
      cleartext = error as CleartextTokenRefused;
      callback(cleartext);
      return;
    }
    if (!renew) {
      callback(null, current.accessToken);
      return;
    }
    renewed = true;
    log.info('SMTP: the server refused the token; renewing it once');
    credentialsFor(credentials, true, redactor).then((next) => {
      current = next;
      callback(null, bearerTokenFor(channel(), next));
    }, (error: Error) => callback(error));
  };

  for (;;) {
    const stop = new AbortController();
    const dialogue = new SmtpDialogue(() => {
      // After nodemailer has handled this reply, before it can start the body.
      queueMicrotask(() => stop.abort());
    });
    const onCancel = () => stop.abort();
    options.signal?.addEventListener('abort', onCancel, { once: true });
    const dialogueDeadlineMs = options.dialogueDeadlineMs ?? DIALOGUE_DEADLINE;
    let overdue = false;
    const deadline = setTimeout(() => {
      // Nothing is sent before the 354: stopping then leaves no half message.
      if (dialogue.lastReply?.startsWith('354')) return;
      overdue = true;
      stop.abort();
    }, dialogueDeadlineMs);
    verified = false;
    const transport = createTransport(transportOptions(server, current.user, provisionCallback,
      smtpTraceLogger(log, redactor, dialogue),
      { connectMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT, replyMs: options.replyTimeoutMs ?? SOCKET_TIMEOUT }, () => { verified = true; }));
    const attemptRenewed = renewed;
    try {
      // Declared in MAIL FROM, and checked against the server's SIZE: the estimate while the bytes are still being built (RFC 1870 asks no more).
      const size = isOutgoing(message) ? context.sizeBytes : message.raw.length;
      log.info(`SMTP: sending ${message.messageId}${size === undefined ? '' : ` (${isOutgoing(message) ? 'about ' : ''}${size} bytes)`} through ${server.host}:${server.port} as ${current.user}`);
      const info = await transport.sendMail({
        // Text parts go as 8-bit where their lines allow: MAIL FROM says so (BODY=8BITMIME) where the server offers it.
        envelope: { ...message.envelope, ...(size === undefined ? {} : { size }), use8BitMime: true },
        raw: isOutgoing(message) ? message.stream() : message.raw,
        signal: stop.signal,
      });
      if (isOutgoing(message)) await whenBuilt(message);
      log.info(`SMTP: sent ${message.messageId}: ${info.response}`);
      const built = message;
      return {
        messageId: message.messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
        // Joined when asked for (the Sent copy), not on the way of the send.
        get raw() {
          return isOutgoing(built) ? built.bytes() : built.raw;
        },
      };
    } catch (error) {
      if (isOutgoing(message)) await whenBuilt(message);
      if (options.signal?.aborted && !dialogue.refusedRecipients.length) throw cancelled();
      if (cleartext) throw cleartext;
      if (overdue) {
        throw explainSmtpFailure({ code: 'ETIMEDOUT', message: `no answer up to DATA within ${dialogueDeadlineMs / 1000} s`, tokenRenewed: renewed }, sendContext());
      }
      const failure = failureOf(error as SmtpError, dialogue, renewed);
      if (!attemptRenewed && !renewed && isTokenRefusal(failure)) {
        // Refused at once (535 without a challenge): one more try, with a renewed token.
        renewed = true;
        log.info('SMTP: the server refused the token; renewing it and trying once more');
        current = await credentialsFor(credentials, true, redactor);
        continue;
      }
      const explained = explainSmtpFailure(failure, sendContext());
      log.warn(`SMTP: ${explained.message} (${explained.detail ?? ''})`);
      throw explained;
    } finally {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onCancel);
      transport.close();
    }
  }
}

/**
 * Checks the draft, then builds its bytes while it connects, and sends them. Fails with an ExplainedError: the
 * address problems (`invalid-address`, `no-recipient`) before any connection, the server's
 * refusals and network problems after (see explain.ts for the codes).
 */
export async function sendMessage(server: MailServer, credentials: CredentialsProvider, draft: DraftMessage,
  options: SendOptions = {}): Promise<SendResult> {
  validateSender(draft.from);
  validateRecipients(draft);
  if (options.signal?.aborted) throw cancelled();
  // Built while the connection is set up: the token, TLS, the login and the envelope take about as long as a large document takes to render.
  return sendRfc822(server, credentials, startRfc822(draft), { from: draft.from.address, sizeBytes: draft.sizeBytes }, options);
}
