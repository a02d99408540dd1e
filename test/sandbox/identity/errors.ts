/**
 * Entra's error replies: an OAuth `error`, the AADSTS number and its text, and the trace,
 * correlation and timestamp lines Entra appends. Clients (MSAL, the product's diagnostics) key
 * on `error`, `suberror` and `error_codes`, so those follow Entra; the texts are Entra's where
 * known, shortened where they only name portal pages.
 */
import { randomUUID } from 'node:crypto';

export type OAuthErrorName =
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'invalid_scope'
  | 'invalid_resource' | 'invalid_tenant' | 'access_denied' | 'authorization_pending' | 'authorization_declined'
  | 'expired_token' | 'bad_verification_code' | 'temporarily_unavailable' | 'consent_required'
  | 'interaction_required' | 'login_required' | 'unsupported_grant_type' | 'unsupported_response_type'
  | 'server_error';

interface AadstsEntry {
  error: OAuthErrorName;
  status: number;
  suberror?: string;
  text: string;
}

/** Defaults per AADSTS number; call sites pass a more specific text where they know the details. */
const CATALOG: Record<number, AadstsEntry> = {
  28000: { error: 'invalid_scope', status: 400, text: 'Provided value for the input parameter scope is not valid because it contains more than one resource.' },
  50011: { error: 'invalid_request', status: 400, text: 'The redirect URI specified in the request does not match the redirect URIs configured for the application.' },
  50013: { error: 'invalid_client', status: 401, text: 'Assertion failed signature validation.' },
  50020: { error: 'invalid_request', status: 400, text: 'User account from identity provider does not exist in tenant and cannot access the application in that tenant.' },
  50027: { error: 'invalid_request', status: 400, text: 'JWT token is invalid or malformed.' },
  50057: { error: 'invalid_grant', status: 400, text: 'The user account is disabled.' },
  50058: { error: 'login_required', status: 400, text: 'A silent sign-in request was sent but no user is signed in.' },
  50059: { error: 'invalid_request', status: 400, text: 'No tenant-identifying information found in either the request or implied by any provided credentials.' },
  50076: { error: 'invalid_grant', status: 400, suberror: 'basic_action', text: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.' },
  50126: { error: 'invalid_grant', status: 400, text: 'Error validating credentials due to invalid username or password.' },
  50173: { error: 'invalid_grant', status: 400, text: 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.' },
  50194: { error: 'invalid_request', status: 400, text: 'Application is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after \'10/15/2018\'. Use a tenant-specific endpoint or configure the application to be multi-tenant.' },
  53003: { error: 'access_denied', status: 400, text: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.' },
  54005: { error: 'invalid_grant', status: 400, text: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' },
  65001: { error: 'invalid_grant', status: 400, suberror: 'consent_required', text: 'The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.' },
  65004: { error: 'access_denied', status: 400, text: 'User declined to consent to access the app.' },
  70000: { error: 'invalid_grant', status: 400, text: 'Provided grant is invalid or malformed.' },
  70003: { error: 'unsupported_grant_type', status: 400, text: 'The app requested an unsupported grant type.' },
  70008: { error: 'invalid_grant', status: 400, text: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.' },
  70011: { error: 'invalid_scope', status: 400, text: 'The provided value for the input parameter \'scope\' is not valid.' },
  70016: { error: 'authorization_pending', status: 400, text: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' },
  70018: { error: 'bad_verification_code', status: 400, text: 'Invalid verification code due to User typing in wrong user code for device code flow.' },
  70019: { error: 'expired_token', status: 400, text: 'Verification code expired.' },
  90002: { error: 'invalid_tenant', status: 400, text: 'Tenant not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.' },
  90033: { error: 'temporarily_unavailable', status: 503, text: 'A transient error has occurred. Please try again.' },
  500011: { error: 'invalid_resource', status: 400, text: 'The resource principal was not found in the tenant.' },
  500112: { error: 'invalid_grant', status: 400, text: 'The reply address does not match the reply address provided when requesting Authorization code.' },
  501481: { error: 'invalid_grant', status: 400, text: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' },
  700016: { error: 'unauthorized_client', status: 400, text: 'Application was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.' },
  700021: { error: 'invalid_client', status: 401, text: 'Client assertion application identifier doesn\'t match \'client_id\' parameter.' },
  700024: { error: 'invalid_client', status: 401, text: 'Client assertion is not within its valid time range.' },
  700025: { error: 'invalid_client', status: 401, text: 'Client is public so neither \'client_assertion\' nor \'client_secret\' should be presented.' },
  700027: { error: 'invalid_client', status: 401, text: 'Client assertion failed signature validation.' },
  700054: { error: 'unsupported_response_type', status: 400, text: 'response_type is not enabled for the application.' },
  700082: { error: 'invalid_grant', status: 400, text: 'The refresh token has expired due to inactivity.' },
  900144: { error: 'invalid_request', status: 400, text: 'The request body must contain the following parameter.' },
  900971: { error: 'invalid_request', status: 400, text: 'No reply address provided.' },
  1002012: { error: 'invalid_scope', status: 400, text: 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).' },
  7000215: { error: 'invalid_client', status: 401, text: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to the app.' },
  7000218: { error: 'invalid_client', status: 401, text: 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.' },
  9002313: { error: 'invalid_request', status: 400, text: 'Invalid request. Request is malformed or invalid.' },
  9002325: { error: 'invalid_request', status: 400, text: 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.' },
};

export interface EntraErrorOverrides {
  error?: OAuthErrorName | string;
  status?: number;
  suberror?: string;
}

/** An Entra failure on its way to a client; thrown inside flows, shaped once by `errorBody`. */
export class EntraError extends Error {
  readonly code: number;
  readonly error: string;
  readonly status: number;
  readonly suberror?: string;
  readonly text: string;

  constructor(code: number, text?: string, overrides: EntraErrorOverrides = {}) {
    const entry = CATALOG[code];
    const resolvedText = text ?? entry?.text ?? 'The sandbox identity platform refused the request.';
    super(`AADSTS${code}: ${resolvedText}`);
    this.code = code;
    this.text = resolvedText;
    this.error = overrides.error ?? entry?.error ?? 'invalid_request';
    this.status = overrides.status ?? entry?.status ?? 400;
    this.suberror = overrides.suberror ?? entry?.suberror;
  }
}

export function isKnownAadsts(code: number): boolean {
  return code in CATALOG;
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

/** Entra's timestamp format: `2024-02-14 02:40:29Z`. */
export function entraTimestamp(date = new Date()): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function errorBody(failure: EntraError, baseUrl: string, correlationId: string | undefined): EntraErrorBody {
  const timestamp = entraTimestamp();
  const traceId = randomUUID();
  const correlation = correlationId || randomUUID();
  const body: EntraErrorBody = {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.text} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${baseUrl}/error?code=${failure.code}`,
  };
  if (failure.suberror) body.suberror = failure.suberror;
  return body;
}
