/**
 * What users and apps were granted: consent per user and app, authorization codes, device
 * codes and refresh tokens. Codes live in memory (minutes long, as in Entra); refresh tokens are
 * sealed blobs under a key kept in the state directory, so a client's cached refresh token still
 * works after the sandbox restarts, as it would against Entra.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OidcScope, RequestedScopes } from './resources';

const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3600 * 1000;
const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface AuthorizationCodeGrant {
  code: string;
  clientId: string;
  redirectUri: string;
  upn: string;
  authoritySegment: string;
  oidc: OidcScope[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

export type DeviceCodeState =
  | { kind: 'pending' }
  | { kind: 'approved'; upn: string }
  | { kind: 'declined' }
  | { kind: 'failed'; code: number; text: string }
  | { kind: 'redeemed' };

export interface DeviceCodeGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  authoritySegment: string;
  scope: string;
  requested: RequestedScopes;
  expiresAt: number;
  state: DeviceCodeState;
}

/** What a refresh token stands for; sealed inside the token itself. */
export interface RefreshGrant {
  clientId: string;
  upn: string;
  oidc: OidcScope[];
  /** Consented permission ids at issue time (`https://outlook.office.com/SMTP.Send`). */
  consent: string[];
  issuedAt: number;
  expiresAt: number;
}

/** An /authorize request waiting for a person on the sign-in page. */
export interface PendingSignIn {
  id: string;
  authoritySegment: string;
  query: Record<string, string>;
}

export class GrantStore {
  private readonly consents = new Map<string, Set<string>>();
  private readonly codes = new Map<string, AuthorizationCodeGrant>();
  private readonly deviceCodes = new Map<string, DeviceCodeGrant>();
  private readonly pendingSignIns = new Map<string, PendingSignIn>();
  /** Per user: refresh tokens issued before this instant (ms) are revoked. */
  private readonly tokensValidFrom = new Map<string, number>();
  private readonly sealingKey: Buffer;

  constructor(identityDir: string) {
    const keyFile = join(identityDir, 'refresh-token-key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    this.sealingKey = readFileSync(keyFile);
  }

  consentOf(clientId: string, upn: string): Set<string> {
    return new Set(this.consents.get(`${clientId}|${upn}`) ?? []);
  }

  addConsent(clientId: string, upn: string, permissionIds: Iterable<string>): Set<string> {
    const key = `${clientId}|${upn}`;
    const consent = this.consents.get(key) ?? new Set<string>();
    for (const id of permissionIds) consent.add(id);
    this.consents.set(key, consent);
    return new Set(consent);
  }

  issueCode(grant: Omit<AuthorizationCodeGrant, 'code' | 'expiresAt' | 'redeemed'>): string {
    const code = `1.A${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, { ...grant, code, expiresAt: Date.now() + AUTHORIZATION_CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  findCode(code: string): AuthorizationCodeGrant | undefined {
    return this.codes.get(code);
  }

  addDeviceCode(grant: DeviceCodeGrant): void {
    this.deviceCodes.set(grant.deviceCode, grant);
  }

  findDeviceCode(deviceCode: string): DeviceCodeGrant | undefined {
    return this.deviceCodes.get(deviceCode);
  }

  findUserCode(userCode: string): DeviceCodeGrant | undefined {
    const wanted = userCode.trim().toUpperCase();
    return [...this.deviceCodes.values()].find((g) => g.userCode === wanted);
  }

  pendingDeviceCodes(): DeviceCodeGrant[] {
    return [...this.deviceCodes.values()].filter((g) => g.state.kind === 'pending' && g.expiresAt > Date.now());
  }

  addPendingSignIn(authoritySegment: string, query: Record<string, string>): PendingSignIn {
    const pending = { id: randomBytes(18).toString('base64url'), authoritySegment, query };
    this.pendingSignIns.set(pending.id, pending);
    return pending;
  }

  takePendingSignIn(id: string): PendingSignIn | undefined {
    const pending = this.pendingSignIns.get(id);
    this.pendingSignIns.delete(id);
    return pending;
  }

  issueRefreshToken(grant: Omit<RefreshGrant, 'issuedAt' | 'expiresAt'>): string {
    const sealed: RefreshGrant = { ...grant, issuedAt: Date.now(), expiresAt: Date.now() + REFRESH_TOKEN_LIFETIME_MS };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
    return `1.AV${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Opens a refresh token; undefined when it is not one of ours (tampered, foreign, garbage). */
  openRefreshToken(token: string): RefreshGrant | undefined {
    if (!token.startsWith('1.AV')) return undefined;
    try {
      const raw = Buffer.from(token.slice(4), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.sealingKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as RefreshGrant;
    } catch {
      return undefined;
    }
  }

  isRevoked(grant: RefreshGrant): boolean {
    return grant.issuedAt < (this.tokensValidFrom.get(grant.upn) ?? 0);
  }

  /** Like revokeSignInSessions: every refresh token the user holds stops working now. */
  revokeRefreshTokens(upn: string): void {
    // One millisecond ahead, so a token issued in this same millisecond is revoked too.
    this.tokensValidFrom.set(upn.toLowerCase(), Date.now() + 1);
  }

  clear(): void {
    this.consents.clear();
    this.codes.clear();
    this.deviceCodes.clear();
    this.pendingSignIns.clear();
    this.tokensValidFrom.clear();
  }
}
