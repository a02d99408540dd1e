/**
 * Compact JWTs signed and checked with node:crypto alone: RS256 for what the platform issues,
 * PS256 as well for the client assertions MSAL signs with a SHA-256 certificate thumbprint.
 */
import { constants, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

export type JwtAlgorithm = 'RS256' | 'PS256';

export type JwtClaims = Record<string, unknown>;

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
  'x5t#S256'?: string;
  [name: string]: unknown;
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signedPart: string;
  signature: Buffer;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function base64urlJson(value: unknown): string {
  return base64url(JSON.stringify(value));
}

/** PS256 signs with a salt as long as the digest (as jsonwebtoken does); checking accepts any salt length. */
function rsaPadding(alg: JwtAlgorithm, purpose: 'sign' | 'verify'): { padding: number; saltLength?: number } {
  if (alg !== 'PS256') return { padding: constants.RSA_PKCS1_PADDING };
  const saltLength = purpose === 'sign' ? constants.RSA_PSS_SALTLEN_DIGEST : constants.RSA_PSS_SALTLEN_AUTO;
  return { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
}

export function signJwt(header: JwtHeader, claims: JwtClaims, privateKey: KeyObject): string {
  const alg = header.alg as JwtAlgorithm;
  const signedPart = `${base64urlJson(header)}.${base64urlJson(claims)}`;
  const signature = sign('sha256', Buffer.from(signedPart), { key: privateKey, ...rsaPadding(alg, 'sign') });
  return `${signedPart}.${base64url(signature)}`;
}

/** Splits a JWT without trusting it; undefined when it is not a well-formed compact JWS. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as JwtHeader;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims;
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return { header, claims, signedPart: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject | string): boolean {
  const alg = jwt.header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') return false;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  try {
    return verify('sha256', Buffer.from(jwt.signedPart), { key, ...rsaPadding(alg, 'verify') }, jwt.signature);
  } catch {
    return false;
  }
}
