/**
 * The listener every Exchange front on implicit TLS shares (IMAP 993, POP3 995): it accepts
 * clients on loopback with the sandbox server certificate and pairs each with its own TLS
 * connection to the Dovecot port behind it (trusting the sandbox CA); what the two say to each
 * other is the protocol's session's business.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { connect, createServer, TLSSocket } from 'node:tls';
import { SandboxCertificates } from '../certificates';
import { endpoint, Endpoint, LOOPBACK } from '../mail/ports';

export interface TlsFrontOptions {
  /** Dovecot's listener over implicit TLS, with the sandbox server certificate. */
  upstream: Endpoint;
  certificates: SandboxCertificates;
  /** A fixed port (the demo's settings stay valid); a free one when absent. */
  port?: number;
}

export interface RunningFront {
  endpoint: Endpoint;
  /** Closes every session and the listener. */
  stop(): Promise<void>;
}

export async function startTlsFront(options: TlsFrontOptions, session: (client: TLSSocket, upstream: TLSSocket) => void): Promise<RunningFront> {
  const ca = readFileSync(options.certificates.caFile);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = createServer({
    cert: readFileSync(options.certificates.serverCertFile),
    key: readFileSync(options.certificates.serverKeyFile),
    minVersion: 'TLSv1.2',
  }, (client: TLSSocket) => {
    track(client);
    const upstream = connect({ host: options.upstream.host, port: options.upstream.port, ca });
    track(upstream);
    // Without this, Nagle's algorithm held a reply's tagged line, written after its untagged
    // ones, until the client acknowledged them: 40 ms (its delayed ACK) added to one command
    // in many, depending on how the client reads. A server writes its reply as it comes.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    session(client, upstream);
  });
  // A client that refuses the certificate (a test of exactly that) is no error of the front's.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: endpoint(port),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
