/**
 * How a probe step fails before the server has said anything about the credentials: the kinds
 * match the POP3 client's failure codes and the network layer's (mail/net/connect.ts), so one
 * explanation covers all three protocols.
 */
import type { ConnectFailureKind } from '../../mail/net/connect';

export type ProbeFailureKind =
  | ConnectFailureKind
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
