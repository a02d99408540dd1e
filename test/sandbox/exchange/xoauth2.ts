/**
 * The SASL XOAUTH2 initial response as a front reads it: `user=<mailbox>^Aauth=Bearer <token>^A^A`,
 * base64. The front needs the user (faults, the session's identity) and, once Dovecot has
 * accepted the token, who it was issued to (the send-as rule). The token itself never leaves
 * this module's callers' memory: not logged, not shown.
 */
import { Submitter } from './send-as';

export interface Xoauth2Response {
  user: string;
  token: string;
}

/** undefined when it is not base64 of a `user=…^Aauth=Bearer …` pair. */
export function parseXoauth2(base64: string): Xoauth2Response | undefined {
  if (!/^[A-Za-z0-9+/]+=*$/.test(base64)) return undefined;
  const fields = Buffer.from(base64, 'base64').toString('utf8').split('\x01');
  const user = fields.find((f) => f.startsWith('user='))?.slice('user='.length);
  const token = /^auth=Bearer (.+)$/i.exec(fields.find((f) => /^auth=/i.test(f)) ?? '')?.[1];
  return user && token ? { user, token } : undefined;
}

/**
 * Who an accepted token speaks for: a delegated token (`scp`) for the signed-in mailbox, an
 * app-only token (`roles`) for its app. Read without checking the signature, which Dovecot's
 * token check has just done.
 */
export function submitterOf(accepted: Xoauth2Response): Submitter {
  const payload = accepted.token.split('.')[1] ?? '';
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // Not JSON: treated as the mailbox's own below.
  }
  const clientId = claims.appid ?? claims.azp;
  if (claims.scp === undefined && claims.roles !== undefined && typeof clientId === 'string') return { kind: 'app', clientId };
  return { kind: 'mailbox', address: accepted.user };
}
