/**
 * How a client proves itself at the token endpoint: a public client proves nothing, a
 * confidential one sends a secret (form or HTTP Basic) or a certificate-signed assertion. MSAL 7
 * signs assertions PS256 with `x5t#S256` when given a SHA-256 thumbprint, RS256 with `x5t` when
 * given a SHA-1 one; both are checked against the certificate the sandbox registered for the app.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppRegistration } from '../directory';
import { PlatformContext } from './context';
import { EntraError } from './errors';
import { decodeJwt, verifyJwtSignature } from './jwt';
import { Authority, requireApp } from './tenancy';
import { ClientProof } from './tokens';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra tolerates five minutes of clock skew on assertions. */
const SKEW_SECONDS = 300;

export interface AuthenticatedClient {
  app: AppRegistration;
  proof: ClientProof;
}

interface Credentials {
  clientId?: string;
  secret?: string;
  assertion?: string;
  assertionType?: string;
}

function credentialsOf(form: URLSearchParams, authorization: string | undefined): Credentials {
  const credentials: Credentials = {
    clientId: form.get('client_id') ?? undefined,
    secret: form.get('client_secret') ?? undefined,
    assertion: form.get('client_assertion') ?? undefined,
    assertionType: form.get('client_assertion_type') ?? undefined,
  };
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    credentials.clientId ??= decodeURIComponent(id);
    credentials.secret ??= decodeURIComponent(secret ?? '');
  }
  return credentials;
}

function thumbprintHex(headerValue: unknown): string | undefined {
  return typeof headerValue === 'string' ? Buffer.from(headerValue, 'base64url').toString('hex').toUpperCase() : undefined;
}

function checkAssertion(context: PlatformContext, app: AppRegistration, credentials: Credentials, tokenUrl: string, tenantId: string): void {
  if (credentials.assertionType !== JWT_BEARER) {
    throw new EntraError(9002313, `Invalid request. Request is malformed or invalid. client_assertion_type must be '${JWT_BEARER}'.`);
  }
  const jwt = decodeJwt(credentials.assertion ?? '');
  if (!jwt) throw new EntraError(50027, 'JWT token is invalid or malformed.');
  const { certificates } = context;
  const sha256 = thumbprintHex(jwt.header['x5t#S256']);
  const sha1 = thumbprintHex(jwt.header.x5t);
  const registered = app.usesCertificate
    && ((sha256 !== undefined && sha256 === certificates.appThumbprintSha256)
      || (sha256 === undefined && sha1 !== undefined && sha1 === certificates.appThumbprintSha1));
  if (!registered) {
    throw new EntraError(700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${sha256 ?? sha1 ?? ''}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`);
  }
  const certificate = new X509Certificate(readFileSync(certificates.appCertFile));
  if (!verifyJwtSignature(jwt, certificate.publicKey)) {
    throw new EntraError(700027, 'Client assertion failed signature validation.');
  }
  const { iss, sub, aud, exp, nbf } = jwt.claims;
  if (iss !== app.clientId || sub !== app.clientId) {
    throw new EntraError(700021, `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
  }
  const audiences = [tokenUrl, `${context.baseUrl}/${tenantId}/oauth2/v2.0/token`, `${context.baseUrl}/${tenantId}/oauth2/token`, context.tokens.v2Issuer(tenantId)];
  const audList = Array.isArray(aud) ? aud : [aud];
  if (!audList.some((a) => typeof a === 'string' && audiences.includes(a))) {
    throw new EntraError(50013, `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${String(aud)}' and the expected audience is '${tokenUrl}'.`);
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof exp !== 'number' || exp + SKEW_SECONDS < now || (typeof nbf === 'number' && nbf - SKEW_SECONDS > now)) {
    throw new EntraError(700024, `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}, assertion valid from ${typeof nbf === 'number' ? new Date(nbf * 1000).toISOString() : 'unknown'}, expiry time of assertion ${typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'unknown'}.`);
  }
}

/**
 * Identifies and authenticates the client of a token request. `tokenUrl` is the URL the request
 * was sent to, the audience a client assertion must name.
 */
export function authenticateClient(context: PlatformContext, form: URLSearchParams, authorization: string | undefined,
  authority: Authority, tokenUrl: string): AuthenticatedClient {
  const credentials = credentialsOf(form, authorization);
  const app = requireApp(credentials.clientId, authority);
  const presented = credentials.secret !== undefined || credentials.assertion !== undefined;
  if (app.publicClient) {
    if (presented) throw new EntraError(700025, 'Client is public so neither \'client_assertion\' nor \'client_secret\' should be presented.');
    return { app, proof: 'public' };
  }
  if (!presented) {
    throw new EntraError(7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.');
  }
  if (credentials.assertion !== undefined) {
    checkAssertion(context, app, credentials, tokenUrl, authority.tenant?.id ?? app.homeTenantId);
    return { app, proof: 'certificate' };
  }
  if (!app.secrets.includes(credentials.secret ?? '')) {
    throw new EntraError(7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
  }
  return { app, proof: 'secret' };
}
