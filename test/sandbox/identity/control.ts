/**
 * The control API tests and the demo use to play the person and the tenant admin: approve or
 * decline a device code, sign a user in automatically, make the next token request fail, revoke
 * a user's refresh tokens, shorten token lifetimes, count requests, and mint tokens with
 * arbitrary claims for the mail servers' negative tests. The same operations are served over
 * HTTP under `/_sandbox/` by `controlRoute`.
 */
import { appByKey, findApp, findUser } from '../directory';
import { DEFAULT_SETTINGS, PlatformContext } from './context';
import { EntraError, errorBody } from './errors';
import { Fault } from './faults';
import { approveDeviceCode, declineDeviceCode } from './flows/device-code';
import { JwtClaims, JwtHeader } from './jwt';
import { EXCHANGE } from './resources';
import { foreignKey } from './signing-key';

export interface DeviceCodeSummary {
  userCode: string;
  clientId: string;
  appName: string;
  scope: string;
  expiresAt: string;
}

export interface MintOptions {
  /** Whose token it is (upn, tenant, oid, name from the directory); alice by default. */
  user?: string;
  /** Sign with a freshly made key under the platform's kid: a forged token. */
  signWithForeignKey?: boolean;
  /** Claims to leave out of the default set (`exp`, `upn`, ...). */
  omitClaims?: string[];
  /** Header fields to change (`kid`, `alg`, `typ`). */
  header?: Partial<JwtHeader>;
}

export interface IdentityControl {
  /** A person signs in as `upn` on /devicelogin for this code; throws Entra's refusal (an EntraError). */
  approveDeviceCode(userCode: string, upn: string): void;
  denyDeviceCode(userCode: string): void;
  pendingDeviceCodes(): DeviceCodeSummary[];
  /** /authorize signs this user in at once, without a page; null brings the page back. */
  setAutoSignIn(upn: string | null): void;
  /** The next matching request fails with this AADSTS error. */
  failNext(fault: Fault): void;
  revokeRefreshTokens(upn: string): void;
  /** Token requests from now on wait (counted, not answered) until the returned release is called. */
  holdTokenReplies(): () => void;
  /** Lifetime of access tokens minted from now on; 0 or negative for already-expired tokens. */
  setAccessTokenLifetime(seconds: number): void;
  setDeviceCodeInterval(seconds: number): void;
  /** Requests received per endpoint, and per grant type as `token:<grant_type>`. */
  counts(): Record<string, number>;
  resetCounts(): void;
  /** An access token with arbitrary claims: by default a valid delegated Exchange token for alice (or `options.user`). */
  mintAccessToken(claimsOverride?: JwtClaims, options?: MintOptions): string;
  /** Back to the state after start: default settings, no grants, faults or counts. */
  reset(): void;
}

export function createControl(context: PlatformContext): IdentityControl {
  const heldReleases = new Set<() => void>();
  return {
    approveDeviceCode(userCode, upn) {
      approveDeviceCode(context, userCode, upn);
    },
    denyDeviceCode(userCode) {
      declineDeviceCode(context, userCode);
    },
    pendingDeviceCodes() {
      return context.grants.pendingDeviceCodes().map((g) => ({
        userCode: g.userCode,
        clientId: g.clientId,
        appName: findApp(g.clientId)?.displayName ?? g.clientId,
        scope: g.scope,
        expiresAt: new Date(g.expiresAt).toISOString(),
      }));
    },
    setAutoSignIn(upn) {
      context.settings.autoSignInUpn = upn;
    },
    failNext(fault) {
      context.faults.add(fault);
    },
    revokeRefreshTokens(upn) {
      context.grants.revokeRefreshTokens(upn);
    },
    holdTokenReplies() {
      let release = () => undefined as void;
      context.tokenRepliesHeld = new Promise<void>((resolve) => {
        release = () => {
          if (context.tokenRepliesHeld === held) context.tokenRepliesHeld = undefined;
          resolve();
        };
      });
      const held = context.tokenRepliesHeld;
      heldReleases.add(release);
      return release;
    },
    setAccessTokenLifetime(seconds) {
      context.settings.accessTokenLifetimeSeconds = seconds;
    },
    setDeviceCodeInterval(seconds) {
      context.settings.deviceCodeIntervalSeconds = seconds;
    },
    counts() {
      return context.counts.snapshot();
    },
    resetCounts() {
      context.counts.reset();
    },
    mintAccessToken(claimsOverride = {}, options = {}) {
      const upn = options.user ?? 'alice@contoso.test';
      const user = findUser(upn);
      if (!user) throw new Error(`the sandbox directory has no ${upn}`);
      const claims = {
        ...context.tokens.userAccessClaims({
          app: appByKey('public'), user, resource: EXCHANGE,
          permissions: ['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send'],
          lifetimeSeconds: context.settings.accessTokenLifetimeSeconds, proof: 'public',
        }),
        ...claimsOverride,
      };
      for (const name of options.omitClaims ?? []) delete claims[name];
      const key = options.signWithForeignKey ? foreignKey(context.key.kid) : context.key;
      return context.tokens.sign(claims, options.header, key);
    },
    reset() {
      Object.assign(context.settings, DEFAULT_SETTINGS);
      context.grants.clear();
      context.faults.clear();
      context.counts.reset();
      for (const release of heldReleases) release();
      heldReleases.clear();
    },
  };
}

export interface ControlReply {
  status: number;
  body: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function seconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('seconds must be a number');
  return value;
}

/** Serves `/_sandbox/<route>`; `body` is the parsed JSON request body (or {}). */
export function controlRoute(context: PlatformContext, control: IdentityControl, method: string, route: string,
  body: Record<string, unknown>): ControlReply {
  const ok = { status: 200, body: { ok: true } };
  try {
    switch (`${method} ${route}`) {
      case 'GET device-codes': return { status: 200, body: control.pendingDeviceCodes() };
      case 'POST device-codes/approve': control.approveDeviceCode(text(body.userCode), text(body.upn)); return ok;
      case 'POST device-codes/deny': control.denyDeviceCode(text(body.userCode)); return ok;
      case 'POST auto-sign-in': control.setAutoSignIn(typeof body.upn === 'string' ? body.upn : null); return ok;
      case 'POST fail-next': control.failNext(body as unknown as Fault); return ok;
      case 'POST revoke-refresh-tokens': control.revokeRefreshTokens(text(body.upn)); return ok;
      case 'POST access-token-lifetime': control.setAccessTokenLifetime(seconds(body.seconds)); return ok;
      case 'POST device-code-interval': control.setDeviceCodeInterval(seconds(body.seconds)); return ok;
      case 'GET counts': return { status: 200, body: control.counts() };
      case 'POST counts/reset': control.resetCounts(); return ok;
      case 'GET settings': return { status: 200, body: { ...context.settings } };
      case 'POST mint-access-token': {
        const claims = (body.claims ?? {}) as JwtClaims;
        const options: MintOptions = {
          user: typeof body.user === 'string' ? body.user : undefined,
          signWithForeignKey: body.signWithForeignKey === true,
          omitClaims: Array.isArray(body.omitClaims) ? body.omitClaims.map(String) : undefined,
          header: body.header as Partial<JwtHeader> | undefined,
        };
        return { status: 200, body: { access_token: control.mintAccessToken(claims, options) } };
      }
      case 'POST reset': control.reset(); return ok;
      default: return context.moreControl?.(method, route, body) ?? { status: 404, body: { error: 'not_found', error_description: `No control route ${method} /_sandbox/${route}` } };
    }
  } catch (error) {
    if (error instanceof EntraError) return { status: error.status, body: errorBody(error, context.baseUrl, undefined) };
    if (error instanceof TypeError) return { status: 400, body: { error: 'invalid_request', error_description: error.message } };
    throw error;
  }
}
