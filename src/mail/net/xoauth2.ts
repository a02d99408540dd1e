/**
 * The one place a bearer token is handed to a connection: the SASL XOAUTH2 response
 * (`user=<user>^Aauth=Bearer <token>^A^A`, base64) for our own IMAP, POP3 and SMTP code, and
 * the bare token for imapflow and nodemailer, which build the response themselves. Either is
 * given only for a connection the caller says is TLS-encrypted: a server (or a network in
 * between) that strips STARTTLS must never receive the token in clear, whatever it advertises.
 */
import { TLSSocket } from 'node:tls';
import { ExplainedError } from '../../errors';
import { XOAuth2Credentials } from '../server';

/** What the caller knows of the connection the token would go over. */
export interface TokenChannel {
  /** True only once TLS is established and the server's certificate verified. */
  encrypted: boolean;
  /** For the message: `IMAP server mail.example.com:143`. */
  describe?: string;
}

/** A socket counts as encrypted once its TLS handshake is done and the certificate verified. */
export function channelOf(socket: unknown, describe: string): TokenChannel {
  return { encrypted: socket instanceof TLSSocket && socket.encrypted && socket.authorized, describe };
}

/** Thrown instead of writing a token to a connection without TLS. */
export class CleartextTokenRefused extends ExplainedError {
  constructor(channel: TokenChannel) {
    const where = channel.describe ?? 'the mail server';
    super(`The connection to ${where} is not encrypted, so the sign-in token was not sent.`,
      "Check the account's security setting (TLS or STARTTLS). If it is right, something between you and the server "
        + 'removed encryption (STARTTLS was not offered or not honoured): use another network, or TLS on port 993, 995 or 465.',
      { code: 'cleartext-refused', detail: `refused to send XOAUTH2 over a connection without TLS (${where})`, actions: ['openSettings', 'showLog'] });
    this.name = 'CleartextTokenRefused';
  }
}

/** The access token, for a library that writes it itself; throws CleartextTokenRefused unless the channel is encrypted. */
export function bearerTokenFor(channel: TokenChannel, credentials: XOAuth2Credentials): string {
  if (channel.encrypted !== true) throw new CleartextTokenRefused(channel);
  return credentials.accessToken;
}

/** The XOAUTH2 initial client response for an encrypted channel; the trace must redact it. */
export function xoauth2Response(channel: TokenChannel, credentials: XOAuth2Credentials): string {
  const token = bearerTokenFor(channel, credentials);
  return Buffer.from(`user=${credentials.user}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64');
}

/** The JSON a server puts in a failure continuation (`+ eyJzdGF0dXMiOi...`), shown as-is when it is not JSON. */
export function describeFailureChallenge(challenge: string): string {
  const decoded = Buffer.from(challenge, 'base64').toString('utf8');
  try {
    return JSON.stringify(JSON.parse(decoded));
  } catch {
    return challenge;
  }
}
