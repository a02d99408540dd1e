/**
 * The sandbox's Exchange Online IMAP endpoint: a TLS listener that speaks to clients exactly as
 * outlook.office365.com:993 does (texts, capabilities, `Inbox` in mixed case, LIST order and
 * quoting, STATUS's trailing space, faults on demand) and keeps the mailboxes in Dovecot, which
 * it reaches over TLS on loopback. What each behaviour follows is in test/sandbox/README.md.
 *
 * The front writes no log: nothing it could log (commands, XOAUTH2 payloads) is free of secrets.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { connect, createServer, TLSSocket } from 'node:tls';
import { SandboxCertificates } from '../certificates';
import { endpoint, Endpoint, LOOPBACK } from '../mail/ports';
import { MailActivity } from './activity';
import { MailFaults } from './faults';
import { ImapFrontSession } from './imap-front-session';

export interface ImapFrontOptions {
  /** Dovecot's IMAP over implicit TLS, with the sandbox server certificate. */
  upstream: Endpoint;
  certificates: SandboxCertificates;
  faults: MailFaults;
  activity?: MailActivity;
  /** A fixed port (the demo's settings stay valid); a free one when absent. */
  port?: number;
  /** A session that says nothing this long is closed (RFC 3501's autologout is at least 30 minutes). */
  idleTimeoutMs?: number;
}

export interface RunningImapFront {
  endpoint: Endpoint;
  /** Closes every session and the listener. */
  stop(): Promise<void>;
}

/** Longest line read from either side: a command with a large UID set, a SEARCH of a big folder. */
const MAX_LINE_BYTES = 1024 * 1024;
const IDLE_TIMEOUT_MS = 30 * 60_000;

export async function startImapFront(options: ImapFrontOptions): Promise<RunningImapFront> {
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
    new ImapFrontSession({
      client, upstream, faults: options.faults, activity: options.activity, maxLineBytes: MAX_LINE_BYTES, idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    });
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
