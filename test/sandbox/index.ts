/**
 * The whole sandbox — the local identity platform and the mail servers — started and stopped as
 * one, for the tests, the benchmarks and the demo. `describeSandbox` gives what a client needs
 * (also written to `.sandbox/sandbox.json`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCertificates, SandboxCertificates } from './certificates';
import { appByKey, CONTOSO_TENANT_ID, USERS } from './directory';
import { IdentityPlatform, startIdentityPlatform } from './identity';
import { mailFaultRoutes } from './exchange/control-routes';
import { ensureMailPackages, MailPorts, MailServers, startMailServers } from './mail';

export interface SandboxOptions {
  stateDir: string;
  /** Seed alice's 1,000 extra folders for the benchmarks. */
  benchFolders?: boolean;
  /** Well-known ports instead of free ones, so settings pasted from `npm run sandbox` stay valid. */
  fixedPorts?: boolean;
}

/** The ports of `npm run sandbox` and `npm run demo`. */
export const FIXED_PORTS = { identity: 9443, imapExchange: 9930, imapModern: 9931, pop3: 9950, smtp: 9587, codeServer: 9080 };

export interface Endpoint {
  host: string;
  port: number;
}

export interface SandboxInfo {
  /** Authority of the contoso tenant, as MSAL takes it. */
  authority: string;
  /** Scheme, host and port of the identity platform: an account's `authorityHost`. */
  authorityHost: string;
  tenantId: string;
  tokenEndpoint: string;
  /** The sandbox CA: what a client must trust (an account's `caFile`). */
  caFile: string;
  /** Loopback control API for tests and the demo. */
  controlUrl: string;
  imap: { exchange: Endpoint; modern: Endpoint };
  pop3: Endpoint;
  smtp: Endpoint;
  users: { address: string; displayName: string; tenantId: string; shared: boolean }[];
  apps: {
    public: { clientId: string };
    publicNoDeviceFlow: { clientId: string };
    web: { clientId: string; clientSecret: string };
    daemon: { clientId: string; clientSecret: string; mailbox: string };
    daemonCert: { clientId: string; certificateFile: string; privateKeyFile: string; thumbprintSha256: string; mailbox: string };
  };
  /** Where the mail servers log why they refused a token. */
  mailLogFile: string;
}

export interface Sandbox {
  info: SandboxInfo;
  identity: IdentityPlatform;
  /** The running mail servers (after `restartMail`, the new ones). */
  readonly mail: MailServers;
  certificates: SandboxCertificates;
  /**
   * Stops the mail servers and starts them again on the same ports and mailboxes, running
   * `whileStopped` in between: the fixture's own lifecycle test.
   */
  restartMail(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  mkdirSync(options.stateDir, { recursive: true });
  await ensureMailPackages();
  const certificates = ensureCertificates(options.stateDir);
  const identity = await startIdentityPlatform({ stateDir: options.stateDir, certificates, port: options.fixedPorts ? FIXED_PORTS.identity : undefined });
  const startMail = (ports?: MailPorts) => startMailServers({ stateDir: options.stateDir, certificates, signingKeysDir: identity.signingKeysDir,
    benchFolders: options.benchFolders, ports });
  let mail: MailServers;
  try {
    mail = await startMail(options.fixedPorts ? FIXED_PORTS : undefined);
  } catch (err) {
    await identity.stop();
    throw err;
  }
  identity.serveControl(mailFaultRoutes(mail.faults));
  const info = describeSandbox(identity, mail, certificates);
  writeFileSync(join(options.stateDir, 'sandbox.json'), JSON.stringify(info, null, 2));
  return {
    info, identity, certificates,
    get mail() { return mail; },
    async restartMail(whileStopped) {
      await mail.stop();
      await whileStopped?.();
      mail = await startMail({ imapExchange: info.imap.exchange.port, imapModern: info.imap.modern.port, pop3: info.pop3.port, smtp: info.smtp.port });
      identity.serveControl(mailFaultRoutes(mail.faults));
    },
    async stop() {
      await Promise.allSettled([mail.stop(), identity.stop()]);
    },
  };
}

function describeSandbox(identity: IdentityPlatform, mail: MailServers, certificates: SandboxCertificates): SandboxInfo {
  const daemon = appByKey('daemon');
  const daemonCert = appByKey('daemonCert');
  const web = appByKey('web');
  return {
    authority: identity.authority(CONTOSO_TENANT_ID),
    authorityHost: identity.url,
    tenantId: CONTOSO_TENANT_ID,
    tokenEndpoint: identity.tokenEndpoint(CONTOSO_TENANT_ID),
    caFile: certificates.caFile,
    controlUrl: `${identity.url}/_sandbox`,
    imap: { exchange: mail.imap.exchange, modern: mail.imap.modern },
    pop3: mail.pop3,
    smtp: mail.smtp,
    users: USERS.map((u) => ({ address: u.upn, displayName: u.displayName, tenantId: u.tenantId, shared: Boolean(u.shared) })),
    apps: {
      public: { clientId: appByKey('public').clientId },
      publicNoDeviceFlow: { clientId: appByKey('publicNoDeviceFlow').clientId },
      web: { clientId: web.clientId, clientSecret: web.secrets[0] },
      daemon: { clientId: daemon.clientId, clientSecret: daemon.secrets[0], mailbox: daemon.mailboxPermissions[0] },
      daemonCert: {
        clientId: daemonCert.clientId, certificateFile: certificates.appCertFile, privateKeyFile: certificates.appKeyFile,
        thumbprintSha256: certificates.appThumbprintSha256, mailbox: daemonCert.mailboxPermissions[0],
      },
    },
    mailLogFile: mail.logFile,
  };
}
