/**
 * OpenID Connect discovery: the per-tenant openid-configuration and the signing keys (JWKS).
 * For `organizations` and `common` Entra's issuer holds the literal placeholder `{tenantid}`,
 * which MSAL 7 accepts: it checks only the issuer's scheme, host and port against the authority.
 */
import { PlatformContext } from './context';
import { Authority } from './tenancy';
import { JsonWebKey, toJsonWebKey } from './signing-key';

export function openIdConfiguration(context: PlatformContext, authority: Authority): Record<string, unknown> {
  const { baseUrl } = context;
  const tenantPath = authority.kind === 'tenant' && authority.tenant ? authority.tenant.id : authority.segment.toLowerCase();
  const issuer = authority.tenant ? context.tokens.v2Issuer(authority.tenant.id) : `${baseUrl}/{tenantid}/v2.0`;
  const base = `${baseUrl}/${tenantPath}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name',
      'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver',
      'at_hash', 'c_hash', 'email'],
    tenant_region_scope: authority.kind === 'consumers' ? null : 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export function signingKeys(context: PlatformContext): { keys: JsonWebKey[] } {
  return { keys: [toJsonWebKey(context.key)] };
}
