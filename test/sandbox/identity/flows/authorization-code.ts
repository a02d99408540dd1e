/**
 * `grant_type=authorization_code`: redeems a code from /authorize once, checking the client,
 * the redirect URI it was issued for and the PKCE verifier.
 */
import { createHash } from 'node:crypto';
import { findUser } from '../../directory';
import { authenticateClient } from '../client-auth';
import { PlatformContext } from '../context';
import { EntraError } from '../errors';
import { tenantName } from '../tenancy';
import { TokenRequest, wantsClientInfo } from './token-request';
import { issueUserTokens, TokenResponse } from './user-tokens';

function pkceMatches(challenge: string, method: string | undefined, verifier: string): boolean {
  if ((method ?? 'plain').toUpperCase() === 'S256') {
    return createHash('sha256').update(verifier).digest('base64url') === challenge;
  }
  return verifier === challenge;
}

export function redeemAuthorizationCode(context: PlatformContext, request: TokenRequest): TokenResponse {
  const { form } = request;
  const code = form.get('code');
  if (!code) throw new EntraError(900144, 'The request body must contain the following parameter: \'code\'.');
  const client = authenticateClient(context, form, request.authorization, request.authority, request.tokenUrl);
  const grant = context.grants.findCode(code);
  const user = grant && findUser(grant.upn);
  if (!grant || grant.clientId !== client.app.clientId || !user) {
    throw new EntraError(70000, 'Provided grant is invalid or malformed.');
  }
  if (grant.redeemed) {
    throw new EntraError(54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  }
  if (grant.expiresAt < Date.now()) {
    throw new EntraError(70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
  }
  grant.redeemed = true;
  const redirectUri = form.get('redirect_uri') ?? '';
  if (redirectUri !== grant.redirectUri) {
    throw new EntraError(500112, `The reply address '${redirectUri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`);
  }
  if (grant.codeChallenge && !pkceMatches(grant.codeChallenge, grant.codeChallengeMethod, form.get('code_verifier') ?? '')) {
    throw new EntraError(501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
  }
  return issueUserTokens(context, {
    client,
    user,
    oidc: grant.oidc,
    consent: context.grants.consentOf(client.app.clientId, user.upn),
    scopeParameter: form.get('scope') ?? '',
    wantsClientInfo: wantsClientInfo(form),
    tenantName: tenantName(request.authority),
    nonce: grant.nonce,
  });
}
