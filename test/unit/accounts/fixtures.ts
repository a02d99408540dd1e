import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLIENT_ID = '0d2c1b4a-1111-4aaa-8bbb-000000000001';
export const TENANT_ID = '5f3c2b1a-8d7e-4c6b-9a1f-2e3d4c5b6a70';

let pki: { dir: string; caFile: string; keyFile: string; notPem: string } | undefined;

/** A self-signed CA certificate and its key, made once per run with the openssl CLI. */
export function testPki(): { dir: string; caFile: string; keyFile: string; notPem: string } {
  if (pki) return pki;
  const dir = mkdtempSync(join(tmpdir(), 'exchange-mail-accounts-'));
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', caFile,
    '-days', '2', '-subj', '/CN=Exchange Mail Test CA'], { stdio: 'ignore' });
  const notPem = join(dir, 'notes.txt');
  writeFileSync(notPem, 'not a certificate\n');
  pki = { dir, caFile, keyFile, notPem };
  return pki;
}
