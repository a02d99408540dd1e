/**
 * A hostile identity platform on https://127.0.0.1 (the throwaway CA's certificate): it serves
 * the OpenID discovery MSAL needs, and answers the token endpoint however a case says — never,
 * a byte at a time, endlessly, with garbage. It records what the client posted.
 */
import { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throwawayIdentity } from '../../sandbox/certificates';

export type TokenEndpoint = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export class HostileIdentity {
  /** Request bodies the token endpoint received. */
  readonly posted: string[] = [];
  private readonly sockets = new Set<Duplex>();

  private readonly server: Server;

  private constructor(tokenEndpoint: TokenEndpoint) {
    const { key, cert } = throwawayIdentity();
    this.server = createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const tenant = (req.url ?? '/').split('/')[1] ?? 'common';
        if (req.url?.includes('/.well-known/openid-configuration')) {
          const base = `${this.origin}/${tenant}`;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({
            issuer: `${base}/v2.0`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}/oauth2/v2.0/token`, jwks_uri: `${base}/discovery/v2.0/keys`,
          }));
          return;
        }
        this.posted.push(body);
        void Promise.resolve(tokenEndpoint(req, res, body)).catch(() => res.destroy());
      });
    });
    this.server.on('connection', (socket: Duplex) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(tokenEndpoint: TokenEndpoint): Promise<HostileIdentity> {
    const identity = new HostileIdentity(tokenEndpoint);
    await new Promise<void>((resolve) => identity.server.listen(0, '127.0.0.1', resolve));
    return identity;
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get tokenUrl(): string {
    return `${this.origin}/contoso.test/oauth2/v2.0/token`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
