/**
 * Everything the endpoints share: the signing key, the grants, the knobs tests turn through
 * the control API, and the request counters.
 */
import { SandboxCertificates } from '../certificates';
import { FaultQueue } from './faults';
import { GrantStore } from './grants';
import { SigningKey } from './signing-key';
import { TokenMinter } from './tokens';

export interface Settings {
  /** Access-token lifetime; 0 or negative mints tokens that are already expired. */
  accessTokenLifetimeSeconds: number;
  /** When set, /authorize signs this user in at once, without a page. */
  autoSignInUpn: string | null;
  /** The polling interval handed to device-code clients (Entra says 5). */
  deviceCodeIntervalSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  accessTokenLifetimeSeconds: 3600,
  autoSignInUpn: null,
  deviceCodeIntervalSeconds: 5,
};

/** The endpoints whose requests are counted; `counts()` always reports each of them. */
export const COUNTED_ENDPOINTS = ['openid', 'keys', 'authorize', 'login', 'token', 'devicecode', 'devicelogin', 'logout', 'other'] as const;
export type CountedEndpoint = typeof COUNTED_ENDPOINTS[number];

export class RequestCounts {
  private counts = new Map<string, number>();

  add(endpoint: CountedEndpoint, detail?: string): void {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
    if (detail) this.counts.set(`${endpoint}:${detail}`, (this.counts.get(`${endpoint}:${detail}`) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const endpoint of COUNTED_ENDPOINTS) result[endpoint] = 0;
    for (const [key, value] of this.counts) result[key] = value;
    return result;
  }

  reset(): void {
    this.counts.clear();
  }
}

export interface PlatformContext {
  /** `https://127.0.0.1:PORT` */
  baseUrl: string;
  key: SigningKey;
  tokens: TokenMinter;
  grants: GrantStore;
  settings: Settings;
  faults: FaultQueue;
  /** While set, token requests are answered only once it settles (a slow Entra, on demand). */
  tokenRepliesHeld?: Promise<void>;
  counts: RequestCounts;
  certificates: SandboxCertificates;
  /** Control routes of the rest of the sandbox (the mail servers' faults), served beside the platform's own. */
  moreControl?: MoreControlRoutes;
}

/** Serves `/_sandbox/<route>` for a part of the sandbox other than the identity platform; undefined: not its route. */
export type MoreControlRoutes = (method: string, route: string, body: Record<string, unknown>) => { status: number; body: unknown } | undefined;
