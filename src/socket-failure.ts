/**
 * The one reading of Node's socket and TLS error codes, for every connection the extension
 * makes: the mail protocols (src/mail/net), the probes of Test Connection and the identity
 * platform's HTTPS client (src/auth/network.ts). It lives below all of them so that one
 * certificate error reads the same on every path. Libraries' own codes (imapflow's
 * `NoConnection`, nodemailer's `EDNS`) are their callers' to read.
 */
export type SocketFailureKind =
  /** The server was never reached: refused, no route, no name, no answer to the TCP handshake. */
  | 'unreachable'
  /** The certificate chain is not trusted (private CA, self-signed, expired, revoked). */
  | 'tls-untrusted'
  /** The certificate is trusted but not issued for the host asked for. */
  | 'tls-hostname'
  /** TLS could not be agreed: usually a TLS setting pointed at a plain port, or the other way. */
  | 'tls-failed'
  /** An open connection was reset or broken by the other end or a device between. */
  | 'connection-dropped';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA',
]);
const WRONG_HOST = 'ERR_TLS_CERT_ALTNAME_INVALID';
/** OpenSSL's handshake failures as Node reports them: `EPROTO`, `ERR_SSL_WRONG_VERSION_NUMBER`, `ERR_SSL_PACKET_LENGTH_TOO_LONG`, … */
const TLS_FAILED = /^(EPROTO|ERR_SSL_\w+|ERR_TLS_\w+)$/;

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What one code means, if it is a socket or TLS code. */
export function kindOfCode(code: string): SocketFailureKind | undefined {
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (DROPPED.has(code)) return 'connection-dropped';
  if (UNTRUSTED.has(code)) return 'tls-untrusted';
  if (code === WRONG_HOST) return 'tls-hostname';
  if (TLS_FAILED.test(code)) return 'tls-failed';
  return undefined;
}

/** The first socket or TLS code in the error or its causes (libraries wrap Node's errors), and what it means. */
export function socketFailureOf(error: unknown): { kind: SocketFailureKind; code: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = errorCode(current);
    const kind = code === undefined ? undefined : kindOfCode(code);
    if (kind && code) return { kind, code };
    const cause = (current as { cause?: unknown }).cause;
    current = cause === current ? undefined : cause;
  }
  return undefined;
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1`, for a log's detail. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
