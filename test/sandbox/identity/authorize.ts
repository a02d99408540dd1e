/**
 * `/{tenant}/oauth2/v2.0/authorize` and the sign-in page behind it. Problems with the client or
 * its redirect URI are shown on a page (Entra never sends a browser to an untrusted URI); every
 * later problem goes back to the app's redirect URI as `error`/`error_description`, in the
 * response mode the app asked for: `query` (web apps) or `form_post` (MSAL's loopback).
 */
import { AppRegistration } from '../directory';
import { consentForRequest } from './consent';
import { PlatformContext } from './context';
import { EntraError, errorBody } from './errors';
import { OIDC_SCOPES, parseScopes, RequestedScopes } from './resources';
import { Authority, requireApp, resolveAuthority, signInUser, tenantName, usersOf } from './tenancy';
import { errorPage, formPostPage, signInPage } from './pages';

export type AuthorizeOutcome =
  | { kind: 'page'; status: number; html: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'form_post'; html: string };

type ResponseMode = 'query' | 'fragment' | 'form_post';

/** A request whose client and redirect URI checked out: from here on, answers go to the app. */
interface TrustedRequest {
  authority: Authority;
  app: AppRegistration;
  redirectUri: string;
  responseMode: ResponseMode;
  params: Record<string, string>;
  correlationId?: string;
}

/** Sign-in refusals reach the app as `access_denied`, consent gaps as `consent_required`. */
const REDIRECT_ERROR_NAMES: Record<number, string> = { 50020: 'access_denied', 50057: 'access_denied', 50126: 'access_denied', 65001: 'consent_required', 65004: 'access_denied' };

function normalisedPath(pathname: string): string {
  return pathname === '' ? '/' : pathname;
}

/** Entra lets `http://localhost` stand for any port on localhost or 127.0.0.1, path still checked. */
export function redirectUriRegistered(app: AppRegistration, redirectUri: string): boolean {
  return app.redirectUris.some((registered) => {
    if (registered === redirectUri) return true;
    try {
      const want = new URL(registered);
      const got = new URL(redirectUri);
      return want.protocol === 'http:' && want.hostname === 'localhost' && want.port === ''
        && got.protocol === 'http:' && (got.hostname === 'localhost' || got.hostname === '127.0.0.1')
        && normalisedPath(want.pathname) === normalisedPath(got.pathname) && got.search === '' && got.hash === '';
    } catch {
      return false;
    }
  });
}

function respond(request: TrustedRequest, fields: Record<string, string>): AuthorizeOutcome {
  const withState = request.params.state !== undefined ? { ...fields, state: request.params.state } : fields;
  if (request.responseMode === 'form_post') return { kind: 'form_post', html: formPostPage(request.redirectUri, withState) };
  const encoded = new URLSearchParams(withState).toString();
  const separator = request.responseMode === 'fragment' ? '#' : (request.redirectUri.includes('?') ? '&' : '?');
  return { kind: 'redirect', location: `${request.redirectUri}${separator}${encoded}` };
}

function respondWithError(context: PlatformContext, request: TrustedRequest, failure: EntraError, extra: Record<string, string> = {}): AuthorizeOutcome {
  const body = errorBody(failure, context.baseUrl, request.correlationId);
  return respond(request, {
    error: REDIRECT_ERROR_NAMES[failure.code] ?? failure.error,
    error_description: body.error_description,
    error_uri: body.error_uri,
    ...extra,
  });
}

function errorPageOutcome(context: PlatformContext, failure: EntraError, correlationId?: string): AuthorizeOutcome {
  return { kind: 'page', status: 400, html: errorPage(errorBody(failure, context.baseUrl, correlationId)) };
}

/** Checks everything about the request that does not depend on who signs in. */
function checkRequest(request: TrustedRequest): RequestedScopes {
  const { params, app } = request;
  if (params.response_type !== 'code') {
    throw new EntraError(700054, `response_type '${params.response_type ?? ''}' is not enabled for the application.`, { error: 'unsupported_response_type' });
  }
  if (!params.scope) throw new EntraError(900144, 'The request body must contain the following parameter: \'scope\'.');
  const requested = parseScopes(params.scope, tenantName(request.authority));
  if (app.publicClient && !params.code_challenge) {
    throw new EntraError(9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
  }
  const method = params.code_challenge_method ?? 'plain';
  if (params.code_challenge && method !== 'S256' && method !== 'plain') {
    throw new EntraError(9002313, `Invalid request. Request is malformed or invalid. code_challenge_method '${method}' is not supported.`);
  }
  return requested;
}

/** Validates the client and redirect URI; a failure here is a page, not a redirect. */
function trust(context: PlatformContext, segment: string, params: Record<string, string>, correlationId?: string): TrustedRequest | AuthorizeOutcome {
  try {
    const authority = resolveAuthority(segment);
    const app = requireApp(params.client_id, authority);
    const redirectUri = params.redirect_uri;
    if (!redirectUri) throw new EntraError(900971, 'No reply address provided.');
    if (!redirectUriRegistered(app, redirectUri)) {
      throw new EntraError(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`);
    }
    const mode = params.response_mode;
    const responseMode: ResponseMode = mode === 'form_post' || mode === 'fragment' ? mode : 'query';
    return { authority, app, redirectUri, responseMode, params, correlationId };
  } catch (error) {
    if (error instanceof EntraError) return errorPageOutcome(context, error, correlationId);
    throw error;
  }
}

/** The user is known: check them, record consent and hand the app a code. */
function finishSignIn(context: PlatformContext, request: TrustedRequest, requested: RequestedScopes, upn: string): AuthorizeOutcome {
  try {
    const user = signInUser(upn, request.app, request.authority);
    context.grants.addConsent(request.app.clientId, user.upn, consentForRequest(request.app, requested));
    const { params } = request;
    const code = context.grants.issueCode({
      clientId: request.app.clientId,
      redirectUri: request.redirectUri,
      upn: user.upn,
      authoritySegment: request.authority.segment,
      oidc: OIDC_SCOPES.filter((s) => requested.oidc.has(s)),
      codeChallenge: params.code_challenge,
      codeChallengeMethod: params.code_challenge_method,
      nonce: params.nonce,
    });
    const fields: Record<string, string> = { code };
    if (params.client_info === '1') fields.client_info = context.tokens.clientInfo(user);
    return respond(request, fields);
  } catch (error) {
    if (error instanceof EntraError) return respondWithError(context, request, error);
    throw error;
  }
}

/** The request's scopes, or the error Entra sends back to the app when the request is refused. */
function checkedRequest(context: PlatformContext, trusted: TrustedRequest): RequestedScopes | AuthorizeOutcome {
  try {
    return checkRequest(trusted);
  } catch (error) {
    if (error instanceof EntraError) return respondWithError(context, trusted, error);
    throw error;
  }
}

export function authorize(context: PlatformContext, segment: string, params: Record<string, string>, correlationId?: string): AuthorizeOutcome {
  const trusted = trust(context, segment, params, correlationId);
  if ('kind' in trusted) return trusted;
  const requested = checkedRequest(context, trusted);
  if ('kind' in requested) return requested;
  const autoUpn = context.settings.autoSignInUpn;
  if (autoUpn) return finishSignIn(context, trusted, requested, autoUpn);
  if (params.prompt === 'none') {
    return respondWithError(context, trusted, new EntraError(50058, 'A silent sign-in request was sent but no user is signed in.'));
  }
  const pending = context.grants.addPendingSignIn(segment, params);
  return {
    kind: 'page',
    status: 200,
    html: signInPage({
      action: `/${encodeURIComponent(segment)}/login`,
      pendingId: pending.id,
      appName: trusted.app.displayName,
      users: usersOf(trusted.authority),
      loginHint: params.login_hint,
      scopes: params.scope.split(/\s+/).filter(Boolean),
    }),
  };
}

/** The sign-in page was submitted: `login` (or `other`) is who signed in, `action` is signin or cancel. */
export function completeSignIn(context: PlatformContext, form: URLSearchParams, correlationId?: string): AuthorizeOutcome {
  const pending = context.grants.takePendingSignIn(form.get('ctx') ?? '');
  if (!pending) {
    return errorPageOutcome(context, new EntraError(9002313, 'Invalid request. The sign-in session expired or was already used; start the sign-in again from the app.'), correlationId);
  }
  const trusted = trust(context, pending.authoritySegment, pending.query, correlationId);
  if ('kind' in trusted) return trusted;
  if (form.get('action') === 'cancel') {
    return respondWithError(context, trusted, new EntraError(65004, 'User declined to consent to access the app.'), { error_subcode: 'cancel' });
  }
  const requested = checkedRequest(context, trusted);
  if ('kind' in requested) return requested;
  const upn = (form.get('other') || form.get('login') || '').trim();
  return finishSignIn(context, trusted, requested, upn);
}
