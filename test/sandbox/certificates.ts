/**
 * The sandbox's private certificate authority and the certificates it issues: one server
 * certificate for every sandbox service on loopback (identity platform, IMAP, POP3, SMTP), and
 * the client certificate of the `daemonCert` app registration. Made with the openssl CLI once per
 * state directory and reused on the next start.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SandboxCertificates {
  /** PEM of the sandbox CA: what a client must trust. */
  caFile: string;
  /** Server certificate (SAN 127.0.0.1, ::1, localhost) and its key, shared by every service. */
  serverCertFile: string;
  serverKeyFile: string;
  /** Client-credential certificate of the `daemonCert` app, with its key and thumbprints. */
  appCertFile: string;
  appKeyFile: string;
  appThumbprintSha1: string;
  appThumbprintSha256: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function thumbprint(certFile: string, algorithm: 'sha1' | 'sha256'): string {
  const der = new X509Certificate(readFileSync(certFile)).raw;
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

export function ensureCertificates(stateDir: string): SandboxCertificates {
  const dir = join(stateDir, 'pki');
  mkdirSync(dir, { recursive: true });
  const files = {
    caFile: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    serverCertFile: join(dir, 'server.pem'),
    serverKeyFile: join(dir, 'server.key'),
    appCertFile: join(dir, 'daemon-app.pem'),
    appKeyFile: join(dir, 'daemon-app.key'),
  };
  if (!existsSync(files.caFile)) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.caKey, '-out', files.caFile,
      '-days', '3650', '-subj', '/CN=Exchange Mail Sandbox CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  }
  if (!existsSync(files.serverCertFile)) {
    const ext = join(dir, 'server.ext');
    writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\n'
      + 'keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.serverKeyFile, '-out', join(dir, 'server.csr'),
      '-subj', '/CN=localhost'], dir);
    openssl(['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', files.caFile, '-CAkey', files.caKey,
      '-CAcreateserial', '-out', files.serverCertFile, '-days', '825', '-extfile', ext], dir);
  }
  if (!existsSync(files.appCertFile)) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.appKeyFile, '-out', files.appCertFile,
      '-days', '730', '-subj', '/CN=Exchange Mail sandbox daemon'], dir);
  }
  return {
    caFile: files.caFile,
    serverCertFile: files.serverCertFile,
    serverKeyFile: files.serverKeyFile,
    appCertFile: files.appCertFile,
    appKeyFile: files.appKeyFile,
    appThumbprintSha1: thumbprint(files.appCertFile, 'sha1'),
    appThumbprintSha256: thumbprint(files.appCertFile, 'sha256'),
  };
}

export interface TlsIdentity {
  key: string;
  cert: string;
  /** The CA that issued `cert`: what a client must be told to trust. */
  ca: string;
}

let throwaway: TlsIdentity | undefined;

/** A private CA and a certificate for 127.0.0.1 it issued, made once per process in a temporary directory: for fake servers in tests. */
export function throwawayIdentity(): TlsIdentity {
  if (!throwaway) {
    const certificates = ensureCertificates(mkdtempSync(join(tmpdir(), 'exchange-mail-tls-')));
    throwaway = {
      key: readFileSync(certificates.serverKeyFile, 'utf8'),
      cert: readFileSync(certificates.serverCertFile, 'utf8'),
      ca: readFileSync(certificates.caFile, 'utf8'),
    };
  }
  return throwaway;
}
