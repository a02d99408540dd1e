/**
 * The resources a token can be for and how a `scope` parameter names them. Entra knows Exchange
 * Online by several identifier URIs (outlook.office.com, outlook.office365.com, ps.outlook.com)
 * and reads a bare permission name (`User.Read`) as Microsoft Graph's.
 */
import { EXCHANGE_APP_AUDIENCE, EXCHANGE_DELEGATED_AUDIENCE, GRAPH_AUDIENCE } from '../directory';
import { EntraError } from './errors';

export interface Resource {
  name: 'Office 365 Exchange Online' | 'Microsoft Graph';
  /** The URI app registrations list permissions under (directory.ts's `delegatedPermissions`). */
  canonical: string;
  identifiers: string[];
  delegatedAudience: string;
  appAudience: string;
  /** Delegated permissions the resource defines; asking for another is an invalid scope. */
  delegatedPermissions: string[];
  /** Graph scopes come back as bare names in `scope`, other resources' as full URIs. */
  bareScopeNames: boolean;
}

export const EXCHANGE: Resource = {
  name: 'Office 365 Exchange Online',
  canonical: EXCHANGE_DELEGATED_AUDIENCE,
  identifiers: [EXCHANGE_DELEGATED_AUDIENCE, EXCHANGE_APP_AUDIENCE, 'https://ps.outlook.com', '00000002-0000-0ff1-ce00-000000000000'],
  delegatedAudience: EXCHANGE_DELEGATED_AUDIENCE,
  appAudience: EXCHANGE_APP_AUDIENCE,
  delegatedPermissions: ['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send', 'EWS.AccessAsUser.All', 'Mail.Read', 'Mail.Send', 'Mail.ReadWrite', 'User.Read'],
  bareScopeNames: false,
};

export const GRAPH: Resource = {
  name: 'Microsoft Graph',
  canonical: GRAPH_AUDIENCE,
  identifiers: [GRAPH_AUDIENCE, '00000003-0000-0000-c000-000000000000'],
  delegatedAudience: GRAPH_AUDIENCE,
  appAudience: GRAPH_AUDIENCE,
  delegatedPermissions: ['User.Read', 'User.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send'],
  bareScopeNames: true,
};

const RESOURCES = [EXCHANGE, GRAPH];

/** The OpenID Connect scopes: consented implicitly, never tied to a resource. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export type OidcScope = typeof OIDC_SCOPES[number];

export interface ResourceScope {
  resource: Resource;
  /** A permission name in the resource's spelling, or `.default`. */
  permission: string;
  /** The resource identifier as the client wrote it, echoed back in `scope`. */
  writtenAs: string;
}

export interface RequestedScopes {
  oidc: Set<OidcScope>;
  resourceScopes: ResourceScope[];
}

export function findResource(identifier: string): Resource | undefined {
  const wanted = identifier.replace(/\/+$/, '').toLowerCase();
  return RESOURCES.find((r) => r.identifiers.some((id) => id.toLowerCase() === wanted));
}

/** A permission id as app registrations list it: `https://outlook.office.com/SMTP.Send`. */
export function permissionId(resource: Resource, permission: string): string {
  return `${resource.canonical}/${permission}`;
}

/** Parses a `scope` parameter; unknown resources and permissions fail as Entra does. */
export function parseScopes(scopeParameter: string | undefined, tenantName: string): RequestedScopes {
  const oidc = new Set<OidcScope>();
  const resourceScopes: ResourceScope[] = [];
  for (const scope of (scopeParameter ?? '').split(/\s+/).filter(Boolean)) {
    const lower = scope.toLowerCase();
    const oidcScope = OIDC_SCOPES.find((s) => s === lower);
    if (oidcScope) {
      oidc.add(oidcScope);
      continue;
    }
    const slash = scope.lastIndexOf('/');
    const identifier = slash >= 0 ? scope.slice(0, slash) : GRAPH_AUDIENCE;
    const name = slash >= 0 ? scope.slice(slash + 1) : scope;
    const resource = findResource(identifier);
    if (!resource) {
      throw new EntraError(500011, `The resource principal named ${identifier} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    }
    const permission = name === '.default' ? name : resource.delegatedPermissions.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!permission) {
      throw new EntraError(70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
    }
    resourceScopes.push({ resource, permission, writtenAs: slash >= 0 ? identifier.replace(/\/+$/, '') : '' });
  }
  return { oidc, resourceScopes };
}

/** The one resource a token request is for; Entra refuses scopes spanning several. */
export function singleResource(requested: RequestedScopes, scopeParameter: string): ResourceScope[] {
  const resources = new Set(requested.resourceScopes.map((s) => s.resource));
  if (resources.size > 1) {
    throw new EntraError(28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scopeParameter} is not valid.`);
  }
  return requested.resourceScopes;
}

/** How a granted permission is written in a token response's `scope`. */
export function scopeForResponse(resource: Resource, permission: string, writtenAs: string): string {
  if (resource.bareScopeNames) return permission;
  return `${writtenAs || resource.canonical}/${permission}`;
}
