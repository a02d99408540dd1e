/**
 * `grant_type=refresh_token`: any subset of what the user consented to, for one resource per
 * request; every use returns a new refresh token (the old one stays valid, as in Entra) until
 * the user's sessions are revoked.
 */
import { findUser } from '../../directory';
import { authenticateClient } from '../client-auth';
import { PlatformContext } from '../context';
import { EntraError } from '../errors';
import { signInUser, tenantName } from '../tenancy';
import { TokenRequest, wantsClientInfo } from './token-request';
import { issueUserTokens, TokenResponse } from './user-tokens';

export function redeemRefreshToken(context: PlatformContext, request: TokenRequest): TokenResponse {
  const { form } = request;
  const token = form.get('refresh_token');
  if (!token) throw new EntraError(900144, 'The request body must contain the following parameter: \'refresh_token\'.');
  const client = authenticateClient(context, form, request.authorization, request.authority, request.tokenUrl);
  const grant = context.grants.openRefreshToken(token);
  if (!grant) throw new EntraError(9002313, 'Invalid request. Request is malformed or invalid.');
  const user = findUser(grant.upn);
  if (grant.clientId !== client.app.clientId || !user) {
    throw new EntraError(70000, 'Provided grant is invalid or malformed.');
  }
  if (context.grants.isRevoked(grant)) {
    throw new EntraError(50173, `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(grant.issuedAt).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is later.`);
  }
  if (grant.expiresAt < Date.now()) {
    throw new EntraError(700082, 'The refresh token has expired due to inactivity. The token was issued more than 90 days ago and was inactive for 90 days.');
  }
  signInUser(user.upn, client.app, request.authority);
  const consent = context.grants.addConsent(client.app.clientId, user.upn, grant.consent);
  return issueUserTokens(context, {
    client,
    user,
    oidc: grant.oidc,
    consent,
    scopeParameter: form.get('scope') ?? '',
    wantsClientInfo: wantsClientInfo(form),
    tenantName: tenantName(request.authority),
  });
}
