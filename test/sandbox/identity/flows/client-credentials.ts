/**
 * `grant_type=client_credentials`: app-only tokens for `<resource>/.default`. All three of
 * Exchange's identifier URIs (outlook.office365.com, outlook.office.com, ps.outlook.com) give
 * the same token, `aud: https://outlook.office365.com`, with the app's application permissions
 * as `roles`.
 */
import { authenticateClient } from '../client-auth';
import { PlatformContext } from '../context';
import { EntraError } from '../errors';
import { EXCHANGE, findResource } from '../resources';
import { tenantName } from '../tenancy';
import { TokenRequest } from './token-request';
import { TokenResponse } from './user-tokens';

export function issueAppToken(context: PlatformContext, request: TokenRequest): TokenResponse {
  const { form, authority } = request;
  const client = authenticateClient(context, form, request.authorization, authority, request.tokenUrl);
  if (client.proof === 'public') {
    throw new EntraError(7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.');
  }
  if (!authority.tenant) {
    throw new EntraError(50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.');
  }
  const scope = form.get('scope') ?? '';
  const scopes = scope.split(/\s+/).filter(Boolean);
  if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
    throw new EntraError(1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const identifier = scopes[0].slice(0, -'/.default'.length);
  const resource = findResource(identifier);
  if (!resource) {
    throw new EntraError(500011, `The resource principal named ${identifier} was not found in the tenant named ${tenantName(authority)}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }
  const lifetime = context.settings.accessTokenLifetimeSeconds;
  const claims = context.tokens.appAccessClaims({
    app: client.app,
    tenantId: authority.tenant.id,
    resource,
    roles: resource === EXCHANGE ? client.app.applicationPermissions : [],
    lifetimeSeconds: lifetime,
    proof: client.proof,
  });
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: context.tokens.sign(claims),
  };
}
