/**
 * `/devicelogin`: where a person types the code a device showed them, picks an account and
 * approves or declines.
 */
import { findApp, USERS } from '../directory';
import { PlatformContext } from './context';
import { EntraError, errorBody } from './errors';
import { approveDeviceCode, declineDeviceCode } from './flows/device-code';
import { deviceLoginPage } from './pages';

export function showDeviceLogin(query: URLSearchParams): string {
  return deviceLoginPage({ users: USERS, userCode: query.get('otc') ?? query.get('code') ?? undefined });
}

export function submitDeviceLogin(context: PlatformContext, form: URLSearchParams): { status: number; html: string } {
  const userCode = form.get('otc') ?? '';
  try {
    if (form.get('action') === 'deny') {
      declineDeviceCode(context, userCode);
      return { status: 200, html: deviceLoginPage({ users: USERS, outcome: { kind: 'declined' } }) };
    }
    const grant = approveDeviceCode(context, userCode, form.get('login') ?? '');
    const appName = findApp(grant.clientId)?.displayName ?? grant.clientId;
    return { status: 200, html: deviceLoginPage({ users: USERS, outcome: { kind: 'approved', appName } }) };
  } catch (error) {
    if (!(error instanceof EntraError)) throw error;
    const body = errorBody(error, context.baseUrl, undefined);
    return { status: 400, html: deviceLoginPage({ users: USERS, userCode, outcome: { kind: 'error', body } }) };
  }
}
