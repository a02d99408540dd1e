/**
 * Who may sign in where: the authority's tenant segment (`organizations`, `common`,
 * `consumers`, a tenant id or domain), the app registration's sign-in audience and the user's
 * home tenant. Every flow asks these questions in the same order Entra does.
 */
import {
  AppRegistration, CONSUMERS_TENANT_ID, findApp, findTenant, findUser, Tenant, TENANTS, User, USERS,
} from '../directory';
import { EntraError } from './errors';

export type AuthorityKind = 'organizations' | 'common' | 'consumers' | 'tenant';

export interface Authority {
  /** The path segment as the client wrote it. */
  segment: string;
  kind: AuthorityKind;
  /** Set for `consumers` and for a tenant id or domain. */
  tenant?: Tenant;
}

export function resolveAuthority(segment: string): Authority {
  const lower = segment.toLowerCase();
  if (lower === 'organizations' || lower === 'common') return { segment, kind: lower };
  if (lower === 'consumers') return { segment, kind: 'consumers', tenant: TENANTS.find((t) => t.id === CONSUMERS_TENANT_ID) };
  const tenant = findTenant(lower);
  if (!tenant) {
    throw new EntraError(90002, `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
  }
  return { segment, kind: tenant.kind === 'consumers' ? 'consumers' : 'tenant', tenant };
}

export function tenantName(authority: Authority): string {
  return authority.tenant ? authority.tenant.id : authority.segment;
}

/** The app registration behind `client_id`, as this authority can see it. */
export function requireApp(clientId: string | undefined, authority: Authority): AppRegistration {
  if (!clientId) throw new EntraError(900144, 'The request body must contain the following parameter: \'client_id\'.');
  const app = findApp(clientId);
  if (authority.kind === 'consumers' && app && app.signInAudience !== 'AzureADandPersonalMicrosoftAccount') {
    throw new EntraError(700016, 'The client does not exist or is not enabled for consumers. If you are the application developer, configure a new application through the App Registrations in the Azure Portal at https://go.microsoft.com/fwlink/?linkid=2083908.');
  }
  const visibleInTenant = !app || authority.kind !== 'tenant' || app.homeTenantId === authority.tenant?.id
    || app.signInAudience !== 'AzureADMyOrg';
  if (!app || !visibleInTenant) {
    throw new EntraError(700016, `Application with identifier '${clientId}' was not found in the directory '${tenantName(authority)}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  if (app.signInAudience === 'AzureADMyOrg' && (authority.kind === 'organizations' || authority.kind === 'common')) {
    throw new EntraError(50194, `Application '${app.clientId}'(${app.displayName}) is not configured as a multi-tenant application. Usage of the /${authority.segment} endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`);
  }
  return app;
}

/** The accounts a person could pick on this authority's sign-in page. */
export function usersOf(authority: Authority): User[] {
  return USERS.filter((user) => {
    const home = TENANTS.find((t) => t.id === user.tenantId);
    switch (authority.kind) {
      case 'common': return true;
      case 'organizations': return home?.kind === 'work';
      default: return user.tenantId === authority.tenant?.id;
    }
  });
}

/** Checks a sign-in by `upn` to `app` through `authority`; returns the user or throws Entra's refusal. */
export function signInUser(upn: string, app: AppRegistration, authority: Authority): User {
  const user = findUser(upn);
  if (!user) throw new EntraError(50126, 'Error validating credentials due to invalid username or password.');
  if (user.shared) {
    throw new EntraError(50057, 'The user account is disabled. The account has been disabled by an administrator.');
  }
  const home = TENANTS.find((t) => t.id === user.tenantId);
  const personal = home?.kind === 'consumers';
  const authorityAllows = authority.kind === 'common'
    || (authority.kind === 'organizations' && !personal)
    || (authority.kind !== 'organizations' && authority.tenant?.id === user.tenantId);
  const appAllows = app.signInAudience === 'AzureADandPersonalMicrosoftAccount'
    || (app.signInAudience === 'AzureADMultipleOrgs' && !personal)
    || (app.signInAudience === 'AzureADMyOrg' && user.tenantId === app.homeTenantId);
  if (!authorityAllows || !appAllows) {
    const provider = personal ? 'live.com' : `https://sts.windows.net/${user.tenantId}/`;
    const where = authority.tenant?.id ?? app.homeTenantId;
    throw new EntraError(50020, `User account '${user.upn}' from identity provider '${provider}' does not exist in tenant '${where}' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`);
  }
  return user;
}
