import type { CredentialsProvider, Protocol } from '../mail/server';
import type { AccessToken, TokenSource } from './token-source';

export interface CredentialsOptions {
  /** May getting the token ask the user (a command they started), or must it be silent (background work)? */
  interactive: boolean;
  signal?: AbortSignal;
  /** Sees each token handed out, e.g. to explain a refusal from its claims later. */
  onToken?: (token: AccessToken) => void;
  /** The XOAUTH2 user when it is not the token's own: a shared mailbox opened with the user's token. */
  user?: string;
}

/**
 * The XOAUTH2 credentials a mail client asks for, from an account's token source: a refused
 * token (`renew`) is answered with a fresh one, never the cached one again.
 */
export function credentialsFrom(source: TokenSource, protocol: Protocol, options: CredentialsOptions): CredentialsProvider {
  return async (request) => {
    const token = await source.getToken({ protocol, interactive: options.interactive, forceRefresh: request?.renew, signal: options.signal });
    options.onToken?.(token);
    return { user: options.user ?? token.user, accessToken: token.accessToken };
  };
}
