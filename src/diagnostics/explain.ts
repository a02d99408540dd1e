/**
 * Why a protocol step failed, told from the server's exact reply and the token's claims, with
 * the concrete fix. Exchange Online's refusals are deliberately vague (`NO AUTHENTICATE failed.`,
 * `535 5.7.3 Authentication unsuccessful`), and so are Dovecot's; the claims usually show the
 * cause (audience, permission, expiry, user, tenant). Replies that say it all themselves
 * (5.7.139, throttling, AccessTokenExpired, "authenticated but not connected") win over claims.
 */
import type { AuthMode } from '../auth/token-source';
import { ErrorAction, ExplainedError, isExplained } from '../errors';
import {
  ACCESS_TOKEN_EXPIRED, ExchangeReplyCode, explainSmtpAuthDisabled, explainThrottled, NOT_CONNECTED, SMTP_AUTH_DISABLED, throttling,
} from '../mail/exchange-replies';
import { MailServer, Protocol, PROTOCOL_NAMES, serverAddress } from '../mail/server';
import { grantCommands, organizationOf } from './admin-setup';
import {
  appIdOf, checkClaimsFit, signedInUser, ClaimWarning, ClaimWarningCode, DecodedToken, describeAudience, isAppOnly,
  PERSONAL_ACCOUNTS_TENANT_ID, PROTOCOL_PERMISSIONS,
} from './claims';
import { describeError, errorCode, socketFailureOf } from '../socket-failure';
import { ProbeError, ProbeFailureKind } from './probes/probe-error';

export type DiagnosedStep = 'token' | 'connect' | 'authenticate' | 'disconnect';

/** The stable codes of explained protocol failures (ExplainedError.code). */
export type DiagnosisCode =
  | ExchangeReplyCode
  | 'server-unreachable'
  | 'certificate-untrusted'
  | 'certificate-wrong-host'
  | 'tls-failed'
  | 'timeout'
  | 'connection-dropped'
  | 'not-a-mail-server'
  | 'starttls-unavailable'
  | 'xoauth2-unavailable'
  | 'session-token-expired'
  | 'mailbox-not-connected'
  | 'wrong-audience'
  | 'missing-permission'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'wrong-user'
  | 'shared-mailbox-refused'
  | 'auth-mode-mismatch'
  | 'personal-account-on-work-host'
  | 'work-account-on-personal-host'
  | 'personal-account-for-work-tenant'
  | 'work-account-for-personal-tenant'
  | 'wrong-tenant'
  | 'app-only-not-granted'
  | 'auth-refused'
  | 'server-refused'
  | 'token-failed';

export interface ProtocolFailure {
  protocol: Protocol;
  step: DiagnosedStep;
  /** The server's reply that ended the step, without an IMAP tag: `NO AUTHENTICATE failed.`, `535 5.7.3 …`. */
  reply?: string;
  /** What was thrown: a socket/TLS error, a ProbeError, or an ExplainedError of the POP3 client or the token source. */
  error?: unknown;
}

export interface FailureContext {
  server: MailServer;
  /** The XOAUTH2 user sent to the server. */
  user: string;
  /** The account's mailbox address. */
  address: string;
  mode: AuthMode;
  clientId: string;
  /** The account's tenant setting. */
  tenant: string;
  /** The token's claims, when a token was had. */
  token?: DecodedToken;
  /** The account's resources, accepted as audiences beside Exchange Online's (sovereign clouds). */
  resources?: string[];
  nowSeconds?: number;
}

const AUTH_ERROR_PATTERNS = [
  /^NO\b.*AUTHENTICATE failed/i, // Exchange Online IMAP
  /^-ERR Authentication failure/i, // Exchange Online POP3
  /^535\b/, // SMTP: Exchange 5.7.3, Postfix/Dovecot 5.7.8
  /AUTHENTICATIONFAILED/i, // Dovecot IMAP
  /^-ERR \[AUTH\]/i, // Dovecot POP3
];


function serverName(failure: ProtocolFailure, context: FailureContext): string {
  return `the ${PROTOCOL_NAMES[failure.protocol]} server ${serverAddress(context.server)}`;
}

function make(code: DiagnosisCode, message: string, fix: string, failure: ProtocolFailure, actions: ErrorAction[], detail?: string): ExplainedError {
  const shown = detail ?? (failure.reply ? `${failure.step}: ${failure.reply}` : failure.error ? `${failure.step}: ${describeError(failure.error)}` : failure.step);
  return new ExplainedError(message, fix, { code, detail: shown, actions, cause: failure.error });
}

/** The failure kind of whatever the connect step threw: a ProbeError, a POP3 ExplainedError, or a socket error. */
function connectKind(error: unknown): ProbeFailureKind | 'other' {
  if (error instanceof ProbeError) return error.kind;
  if (isExplained(error)) {
    switch (error.code) {
      case 'unreachable': return 'unreachable';
      case 'tls-untrusted': return 'tls-untrusted';
      case 'tls-hostname': return 'tls-hostname';
      case 'tls-failed': return 'tls-failed';
      case 'timeout': return 'timeout';
      case 'connection-dropped': return 'connection-dropped';
      case 'bad-greeting': case 'protocol-error': case 'line-too-long': return 'bad-greeting';
      case 'stls-unavailable': return 'starttls-unavailable';
      case 'xoauth2-unavailable': return 'xoauth2-unavailable';
      case 'server-refused': return 'server-refused';
      default: return 'other';
    }
  }
  return socketFailureOf(error)?.kind ?? 'other';
}

function rootCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = errorCode(current);
    if (code && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const USUAL_PORTS: Record<Protocol, string> = {
  imap: 'port 993 with TLS (Exchange Online: outlook.office365.com)',
  pop3: 'port 995 with TLS (Exchange Online: outlook.office365.com)',
  smtp: 'port 587 with STARTTLS (Exchange Online: smtp.office365.com)',
};

function explainConnection(failure: ProtocolFailure, context: FailureContext): ExplainedError | undefined {
  const kind = connectKind(failure.error);
  const name = serverName(failure, context);
  const protocol = PROTOCOL_NAMES[failure.protocol];
  const settings = `Check the account's ${protocol} host, port and security (usually ${USUAL_PORTS[failure.protocol]}).`;
  const code = rootCode(failure.error);
  switch (kind) {
    case 'unreachable': {
      const why = code === 'ECONNREFUSED' ? 'nothing accepts connections on that port (the server is down, or the port is wrong)'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `the host name ${context.server.host} does not resolve`
          : code === 'ETIMEDOUT' ? 'the connection timed out (a firewall or proxy may drop it)' : 'the connection failed';
      return make('server-unreachable', `Cannot reach ${name}: ${why}.`,
        `${settings} If they are right, check the network, VPN or proxy, and that a firewall allows outgoing connections to port ${context.server.port}.`,
        failure, ['retry', 'openSettings']);
    }
    case 'tls-untrusted':
      return make('certificate-untrusted', `The certificate of ${name} is not trusted${code ? ` (${code})` : ''}.`,
        context.server.ca
          ? "The account's CA file does not contain the authority that issued this certificate: set `caFile` to that authority's PEM certificate, or check that nothing intercepts TLS on the way. Certificate checks are never turned off."
          : "If the server uses a private certificate authority (a test server, a TLS-inspecting proxy), save that authority's certificate as PEM and set it as the account's `caFile`. Certificate checks are never turned off.",
        failure, ['openSettings']);
    case 'tls-hostname':
      return make('certificate-wrong-host', `The certificate of ${name} is not issued for ${context.server.host}.`,
        `Use the host name the certificate names in the account's settings (${USUAL_PORTS[failure.protocol]}).`, failure, ['openSettings']);
    case 'tls-failed':
      return make('tls-failed', `The secure connection to ${name} failed.`,
        `The port and security setting probably do not match: ${settings} TLS from the first byte is "tls" (993, 995, 465); "starttls" is for 587, 143, 110.`,
        failure, ['openSettings']);
    case 'timeout':
      return make('timeout', `${name[0]!.toUpperCase()}${name.slice(1)} stopped answering during ${failure.step}.`,
        'Try again; if it keeps happening, check the network and that the port belongs to a mail server.', failure, ['retry', 'showLog']);
    case 'connection-dropped':
      return make('connection-dropped', `${name[0]!.toUpperCase()}${name.slice(1)} closed the connection during ${failure.step}.`,
        `Try again; if it keeps happening, ${settings[0]!.toLowerCase()}${settings.slice(1)}`, failure, ['retry', 'showLog']);
    case 'bad-greeting': case 'protocol-error': case 'line-too-long':
      return make('not-a-mail-server', `${name[0]!.toUpperCase()}${name.slice(1)} does not answer as an ${protocol} server.`,
        `${settings} The port may belong to another service or protocol.`, failure, ['openSettings']);
    case 'starttls-unavailable':
      return make('starttls-unavailable', `${name[0]!.toUpperCase()}${name.slice(1)} does not offer STARTTLS, so the connection cannot be secured.`,
        `${settings} Credentials are never sent over an unencrypted connection.`, failure, ['openSettings']);
    case 'xoauth2-unavailable':
      return make('xoauth2-unavailable', `${name[0]!.toUpperCase()}${name.slice(1)} does not offer OAuth2 sign-in (SASL XOAUTH2).`,
        `Check that the account points at Exchange Online (${USUAL_PORTS[failure.protocol]}) and that ${protocol} is enabled for the mailbox.`,
        failure, ['openSettings']);
    default:
      return undefined;
  }
}

function appOnlyGrantFix(context: FailureContext): string {
  const claims = context.token?.readable ? context.token.claims : undefined;
  const objectId = claims && isAppOnly(claims) ? claims.oid : undefined;
  const [newServicePrincipal, addMailboxPermission] = grantCommands({
    clientId: appIdOf(claims ?? {}) ?? context.clientId, tenant: context.tenant, mailbox: context.user,
    tokenTenantId: claims?.tid, servicePrincipalObjectId: objectId,
  });
  const organization = organizationOf({ tenant: context.tenant, tokenTenantId: claims?.tid });
  const where = objectId ? '' : ' (the object id is on Entra admin center > Enterprise applications > the app > Object ID)';
  return `An Exchange admin registers the app's service principal and gives it the mailbox, in Exchange Online PowerShell `
    + `(Connect-ExchangeOnline -Organization ${organization}): ${newServicePrincipal}; then ${addMailboxPermission}${where}. `
    + '"Exchange Mail: Copy Exchange Admin Setup Commands" copies these lines.';
}

/** `Add-MailboxPermission … FullAccess`: what lets a person open a shared mailbox with their own token. */
export function fullAccessCommand(mailbox: string, trustee: string): string {
  return `Add-MailboxPermission -Identity ${mailbox} -User ${trustee} -AccessRights FullAccess -InheritanceType All`;
}

/** `Add-RecipientPermission … SendAs`: what lets a person (or an app's service principal) send as a mailbox. */
export function sendAsCommand(mailbox: string, trustee: string): string {
  return `Add-RecipientPermission -Identity ${mailbox} -Trustee ${trustee} -AccessRights SendAs`;
}

function sharedMailboxFix(mailbox: string, signedIn: string): string {
  return `Exchange opens another mailbox with a delegated token only for a user with FullAccess to it (a shared mailbox). `
    + `An Exchange admin grants it in Exchange Online PowerShell: ${fullAccessCommand(mailbox, signedIn)} (it can take up to an hour to apply).`;
}

/**
 * A shared mailbox the server would not open (IMAP/POP `AUTHENTICATE failed`): most likely the
 * signed-in user lacks FullAccess (for app-only: the app's service principal lacks a mailbox
 * permission), then the other causes.
 */
export function explainSharedMailboxRefused(protocol: Protocol, context: FailureContext & { signedInAs: string }, error?: unknown): ExplainedError {
  const name = PROTOCOL_NAMES[protocol];
  const failure: ProtocolFailure = { protocol, step: 'authenticate', error };
  const appOnly = context.mode === 'client-credentials';
  const message = `The ${name} server ${serverAddress(context.server)} would not open the shared mailbox ${context.address} for ${appOnly ? `the app of ${context.signedInAs}` : context.signedInAs}.`;
  const likely = appOnly
    ? `Most likely the app's service principal has no permission on ${context.address}. ${appOnlyGrantFix({ ...context, user: context.address })}`
    : `Most likely ${context.signedInAs} has no FullAccess to it. ${sharedMailboxFix(context.address, context.signedInAs)}`;
  const others = ` Other causes: the address is not a mailbox of the tenant, or ${name} is turned off for it `
    + `(Set-CASMailbox -Identity ${context.address} -${protocol === 'pop3' ? 'PopEnabled' : 'ImapEnabled'} $true); Test Connection on the mailbox tells more.`;
  return make('shared-mailbox-refused', message, likely + others, failure, ['retry', 'showLog']);
}

/** Exchange's `BAD User is authenticated but not connected.`, met outside Test Connection (the tree, a message). */
export function explainMailboxNotConnected(protocol: Protocol, context: FailureContext, error?: unknown): ExplainedError {
  return explainNotConnected({ protocol, step: 'authenticate', reply: 'BAD User is authenticated but not connected.', error }, context);
}

function explainNotConnected(failure: ProtocolFailure, context: FailureContext): ExplainedError {
  const claims = context.token?.readable ? context.token.claims : undefined;
  if ((claims && isAppOnly(claims)) || context.mode === 'client-credentials') {
    return make('mailbox-not-connected',
      `Exchange accepted the app-only token but cannot open the mailbox ${context.user} for it ("User is authenticated but not connected").`,
      `Microsoft's guidance: the app's service principal needs FullAccess to the mailbox, and the XOAUTH2 user must be that mailbox's address. ${appOnlyGrantFix(context)}`,
      failure, ['retry', 'showLog']);
  }
  return make('mailbox-not-connected',
    `Exchange accepted the sign-in but cannot open the mailbox ${context.user} for it ("User is authenticated but not connected").`,
    `Microsoft's guidance: the XOAUTH2 user must be the signed-in user's own mailbox (or one it has FullAccess to), and the mailbox must exist, be licensed for Exchange Online and have ${PROTOCOL_NAMES[failure.protocol]} enabled `
      + `(Set-CASMailbox -Identity ${context.user} -${failure.protocol === 'pop3' ? 'PopEnabled' : 'ImapEnabled'} $true). For app-only access, the app's service principal needs FullAccess (Add-MailboxPermission).`,
    failure, ['retry', 'showLog']);
}

/** The claim warning that explains a refusal, worst first. */
const CAUSE_ORDER: ClaimWarningCode[] = [
  'token-expired', 'token-not-yet-valid', 'wrong-audience', 'personal-account-on-work-host', 'work-account-on-personal-host',
  'personal-account-for-work-tenant', 'work-account-for-personal-tenant', 'app-only-for-delegated-account', 'delegated-for-app-only-account',
  'no-permissions', 'missing-permission', 'wrong-user', 'wrong-tenant',
];

function fromWarning(warning: ClaimWarning, failure: ProtocolFailure, context: FailureContext): ExplainedError {
  const refused = `${serverName(failure, context)[0]!.toUpperCase()}${serverName(failure, context).slice(1)} refused the sign-in of ${context.user}`;
  const message = `${refused}: ${warning.message[0]!.toLowerCase()}${warning.message.slice(1)}`;
  const claims = context.token?.readable ? context.token.claims : {};
  const permission = PROTOCOL_PERMISSIONS[failure.protocol];
  const appOnly = isAppOnly(claims) || context.mode === 'client-credentials';
  switch (warning.code) {
    case 'token-expired':
      return make('token-expired', message,
        'Sign in again to get a fresh token ("Exchange Mail: Sign In"). If a fresh token is refused as expired too, set this computer\'s clock right (automatic time).',
        failure, ['signIn', 'retry']);
    case 'token-not-yet-valid':
      return make('token-not-yet-valid', message, 'Set this computer\'s clock and time zone right (automatic time), then try again.', failure, ['retry']);
    case 'wrong-audience':
      return make('wrong-audience', message,
        appOnly
          ? `Ask for Exchange's scope: https://outlook.office365.com/.default${failure.protocol === 'smtp' ? '' : ' (or https://ps.outlook.com/.default)'} (not ${describeAudience(claims)}). Check the account's appOnlyResources setting.`
          : `Ask for Exchange's scope https://outlook.office.com/${permission.delegated} (not a Graph scope such as User.Read or Mail.Read); check the account's delegatedResource setting, then sign in again.`,
        failure, ['openSettings', 'signIn']);
    case 'missing-permission': case 'no-permissions':
      return make('missing-permission', message,
        appOnly
          ? `In Entra admin center > App registrations > the app (${context.clientId}) > API permissions, add "Office 365 Exchange Online" > Application permissions > ${permission.application}, then "Grant admin consent". Then test again (a new app-only token carries the role).`
          : `In Entra admin center > App registrations > the app (${context.clientId}) > API permissions, add "Office 365 Exchange Online" (or Microsoft Graph) > Delegated permissions > ${permission.delegated}, grant consent (an admin, if the tenant requires it), then sign in again.`,
        failure, ['signIn']);
    case 'wrong-user': {
      const signedIn = signedInUser(claims) ?? 'the signed-in user';
      return make('wrong-user', message, failure.protocol === 'smtp'
        ? `Exchange's SMTP takes only the signed-in user (${signedIn}) as the XOAUTH2 user. To send as ${context.address}, sign in as yourself and send with From: ${context.address}, `
          + `which needs SendAs: ${sendAsCommand(context.address, signedIn)}. Or sign in as ${context.address}.`
        : `${sharedMailboxFix(context.address, signedIn)} Or, to open your own mailbox, sign in as ${context.address} (or change the account's address to ${signedIn}).`,
      failure, ['signIn']);
    }
    case 'app-only-for-delegated-account': case 'delegated-for-app-only-account':
      return make('auth-mode-mismatch', message,
        'Use a token of the kind the account is set up for: change the account\'s authMode, or sign in again.', failure, ['openSettings', 'signIn']);
    case 'personal-account-on-work-host':
      return make('personal-account-on-work-host', message,
        'Personal Microsoft accounts (Outlook.com, Hotmail) use the Outlook.com preset: SMTP smtp-mail.outlook.com:587, IMAP/POP outlook.office365.com with tenant "consumers". Recreate the account with that preset, or sign in with a work or school account.',
        failure, ['openSettings']);
    case 'work-account-on-personal-host':
      return make('work-account-on-personal-host', message,
        'Work and school accounts use the Microsoft 365 preset (outlook.office365.com, smtp.office365.com). Change the account\'s preset or sign in with the personal account.',
        failure, ['openSettings']);
    case 'personal-account-for-work-tenant':
      return make('personal-account-for-work-tenant', message,
        `Sign in with a work or school account of the tenant, or, for a personal account, set the account's tenant to "consumers" with an app registration that allows personal accounts (tenant of personal accounts: ${PERSONAL_ACCOUNTS_TENANT_ID}).`,
        failure, ['openSettings', 'signIn']);
    case 'work-account-for-personal-tenant':
      return make('work-account-for-personal-tenant', message,
        'Set the account\'s tenant to the organization\'s tenant (or "organizations"), or sign in with a personal Microsoft account.', failure, ['openSettings', 'signIn']);
    case 'wrong-tenant':
      return make('wrong-tenant', message,
        'Set the account\'s tenant to the tenant of the mailbox, or sign in with an account of that tenant.', failure, ['openSettings', 'signIn']);
  }
}

function explainAuthRefusal(failure: ProtocolFailure, context: FailureContext): ExplainedError {
  const name = serverName(failure, context);
  const refused = `${name[0]!.toUpperCase()}${name.slice(1)} refused the sign-in of ${context.user} (${failure.reply ?? 'no reason given'})`;
  const token = context.token;
  if (token?.readable) {
    const warnings = checkClaimsFit(token.claims, failure.protocol, {
      address: context.user, mode: context.mode, expectedTenant: context.tenant, host: context.server.host,
      resources: context.resources, nowSeconds: context.nowSeconds,
    });
    const cause = CAUSE_ORDER.map((code) => warnings.find((w) => w.code === code)).find((w) => w !== undefined);
    if (cause) return fromWarning(cause, failure, context);
    if (isAppOnly(token.claims)) {
      return make('app-only-not-granted',
        `${refused}, although the app-only token's audience and role (${PROTOCOL_PERMISSIONS[failure.protocol].application}) are right: the app's service principal is not registered in Exchange or has no permission on the mailbox.`,
        appOnlyGrantFix(context), failure, ['showLog']);
    }
  }
  const why = token?.readable === false ? ` The token's claims cannot be read: ${token.reason}.` : ' The token\'s claims look right.';
  const enable = failure.protocol === 'smtp'
    ? `SMTP AUTH is allowed for the mailbox (Set-CASMailbox -Identity ${context.user} -SmtpClientAuthenticationDisabled $false)`
    : `${PROTOCOL_NAMES[failure.protocol]} is enabled for the mailbox (Set-CASMailbox -Identity ${context.user} -${failure.protocol === 'pop3' ? 'PopEnabled' : 'ImapEnabled'} $true)`;
  return make('auth-refused', `${refused}.${why}`,
    `Check that the app registration has the permission ${PROTOCOL_PERMISSIONS[failure.protocol].delegated} (${PROTOCOL_PERMISSIONS[failure.protocol].application} for app-only) with consent, that ${enable}, and that the mailbox is licensed; then sign in again.`,
    failure, ['signIn', 'showLog']);
}

/** The server's reply inside a POP3 client error's detail: `-ERR <text> (XOAUTH2 challenge: …)`. */
export function replyOf(error: unknown): string | undefined {
  if (error instanceof ProbeError) return error.reply;
  if (!isExplained(error) || !error.detail) return undefined;
  const detail = error.detail.replace(/ \(XOAUTH2 challenge: .*\)$/, '');
  const arrow = detail.lastIndexOf('-> ');
  return arrow >= 0 ? detail.slice(arrow + 3) : detail.startsWith('-ERR') ? detail : undefined;
}

/** The explanation of a failed step: the server's words first, then the claims, then the socket error. */
export function explainFailure(failure: ProtocolFailure, context: FailureContext): ExplainedError {
  if (failure.step === 'token') {
    if (isExplained(failure.error)) return failure.error;
    return make('token-failed', `No token for ${PROTOCOL_NAMES[failure.protocol]} could be had for ${context.address}.`,
      'Sign in again ("Exchange Mail: Sign In"); the log has the details.', failure, ['signIn', 'showLog']);
  }
  const reply = failure.reply ?? replyOf(failure.error);
  const withReply: ProtocolFailure = { ...failure, reply };
  if (reply) {
    // Exchange's own words, explained as Send and the Mailboxes view explain them (mail/exchange-replies).
    const said = SMTP_AUTH_DISABLED.test(reply) ? explainSmtpAuthDisabled(reply, context.user)
      : throttling(reply) ? explainThrottled(failure.protocol, context.server, throttling(reply)?.suggestedMs) : undefined;
    if (said) return make(said.code, said.message, said.fix, withReply, said.actions);
    if (ACCESS_TOKEN_EXPIRED.test(reply)) {
      return make('session-token-expired', `Exchange ended the ${PROTOCOL_NAMES[failure.protocol]} session because its access token expired (${reply}).`,
        'Exchange closes a session when the token it was opened with expires; connect again with a fresh token (Exchange Mail does this by itself). If it happens right after signing in, set this computer\'s clock right.',
        withReply, ['retry']);
    }
    if (NOT_CONNECTED.test(reply)) return explainNotConnected(withReply, context);
  }
  const connection = explainConnection(withReply, context);
  if (connection) return connection;
  if (failure.step === 'authenticate') {
    // A refusal of the sign-in itself: the probes pass the server's reply, the POP3 client an `auth-failed` error.
    const pop3Refusal = isExplained(failure.error) && failure.error.code === 'auth-failed';
    if (failure.reply !== undefined || pop3Refusal || (reply !== undefined && AUTH_ERROR_PATTERNS.some((p) => p.test(reply)))) {
      return explainAuthRefusal(withReply, context);
    }
  }
  if (isExplained(failure.error)) return failure.error;
  const name = serverName(failure, context);
  return make('server-refused', `${name[0]!.toUpperCase()}${name.slice(1)} refused ${failure.step}: ${reply ?? describeError(failure.error)}.`,
    'Try again later; the log has the whole conversation (Exchange Mail: Show Log).', withReply, ['retry', 'showLog']);
}
