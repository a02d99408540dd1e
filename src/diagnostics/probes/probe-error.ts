/**
 * How a probe step fails before the server has said anything about the credentials: the kinds
 * match the POP3 client's failure codes, so one explanation covers all three protocols.
 */
export type ProbeFailureKind =
  | 'unreachable'
  | 'tls-untrusted'
  | 'tls-hostname'
  | 'tls-failed'
  | 'timeout'
  | 'connection-dropped'
  | 'line-too-long'
  | 'bad-greeting'
  | 'protocol-error'
  | 'starttls-unavailable'
  | 'xoauth2-unavailable'
  | 'server-refused';

export class ProbeError extends Error {
  constructor(
    readonly kind: ProbeFailureKind,
    message: string,
    /** The server's line that ended the step, when there was one (already redacted). */
    readonly reply?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProbeError';
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA',
]);

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What a socket or TLS error means for the connect step. */
export function socketFailureKind(error: unknown, tcpUp: boolean): ProbeFailureKind {
  const code = errorCode(error) ?? '';
  if (!tcpUp && UNREACHABLE.has(code)) return 'unreachable';
  if (UNTRUSTED.has(code)) return 'tls-untrusted';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls-hostname';
  if (UNREACHABLE.has(code)) return 'unreachable';
  return tcpUp ? 'tls-failed' : 'unreachable';
}

export function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
