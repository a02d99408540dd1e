/** `/{tenant}/oauth2/v2.0/token`: the one place that picks a grant flow by `grant_type`. */
import { PlatformContext } from '../context';
import { EntraError } from '../errors';
import { redeemAuthorizationCode } from './authorization-code';
import { issueAppToken } from './client-credentials';
import { redeemDeviceCode } from './device-code';
import { redeemRefreshToken } from './refresh-token';
import { TokenRequest } from './token-request';
import { TokenResponse } from './user-tokens';

type GrantFlow = (context: PlatformContext, request: TokenRequest) => TokenResponse;

const GRANT_FLOWS: Record<string, GrantFlow> = {
  authorization_code: redeemAuthorizationCode,
  refresh_token: redeemRefreshToken,
  client_credentials: issueAppToken,
  // MSAL sends the short form; the RFC 8628 name is accepted as Entra does.
  device_code: redeemDeviceCode,
  'urn:ietf:params:oauth:grant-type:device_code': redeemDeviceCode,
};

export function issueTokens(context: PlatformContext, request: TokenRequest): TokenResponse {
  const grantType = request.form.get('grant_type');
  if (!grantType) throw new EntraError(900144, 'The request body must contain the following parameter: \'grant_type\'.');
  const flow = GRANT_FLOWS[grantType];
  if (!flow) throw new EntraError(70003, `The app requested an unsupported grant type '${grantType}'.`);
  return flow(context, request);
}
