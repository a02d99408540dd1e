/**
 * The SASL XOAUTH2 initial client response: `user=<user>^Aauth=Bearer <token>^A^A`, base64.
 * Only ever written to the socket; the trace redacts it.
 */
import { XOAuth2Credentials } from '../server';

export function xoauth2Response(credentials: XOAuth2Credentials): string {
  return Buffer.from(`user=${credentials.user}\x01auth=Bearer ${credentials.accessToken}\x01\x01`, 'utf8').toString('base64');
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
