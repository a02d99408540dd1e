/**
 * What a user consents to when signing in: each requested permission the app registration
 * lists (or, for `<resource>/.default`, all it lists on that resource). The sandbox has no
 * consent prompt, so asking for a permission the registration lacks fails the way a tenant that
 * requires admin consent does: AADSTS65001.
 */
import { AppRegistration } from '../directory';
import { EntraError } from './errors';
import { permissionId, RequestedScopes } from './resources';

export function consentForRequest(app: AppRegistration, requested: RequestedScopes): string[] {
  const registered = new Map(app.delegatedPermissions.map((p) => [p.toLowerCase(), p]));
  const consented: string[] = [];
  for (const scope of requested.resourceScopes) {
    const ids = scope.permission === '.default'
      ? app.delegatedPermissions.filter((p) => p.toLowerCase().startsWith(`${scope.resource.canonical.toLowerCase()}/`))
      : [registered.get(permissionId(scope.resource, scope.permission).toLowerCase())].filter((p): p is string => p !== undefined);
    if (ids.length === 0) {
      throw new EntraError(65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`);
    }
    consented.push(...ids);
  }
  return consented;
}
