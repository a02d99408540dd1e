/**
 * The token response of every delegated grant (authorization code, refresh token, device
 * code): one resource per response, `scp` holding everything the user consented to on that
 * resource (as Entra does, so a per-protocol request still gets all consented permissions), and
 * the id token, refresh token and client_info MSAL needs to cache an account.
 */
import { User } from '../../directory';
import { AuthenticatedClient } from '../client-auth';
import { PlatformContext } from '../context';
import { EntraError } from '../errors';
import { GRAPH, OidcScope, parseScopes, permissionId, Resource, scopeForResponse, singleResource } from '../resources';

export interface TokenResponse {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

export interface UserTokenGrant {
  client: AuthenticatedClient;
  user: User;
  /** OpenID scopes granted when the user signed in. */
  oidc: OidcScope[];
  /** Permission ids the user consented to for this app. */
  consent: Set<string>;
  /** This token request's `scope` parameter. */
  scopeParameter: string;
  wantsClientInfo: boolean;
  tenantName: string;
  nonce?: string;
}

function consentMissing(grant: UserTokenGrant, resource: Resource): EntraError {
  const { app } = grant.client;
  return new EntraError(65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource. Resource: ${resource.name}.`);
}

export function issueUserTokens(context: PlatformContext, grant: UserTokenGrant): TokenResponse {
  const requested = parseScopes(grant.scopeParameter, grant.tenantName);
  const resourceScopes = singleResource(requested, grant.scopeParameter);
  // With only OpenID scopes Entra hands out a Graph token, as if User.Read had been asked for.
  const resource = resourceScopes[0]?.resource ?? GRAPH;
  const writtenAs = resourceScopes[0]?.writtenAs ?? '';
  for (const scope of resourceScopes) {
    if (scope.permission !== '.default' && !grant.consent.has(permissionId(resource, scope.permission))) {
      throw consentMissing(grant, resource);
    }
  }
  const permissions = resource.delegatedPermissions.filter((p) => grant.consent.has(permissionId(resource, p)));
  if (resourceScopes.length > 0 && permissions.length === 0) throw consentMissing(grant, resource);

  const lifetime = context.settings.accessTokenLifetimeSeconds;
  const claims = context.tokens.userAccessClaims({
    app: grant.client.app, user: grant.user, resource, permissions, lifetimeSeconds: lifetime, proof: grant.client.proof,
  });
  const echoedOidc = grant.oidc.filter((s) => requested.oidc.has(s));
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: [...permissions.map((p) => scopeForResponse(resource, p, writtenAs)), ...echoedOidc].join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: context.tokens.sign(claims),
  };
  if (grant.oidc.includes('offline_access')) {
    response.refresh_token = context.grants.issueRefreshToken({
      clientId: grant.client.app.clientId, upn: grant.user.upn, oidc: grant.oidc, consent: [...grant.consent],
    });
  }
  if (grant.oidc.includes('openid') && requested.oidc.has('openid')) {
    response.id_token = context.tokens.idToken({
      app: grant.client.app, user: grant.user, nonce: grant.nonce, withEmail: grant.oidc.includes('email'),
    });
  }
  if (grant.wantsClientInfo) response.client_info = context.tokens.clientInfo(grant.user);
  return response;
}
