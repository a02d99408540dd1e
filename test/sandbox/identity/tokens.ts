/**
 * The tokens the platform issues, claim by claim as Entra shapes them where clients look:
 * v1.0 access tokens for Exchange and Graph (delegated: `scp`, `upn`; app-only: `roles`,
 * `idtyp: app`), v2.0 id tokens, and `client_info`, which MSAL needs for its account cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppRegistration, User } from '../directory';
import { base64urlJson, JwtClaims, JwtHeader, signJwt } from './jwt';
import { Resource } from './resources';
import { SigningKey } from './signing-key';

/** How the client proved itself, as Entra records it in `appidacr`. */
export type ClientProof = 'public' | 'secret' | 'certificate';

const APPIDACR: Record<ClientProof, string> = { public: '0', secret: '1', certificate: '2' };
const ID_TOKEN_LIFETIME_SECONDS = 3600;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A unique token id, like Entra's `uti`. */
function tokenId(): string {
  return randomBytes(16).toString('base64url');
}

/** Entra's `sub` is pairwise: the same user has a different subject in each app. */
export function pairwiseSubject(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43);
}

export interface UserTokenRequest {
  app: AppRegistration;
  user: User;
  resource: Resource;
  /** Short permission names, in the order they appear in `scp`. */
  permissions: string[];
  lifetimeSeconds: number;
  proof: ClientProof;
}

export interface AppTokenRequest {
  app: AppRegistration;
  /** The tenant the token is issued in: the authority's. */
  tenantId: string;
  resource: Resource;
  roles: string[];
  lifetimeSeconds: number;
  proof: ClientProof;
}

export interface IdTokenRequest {
  app: AppRegistration;
  user: User;
  nonce?: string;
  withEmail: boolean;
}

export class TokenMinter {
  constructor(private readonly baseUrl: string, private readonly key: SigningKey) {}

  /** The v2.0 issuer: id tokens' `iss` and the openid-configuration's. */
  v2Issuer(tenantId: string): string {
    return `${this.baseUrl}/${tenantId}/v2.0`;
  }

  /** The v1.0 issuer Exchange's access tokens carry. */
  accessTokenIssuer(tenantId: string): string {
    return `https://sts.windows.net/${tenantId}/`;
  }

  userAccessClaims(request: UserTokenRequest): JwtClaims {
    const { app, user } = request;
    const iat = nowSeconds();
    const [givenName, ...rest] = user.displayName.split(' ');
    return {
      aud: request.resource.delegatedAudience,
      iss: this.accessTokenIssuer(user.tenantId),
      iat,
      nbf: iat,
      exp: iat + request.lifetimeSeconds,
      acr: '1',
      amr: ['pwd'],
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: APPIDACR[request.proof],
      family_name: rest.join(' '),
      given_name: givenName,
      idtyp: 'user',
      ipaddr: '127.0.0.1',
      name: user.displayName,
      oid: user.oid,
      scp: request.permissions.join(' '),
      sub: pairwiseSubject(user.oid, app.clientId),
      tid: user.tenantId,
      unique_name: user.upn,
      upn: user.upn,
      uti: tokenId(),
      ver: '1.0',
    };
  }

  appAccessClaims(request: AppTokenRequest): JwtClaims {
    const { app, tenantId } = request;
    const iat = nowSeconds();
    const claims: JwtClaims = {
      aud: request.resource.appAudience,
      iss: this.accessTokenIssuer(tenantId),
      iat,
      nbf: iat,
      exp: iat + request.lifetimeSeconds,
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: APPIDACR[request.proof],
      idp: this.accessTokenIssuer(tenantId),
      idtyp: 'app',
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      tid: tenantId,
      uti: tokenId(),
      ver: '1.0',
    };
    // Entra leaves `roles` out entirely when the app holds no role on the resource.
    if (request.roles.length > 0) claims.roles = request.roles;
    return claims;
  }

  idToken(request: IdTokenRequest): string {
    const { app, user } = request;
    const iat = nowSeconds();
    const claims: JwtClaims = {
      aud: app.clientId,
      iss: this.v2Issuer(user.tenantId),
      iat,
      nbf: iat,
      exp: iat + ID_TOKEN_LIFETIME_SECONDS,
      name: user.displayName,
      oid: user.oid,
      preferred_username: user.upn,
      sub: pairwiseSubject(user.oid, app.clientId),
      tid: user.tenantId,
      uti: tokenId(),
      ver: '2.0',
    };
    if (request.withEmail) claims.email = user.upn;
    if (request.nonce) claims.nonce = request.nonce;
    return this.sign(claims, { typ: 'JWT', alg: 'RS256', kid: this.key.kid });
  }

  /** `client_info`: base64url JSON that MSAL turns into the account's `homeAccountId` (`uid.utid`). */
  clientInfo(user: User): string {
    return base64urlJson({ uid: user.oid, utid: user.tenantId });
  }

  /** Signs with the platform key, or with `key` for forged-signature tests. */
  sign(claims: JwtClaims, header?: Partial<JwtHeader>, key: SigningKey = this.key): string {
    const fullHeader: JwtHeader = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid, ...header };
    return signJwt(fullHeader, claims, key.privateKey);
  }
}
