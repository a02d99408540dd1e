/**
 * The sandbox's Microsoft identity platform: a stand-in for login.microsoftonline.com on
 * loopback HTTPS that behaves as Entra does wherever a client (MSAL, the product's diagnostics)
 * can see it, with tenants, users and app registrations from `../directory`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SandboxCertificates } from '../certificates';
import { DEFAULT_SETTINGS, MoreControlRoutes, PlatformContext, RequestCounts } from './context';
import { createControl, IdentityControl } from './control';
import { FaultQueue } from './faults';
import { GrantStore } from './grants';
import { createRequestHandler } from './server';
import { loadOrCreateSigningKey } from './signing-key';
import { TokenMinter } from './tokens';

export type { IdentityControl, MintOptions, DeviceCodeSummary } from './control';
export type { Fault } from './faults';
export { EntraError } from './errors';

export interface IdentityPlatformOptions {
  stateDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  certificates: SandboxCertificates;
}

export interface IdentityPlatform {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** `${url}/${tenant}`: what MSAL takes as `authority`. */
  authority(tenant: string): string;
  tokenEndpoint(tenant: string): string;
  /** One PEM public key per signing key, named `<kid>.pem`. */
  signingKeysDir: string;
  /** The v2.0 issuer of id tokens and openid-configuration: `${url}/${tenantId}/v2.0`. */
  issuer(tenantId: string): string;
  /** The issuer of access tokens, as Exchange's carry it: `https://sts.windows.net/${tenantId}/`. */
  accessTokenIssuer(tenantId: string): string;
  control: IdentityControl;
  /** Serves the control routes of another part of the sandbox under `/_sandbox/` too. */
  serveControl(routes: MoreControlRoutes): void;
  stop(): Promise<void>;
}

export async function startIdentityPlatform(options: IdentityPlatformOptions): Promise<IdentityPlatform> {
  const identityDir = join(options.stateDir, 'identity');
  const signingKeysDir = join(identityDir, 'signing-keys');
  const key = loadOrCreateSigningKey(identityDir, signingKeysDir);
  const server = createServer({
    key: readFileSync(options.certificates.serverKeyFile),
    cert: readFileSync(options.certificates.serverCertFile),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const context: PlatformContext = {
    baseUrl: url,
    key,
    tokens: new TokenMinter(url, key),
    grants: new GrantStore(identityDir),
    settings: { ...DEFAULT_SETTINGS },
    faults: new FaultQueue(),
    counts: new RequestCounts(),
    certificates: options.certificates,
  };
  const control = createControl(context);
  const handle = createRequestHandler(context, control);
  server.on('request', (request, response) => {
    void handle(request, response, new URL(request.url ?? '/', url));
  });
  return {
    url,
    port,
    authority: (tenant) => `${url}/${tenant}`,
    tokenEndpoint: (tenant) => `${url}/${tenant}/oauth2/v2.0/token`,
    signingKeysDir,
    issuer: (tenantId) => context.tokens.v2Issuer(tenantId),
    accessTokenIssuer: (tenantId) => context.tokens.accessTokenIssuer(tenantId),
    control,
    serveControl: (routes) => { context.moreControl = routes; },
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
