import type { Sandbox } from '../sandbox';
import { appByKey, EXCHANGE_APP_AUDIENCE } from '../sandbox/directory';
import type { JwtClaims } from '../sandbox/identity/jwt';

let current: Sandbox | undefined;

export function setSandbox(sandbox: Sandbox): void {
  current = sandbox;
}

export function takeSandbox(): Sandbox | undefined {
  const sandbox = current;
  current = undefined;
  return sandbox;
}

/** The layer's running sandbox (see ./hooks). */
export function sandbox(): Sandbox {
  if (!current) throw new Error('the integration sandbox is not running: run this layer with `npm test -- integration`');
  return current;
}

/** An app-only Exchange token of the sandbox's daemon app with these roles, as client credentials get it. */
export function appOnlyToken(roles: string[], claims: JwtClaims = {}): string {
  const app = appByKey('daemon');
  return sandbox().identity.control.mintAccessToken({
    aud: EXCHANGE_APP_AUDIENCE, roles, appid: app.clientId, oid: app.servicePrincipalId, idtyp: 'app', ...claims,
  }, { omitClaims: ['scp', 'upn', 'unique_name', 'name', 'given_name', 'family_name'] });
}
