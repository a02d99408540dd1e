/**
 * Checks of single fields, shared by the settings loader and the Add Account wizard. Each
 * returns what is wrong as a phrase that follows the field's name ("must be …"), or undefined.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^\[?[0-9a-f:.]*:[0-9a-f:.]*\]?$/i;
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

export const WELL_KNOWN_TENANTS = ['organizations', 'common', 'consumers'] as const;

/** `got` part of a message: the value as the user wrote it, short. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function checkEmail(value: unknown): string | undefined {
  const problem = `must be an email address such as someone@contoso.com (got ${shown(value)})`;
  if (typeof value !== 'string' || value.length > 254) return problem;
  const at = value.lastIndexOf('@');
  if (at < 1) return problem;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= 64 && EMAIL_LOCAL.test(local) && DOMAIN.test(domain) ? undefined : problem;
}

export function checkClientId(value: unknown): string | undefined {
  if (typeof value === 'string' && GUID.test(value.trim())) return undefined;
  return `must be the Application (client) ID of your app registration in Entra, a GUID such as 0d2c1b4a-1111-4aaa-8bbb-000000000001 (got ${shown(value)})`;
}

export function checkTenant(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const tenant = value.trim().toLowerCase();
    if ((WELL_KNOWN_TENANTS as readonly string[]).includes(tenant) || GUID.test(tenant) || DOMAIN.test(tenant)) return undefined;
  }
  return `must be organizations, common, consumers, a Directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com (got ${shown(value)})`;
}

export function checkPort(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return undefined;
  return `must be a number from 1 to 65535 (got ${shown(value)})`;
}

/** A port typed into an input box. */
export function parsePort(text: string): number | undefined {
  return /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

export function checkHost(value: unknown): string | undefined {
  if (typeof value === 'string' && (HOST_NAME.test(value) || IPV4.test(value) || IPV6.test(value))) return undefined;
  return `must be a host name or IP address such as outlook.office365.com (got ${shown(value)})`;
}

export function checkSecurity(value: unknown): string | undefined {
  return value === 'tls' || value === 'starttls' ? undefined : `must be "tls" or "starttls" (got ${shown(value)})`;
}

/** An https:// origin (scheme, host, optional port; no path), as identity platforms and resources are named. */
export function checkHttpsOrigin(value: unknown, example: string): string | undefined {
  const problem = `must be an https:// address without a path, such as ${example} (got ${shown(value)})`;
  if (typeof value !== 'string') return problem;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash
      && !url.username && !url.password ? undefined : problem;
  } catch {
    return problem;
  }
}

/** `https://host:port/` → `https://host:port`: one spelling per origin. */
export function normalizeOrigin(value: string): string {
  return new URL(value).origin;
}

function readText(path: string): { text?: string; problem?: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code ?? String(err);
    return { problem: `cannot be read: ${path} (${reason})` };
  }
}

/** A readable file holding at least one PEM certificate that Node can parse. */
export function checkCaFile(value: unknown): string | undefined {
  if (typeof value !== 'string' || !isAbsolute(value)) return `must be the absolute path of a PEM file of CA certificates (got ${shown(value)})`;
  const { text, problem } = readText(value);
  if (problem) return problem;
  const pem = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(text ?? '');
  if (!pem) return `must hold a PEM certificate ("-----BEGIN CERTIFICATE-----"), and ${value} holds none`;
  try {
    new X509Certificate(pem[0]);
    return undefined;
  } catch {
    return `must hold a valid PEM certificate; the one in ${value} cannot be parsed`;
  }
}

/** Reads a private key PEM file for a client certificate; what is wrong, or the PEM text. */
export function readPrivateKeyFile(path: string): { pem: string } | { problem: string } {
  if (!isAbsolute(path)) return { problem: `must be the absolute path of a PEM private key file (got ${shown(path)})` };
  const { text, problem } = readText(path);
  if (problem) return { problem };
  const pem = /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[^-]+-----END (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(text ?? '');
  if (!pem) return { problem: `must hold a PEM private key ("-----BEGIN PRIVATE KEY-----"), and ${path} holds none` };
  if (pem[1] === 'ENCRYPTED ') return { problem: `must hold an unencrypted private key; the key in ${path} is encrypted (decrypt it with \`openssl pkey -in key.pem -out plain.pem\`)` };
  try {
    createPrivateKey(pem[0]);
    return { pem: pem[0] };
  } catch {
    return { problem: `must hold a valid private key; the one in ${path} cannot be parsed` };
  }
}

/** SHA-256 thumbprint in hex; colons and spaces as certificate viewers show them are allowed. */
export function normalizeThumbprint(value: string): string {
  return value.replace(/[\s:]/g, '').toUpperCase();
}

export function checkThumbprint(value: unknown): string | undefined {
  if (typeof value === 'string' && /^[0-9A-F]{64}$/.test(normalizeThumbprint(value))) return undefined;
  const sha1 = typeof value === 'string' && /^[0-9A-F]{40}$/.test(normalizeThumbprint(value));
  return `must be the certificate's SHA-256 thumbprint, 64 hexadecimal digits${sha1 ? ' (this is a 40-digit SHA-1 thumbprint, as the Entra portal shows)' : ''}; `
    + `\`openssl x509 -in cert.pem -noout -fingerprint -sha256\` prints it (got ${shown(value)})`;
}
