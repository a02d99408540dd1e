/**
 * The device code flow: `/devicecode` hands out a user code, a person approves or declines it
 * on `/devicelogin` (or a test does through the control API), and the client polls `/token`
 * with `grant_type=urn:ietf:params:oauth:grant-type:device_code`. As in Entra, an app without
 * "Allow public client flows" gets its codes, and learns only once the user approved that it
 * must authenticate (AADSTS7000218).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { findApp, findUser } from '../../directory';
import { authenticateClient } from '../client-auth';
import { consentForRequest } from '../consent';
import { PlatformContext } from '../context';
import { EntraError } from '../errors';
import { DeviceCodeGrant } from '../grants';
import { OIDC_SCOPES, parseScopes } from '../resources';
import { Authority, requireApp, resolveAuthority, signInUser, tenantName } from '../tenancy';
import { TokenRequest, wantsClientInfo } from './token-request';
import { issueUserTokens, TokenResponse } from './user-tokens';

const DEVICE_CODE_LIFETIME_SECONDS = 900;
/** Entra's user codes: nine characters, none easily misread. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface DeviceCodeResponse {
  user_code: string;
  device_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

function newUserCode(): string {
  return Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
}

export function verificationUri(context: PlatformContext): string {
  return `${context.baseUrl}/devicelogin`;
}

export function startDeviceCode(context: PlatformContext, form: URLSearchParams, authority: Authority): DeviceCodeResponse {
  const app = requireApp(form.get('client_id') ?? undefined, authority);
  const scope = form.get('scope') ?? '';
  const requested = parseScopes(scope, tenantName(authority));
  const grant: DeviceCodeGrant = {
    deviceCode: `DAQABIQEAAAD${randomBytes(48).toString('base64url')}`,
    userCode: newUserCode(),
    clientId: app.clientId,
    authoritySegment: authority.segment,
    scope,
    requested,
    expiresAt: Date.now() + DEVICE_CODE_LIFETIME_SECONDS * 1000,
    state: { kind: 'pending' },
  };
  context.grants.addDeviceCode(grant);
  const uri = verificationUri(context);
  return {
    user_code: grant.userCode,
    device_code: grant.deviceCode,
    verification_uri: uri,
    expires_in: DEVICE_CODE_LIFETIME_SECONDS,
    interval: context.settings.deviceCodeIntervalSeconds,
    message: `To sign in, use a web browser to open the page ${uri} and enter the code ${grant.userCode} to authenticate.`,
  };
}

function pendingGrant(context: PlatformContext, userCode: string): DeviceCodeGrant {
  const grant = context.grants.findUserCode(userCode);
  if (!grant) throw new EntraError(70018, 'Invalid verification code due to User typing in wrong user code for device code flow. Authorization is not approved.', { error: 'bad_verification_code' });
  if (grant.expiresAt < Date.now()) throw new EntraError(70019, 'Verification code expired.', { error: 'expired_token' });
  if (grant.state.kind !== 'pending') {
    throw new EntraError(70000, 'This code was already used. Start the sign-in again on the device.', { error: 'invalid_grant' });
  }
  return grant;
}

/**
 * A person signs in as `upn` for the code. When Entra would refuse that sign-in (wrong kind of
 * account, disabled user, permission not granted) the code fails with the same AADSTS error,
 * which the polling client then receives, and the error is thrown for the page or test.
 */
export function approveDeviceCode(context: PlatformContext, userCode: string, upn: string): DeviceCodeGrant {
  const grant = pendingGrant(context, userCode);
  try {
    const authority = resolveAuthority(grant.authoritySegment);
    const app = requireApp(grant.clientId, authority);
    const user = signInUser(upn, app, authority);
    context.grants.addConsent(app.clientId, user.upn, consentForRequest(app, grant.requested));
    grant.state = { kind: 'approved', upn: user.upn };
  } catch (error) {
    if (error instanceof EntraError) grant.state = { kind: 'failed', code: error.code, text: error.text };
    throw error;
  }
  return grant;
}

export function declineDeviceCode(context: PlatformContext, userCode: string): DeviceCodeGrant {
  const grant = pendingGrant(context, userCode);
  grant.state = { kind: 'declined' };
  return grant;
}

export function redeemDeviceCode(context: PlatformContext, request: TokenRequest): TokenResponse {
  const { form, authority } = request;
  const deviceCode = form.get('device_code') ?? form.get('code');
  if (!deviceCode) throw new EntraError(900144, 'The request body must contain the following parameter: \'device_code\'.');
  const clientId = form.get('client_id') ?? undefined;
  const app = requireApp(clientId, authority);
  const grant = context.grants.findDeviceCode(deviceCode);
  if (!grant || grant.clientId !== app.clientId) {
    throw new EntraError(70018, 'Invalid verification code due to User typing in wrong user code for device code flow.', { error: 'bad_verification_code' });
  }
  if (grant.expiresAt < Date.now() && grant.state.kind !== 'redeemed') {
    throw new EntraError(70019, 'Verification code expired.', { error: 'expired_token' });
  }
  const state = grant.state;
  switch (state.kind) {
    case 'pending':
      throw new EntraError(70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.', { error: 'authorization_pending' });
    case 'declined':
      throw new EntraError(70000, 'The user declined the authorization request.', { error: 'authorization_declined' });
    case 'failed':
      throw new EntraError(state.code, state.text);
    case 'redeemed':
      throw new EntraError(70000, 'Provided grant is invalid or malformed.');
    case 'approved':
      break;
  }
  if (app.publicClient && !app.allowPublicClientFlows) {
    throw new EntraError(7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.');
  }
  const client = authenticateClient(context, form, request.authorization, authority, request.tokenUrl);
  const user = findUser(state.upn);
  if (!user || !findApp(grant.clientId)) throw new EntraError(70000, 'Provided grant is invalid or malformed.');
  grant.state = { kind: 'redeemed' };
  return issueUserTokens(context, {
    client,
    user,
    oidc: OIDC_SCOPES.filter((s) => grant.requested.oidc.has(s)),
    consent: context.grants.consentOf(app.clientId, user.upn),
    scopeParameter: form.get('scope') ?? grant.scope,
    wantsClientInfo: wantsClientInfo(form),
    tenantName: tenantName(authority),
  });
}
