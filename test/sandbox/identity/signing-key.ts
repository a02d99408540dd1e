/**
 * The platform's token-signing key: RSA-2048, made once per state directory so that tokens a
 * client cached survive a restart. Its public half goes where the mail servers look for it
 * (`<signingKeysDir>/<kid>.pem`) and into the JWKS document.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  /** Key id in the JWT header, shaped like Entra's (27 base64url characters, a SHA-1 thumbprint). */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

export interface JsonWebKey {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
}

function keyId(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki).digest('base64url');
}

export function loadOrCreateSigningKey(identityDir: string, signingKeysDir: string): SigningKey {
  mkdirSync(identityDir, { recursive: true });
  mkdirSync(signingKeysDir, { recursive: true });
  const privateFile = join(identityDir, 'signing-key.pem');
  if (!existsSync(privateFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(privateFile));
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const kid = keyId(publicKey);
  writeFileSync(join(signingKeysDir, `${kid}.pem`), publicKeyPem);
  return { kid, privateKey, publicKey, publicKeyPem };
}

/** A throwaway key for forged-signature tests: same kid, different key. */
export function foreignKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function toJsonWebKey(key: SigningKey): JsonWebKey {
  const jwk = key.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e };
}
