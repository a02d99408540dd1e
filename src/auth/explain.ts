/**
 * Identity platform failures (MSAL errors, Entra's AADSTS replies, an unreachable platform)
 * told as ExplainedErrors: what went wrong and the fix in the app registration, the tenant or
 * the account settings. Only Entra's own error texts and MSAL's error codes are used, which
 * never hold a token or secret.
 */
import { ErrorAction, ExplainedError, isExplained } from '../errors';
import type { ErrorReply, NetworkFailure } from './network';
import type { AuthMode } from './token-source';

export interface ExplainContext {
  mode: AuthMode;
  clientId: string;
  tenant: string;
  authorityHost: string;
  caFile?: string;
  /** The scopes that were asked for. */
  scopes?: string[];
  /** What the network module saw: an unanswered request, or the platform's last error reply. */
  network?: { lastFailure?: NetworkFailure; lastErrorReply?: ErrorReply };
}

/** One failure in the platform's terms, whatever shape it arrived in. */
export interface AuthFailure {
  /** OAuth `error` or MSAL's error code: invalid_grant, network_error, … */
  error: string;
  /** The AADSTS number, when the platform gave one. */
  aadsts?: number;
  subError?: string;
  /** Entra's description (trace and correlation ids included) or MSAL's message. */
  description: string;
}

const PUBLIC_MODES: AuthMode[] = ['vscode', 'msal-browser', 'msal-device-code'];
const NETWORK_CODES = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error', 'no_network_connectivity']);
const SIGN_IN_AGAIN_CODES = new Set(['invalid_grant', 'interaction_required', 'login_required', 'consent_required',
  'no_tokens_found', 'no_account_in_silent_request', 'no_account_found', 'refresh_token_expired', 'bad_token']);
const SIGN_IN_AGAIN_AADSTS = new Set([50173, 700082, 70043, 70008, 50078, 50076, 50079, 50133, 54005, 70000, 50058, 700084]);

/** The admin-consent page for the app in the tenant: what an admin opens when users see "Need admin approval". */
export function adminConsentUrl(authorityHost: string, tenant: string, clientId: string): string {
  const directory = ['common', 'consumers'].includes(tenant.toLowerCase()) ? 'organizations' : tenant;
  return `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(directory)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function aadstsIn(description: string | undefined): number | undefined {
  const match = description ? /AADSTS(\d+)/.exec(description) : null;
  return match ? Number(match[1]) : undefined;
}

function fromReply(reply: ErrorReply): AuthFailure {
  return {
    error: reply.error,
    aadsts: reply.error_codes?.[0] ?? aadstsIn(reply.error_description),
    subError: reply.suberror,
    description: reply.error_description ?? reply.error,
  };
}

/** Reads an MSAL AuthError/ServerError, an Entra JSON error body, or any Error. */
export function readFailure(err: unknown, network?: ExplainContext['network']): AuthFailure {
  if (err && typeof err === 'object') {
    const value = err as Record<string, unknown>;
    const msalCode = text(value.errorCode);
    if (msalCode !== undefined) {
      // MSAL keeps only `error` of a refused device-code poll; the reply itself has the AADSTS number.
      if (msalCode === 'post_request_failed' && network?.lastErrorReply) return fromReply(network.lastErrorReply);
      const description = text(value.errorMessage) ?? text(value.message) ?? msalCode;
      const errorNo = Number(value.errorNo);
      return {
        error: msalCode,
        aadsts: Number.isInteger(errorNo) && errorNo > 0 ? errorNo : aadstsIn(description),
        subError: text(value.subError),
        description,
      };
    }
    if (text(value.error) !== undefined) {
      const codes = Array.isArray(value.error_codes) ? value.error_codes.filter((c): c is number => typeof c === 'number') : undefined;
      return fromReply({ error: value.error as string, error_description: text(value.error_description), error_codes: codes, suberror: text(value.suberror) });
    }
  }
  if (err instanceof Error) {
    const code = text((err as NodeJS.ErrnoException).code);
    return { error: code ?? err.name, description: err.message, aadsts: aadstsIn(err.message) };
  }
  return { error: 'unknown_error', description: String(err) };
}

/** The first sentence of Entra's description, without the trace lines, for the log and detail. */
function platformSays(failure: AuthFailure): string {
  return failure.description.replace(/\s*(Trace ID|Correlation ID|Timestamp):.*$/s, '').trim();
}

function registrationPlace(context: ExplainContext): string {
  return `Entra admin center → App registrations → the app with client id ${context.clientId}`;
}

interface Explanation {
  message: string;
  fix: string;
  actions?: ErrorAction[];
}

function explainAadsts(code: number, context: ExplainContext): Explanation | undefined {
  const where = registrationPlace(context);
  switch (code) {
    case 50011:
      return context.mode === 'web-app'
        ? { message: 'The app registration does not accept the sign-in\'s redirect URI (AADSTS50011).',
          fix: `In ${where} → Authentication, add the platform "Web" with the redirect URI http://localhost.` }
        : { message: 'The app registration does not accept the sign-in\'s redirect URI (AADSTS50011).',
          fix: `In ${where} → Authentication, add the platform "Mobile and desktop applications" with the redirect URI http://localhost`
            + ' (and https://vscode.dev/redirect for VS Code\'s own sign-in in remote windows).',
          actions: ['signIn'] };
    case 65001:
      return { message: 'The app has not been granted the Exchange permissions it asks for (AADSTS65001: consent missing).',
        fix: `In ${where} → API permissions, add Office 365 Exchange Online ${context.mode === 'client-credentials'
          ? 'IMAP.AccessAsApp / POP.AccessAsApp / SMTP.SendAsApp (application permissions)'
          : 'IMAP.AccessAsUser.All / POP.AccessAsUser.All / SMTP.Send (delegated permissions)'} and have an admin select "Grant admin consent";`
          + ` where users may consent themselves, sign in again and accept the consent prompt. An admin can grant it for everyone at ${adminConsentUrl(context.authorityHost, context.tenant, context.clientId)}`
          + ' ("Exchange Mail: Copy Exchange Admin Setup Commands" has this link too).',
        actions: ['signIn'] };
    case 65004:
      return { message: 'The consent to the app was declined at sign-in (AADSTS65004).',
        fix: 'Sign in again and accept the permissions, or ask an admin to grant consent for the tenant.', actions: ['signIn'] };
    case 7000218:
      return PUBLIC_MODES.includes(context.mode)
        ? { message: 'The app registration does not allow public client flows, which device code sign-in needs (AADSTS7000218).',
          fix: `In ${where} → Authentication → Advanced settings, set "Allow public client flows" to Yes, or use the browser sign-in (auth mode msal-browser).` }
        : { message: 'The identity platform expected a client secret or certificate and got none (AADSTS7000218).',
          fix: 'Store the app\'s client secret (or certificate key) for this account, then sign in again.', actions: ['signIn'] };
    case 700016:
      return { message: `No app with client id ${context.clientId} exists in tenant "${context.tenant}" (AADSTS700016).`,
        fix: 'Check the account\'s client id (the "Application (client) ID" on the registration\'s Overview page) and tenant: a single-tenant'
          + ' app needs its own tenant id or domain instead of organizations/common, and a multi-tenant app must be consented in your tenant.',
        actions: ['openSettings'] };
    case 50020:
      return { message: 'This kind of account cannot sign in to this app registration and tenant (AADSTS50020).',
        fix: 'Personal Microsoft accounts (Outlook.com) need a registration whose "Supported account types" include personal accounts and the tenant'
          + ' "consumers" or "common"; work or school accounts need "organizations" or their tenant, and must belong to (or be a guest of) that tenant.'
          + ' Sign in with the right account or change the account\'s tenant.',
        actions: ['openSettings', 'signIn'] };
    case 70011:
    case 1002012:
    case 28000:
      return { message: `The identity platform refused the requested scopes${context.scopes ? ` (${context.scopes.join(' ')})` : ''} (AADSTS${code}).`,
        fix: context.mode === 'client-credentials'
          ? 'App-only tokens need "<resource>/.default" scopes: https://outlook.office365.com/.default for IMAP, POP and SMTP (https://ps.outlook.com/.default works for IMAP/POP too). Check the account\'s appOnlyResources setting.'
          : 'Delegated scopes are https://outlook.office.com/IMAP.AccessAsUser.All, /POP.AccessAsUser.All and /SMTP.Send (sovereign clouds use their own resource URI). Check the account\'s resource settings.',
        actions: ['openSettings'] };
    case 700027:
    case 50013:
    case 700024:
      return { message: `The identity platform rejected the app's certificate (AADSTS${code}).`,
        fix: `Upload the certificate (its public .cer/.pem) in ${where} → Certificates & secrets, check that the account's certificate thumbprint (SHA-256)`
          + ' is that certificate\'s, and that the stored private key belongs to it.',
        actions: ['signIn'] };
    case 7000215:
    case 7000222:
      return { message: code === 7000222 ? 'The app\'s client secret has expired (AADSTS7000222).' : 'The client secret is not valid for this app (AADSTS7000215).',
        fix: `Create a new client secret in ${where} → Certificates & secrets and store its Value (not its Secret ID) for this account.`,
        actions: ['signIn'] };
    case 90002:
      return { message: `The tenant "${context.tenant}" does not exist (AADSTS90002).`,
        fix: 'Check the account\'s tenant: organizations, common, consumers, a tenant id or a verified domain.', actions: ['openSettings'] };
    case 53003:
      return deviceCodeFlow(context)
        ? { message: 'A Conditional Access policy of the tenant blocks sign-in by device code (AADSTS53003); many tenants block the device code flow.',
          fix: 'Sign in with the browser instead: set the account\'s authMode to "msal-browser" (in a remote window, open the sign-in link on this machine\'s browser), or ask the tenant admin to allow the device code flow for this app.',
          actions: ['openSettings'] }
        : { message: 'A Conditional Access policy of the tenant blocks this sign-in (AADSTS53003).',
          fix: 'Ask the tenant admin which policy applies to this app and device.' };
    case 70043:
      return { message: 'The tenant\'s sign-in frequency policy ended this sign-in (AADSTS70043): the session is older than Conditional Access allows.',
        fix: 'Sign in again ("Exchange Mail: Sign In"); the tenant will ask again after the same time.', actions: ['signIn'] };
    case 700082:
      return { message: 'The sign-in expired because it was not used for a long time (AADSTS700082: the refresh token expired after inactivity).',
        fix: 'Sign in again ("Exchange Mail: Sign In").', actions: ['signIn'] };
    default:
      return SIGN_IN_AGAIN_AADSTS.has(code) ? signInAgain() : undefined;
  }
}

function deviceCodeFlow(context: ExplainContext): boolean {
  return context.mode === 'msal-device-code';
}

function signInAgain(): Explanation {
  return { message: 'The sign-in has expired or was revoked: sign in again.',
    fix: 'Run "Exchange Mail: Sign In" for this account.', actions: ['signIn'] };
}

function unreachable(context: ExplainContext, failure?: NetworkFailure): Explanation {
  const host = failure?.host ?? context.authorityHost.replace(/^https?:\/\//, '');
  if (failure?.certificate) {
    return { message: `Cannot reach the identity platform at ${host}: its TLS certificate is not trusted (${failure.code}).`,
      fix: context.caFile
        ? `The account's CA file ${context.caFile} does not hold the CA that issued ${host}'s certificate: point it at the right PEM file.`
        : `If ${host} uses a private or corporate CA, set the account's extra CA file to that CA's PEM file.`,
      actions: ['openSettings', 'retry'] };
  }
  return { message: `Cannot reach the identity platform at ${host}${failure ? ` (${failure.code})` : ''}.`,
    fix: 'Check the network connection, proxy and the account\'s authority URL, then retry.', actions: ['retry', 'openSettings'] };
}

/** The failure told with its fix. An ExplainedError passes through unchanged. */
export function explainAuthError(err: unknown, context: ExplainContext): ExplainedError {
  if (isExplained(err)) return err;
  const failure = readFailure(err, context.network);
  const says = platformSays(failure);
  const detail = `${failure.error}${failure.subError ? ` (${failure.subError})` : ''}: ${says}`;
  let explanation: Explanation | undefined;
  let code = failure.aadsts ? `AADSTS${failure.aadsts}` : failure.error;
  if (failure.aadsts) explanation = explainAadsts(failure.aadsts, context);
  if (!explanation && (NETWORK_CODES.has(failure.error) || /fetch failed|cannot reach/i.test(failure.description))) {
    explanation = unreachable(context, context.network?.lastFailure);
    code = 'identity-platform-unreachable';
  }
  if (!explanation && (SIGN_IN_AGAIN_CODES.has(failure.error) || (failure.subError && SIGN_IN_AGAIN_CODES.has(failure.subError)))) {
    explanation = signInAgain();
    code = failure.aadsts ? code : 'sign-in-required';
  }
  if (!explanation && failure.error === 'access_denied') {
    explanation = { message: 'The sign-in was cancelled or refused.', fix: 'Sign in again when you are ready.', actions: ['signIn'] };
  }
  explanation ??= {
    message: `Sign-in failed: ${says || failure.error}`,
    fix: `Check the app registration (${registrationPlace(context)}) and the account's settings; the log has the details.`,
    actions: ['showLog'],
  };
  return new ExplainedError(explanation.message, explanation.fix, { code, detail, actions: explanation.actions, cause: err });
}

/** No token in the cache and the caller may not ask the user. */
export function signInRequired(mode: AuthMode): ExplainedError {
  return new ExplainedError('Not signed in: sign in to get a token for this account.',
    'Run "Exchange Mail: Sign In" for this account.', { code: 'sign-in-required', detail: `mode ${mode}: no cached token`, actions: ['signIn'] });
}

/**
 * Whether a failed silent attempt can be mended by signing in (interaction required, a revoked
 * or expired refresh token, no cached account), as opposed to a broken registration or network.
 */
export function needsSignIn(err: unknown, network?: ExplainContext['network']): boolean {
  if (err && typeof err === 'object' && (err as { name?: unknown }).name === 'InteractionRequiredAuthError') return true;
  const failure = readFailure(err, network);
  if (failure.aadsts !== undefined) return SIGN_IN_AGAIN_AADSTS.has(failure.aadsts) || failure.aadsts === 65001;
  return SIGN_IN_AGAIN_CODES.has(failure.error) || (!!failure.subError && SIGN_IN_AGAIN_CODES.has(failure.subError));
}
