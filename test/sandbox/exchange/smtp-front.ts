/**
 * The sandbox's smtp.office365.com:587: a listener on loopback that speaks Exchange Online's
 * submission dialogue (./smtp-session, texts in ./smtp-replies) and relays to Postfix on an
 * internal port, which delivers into the Dovecot mailboxes.
 */
import { readFileSync } from 'node:fs';
import { AddressInfo, createServer, Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { SandboxCertificates } from '../certificates';
import { endpoint, Endpoint, LOOPBACK } from '../mail/ports';
import { MailFaults } from './faults';
import { SmtpSession } from './smtp-session';

export interface SmtpFrontOptions {
  /** Postfix's submission port, which the front relays to. */
  upstream: Endpoint;
  certificates: SandboxCertificates;
  faults: MailFaults;
  /** Where the front listens; a free port when absent. */
  port?: number;
  /** Keeps each delivered submission in the authenticated mailbox's Sent Items. */
  keepSentCopy(user: string, message: Buffer): Promise<void> | void;
  /** Largest message a mailbox may send; Exchange Online's default is 35 MB. */
  maxSendSize: number;
  /** A silent client is disconnected after this long (default 10 minutes). */
  idleTimeoutMs?: number;
}

export interface SmtpFront {
  endpoint: Endpoint;
  stop(): Promise<void>;
}

const IDLE_TIMEOUT_MS = 10 * 60_000;

export async function startSmtpFront(options: SmtpFrontOptions): Promise<SmtpFront> {
  const { certificates } = options;
  const settings = {
    upstream: options.upstream,
    ca: readFileSync(certificates.caFile, 'utf8'),
    secureContext: createSecureContext({
      cert: readFileSync(certificates.serverCertFile), key: readFileSync(certificates.serverKeyFile), minVersion: 'TLSv1.2',
    }),
    faults: options.faults,
    maxSendSize: options.maxSendSize,
    idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    keepSentCopy: options.keepSentCopy,
  };
  const sessions = new Set<SmtpSession>();
  const server = createServer((socket: Socket) => {
    const session = new SmtpSession(socket, settings);
    sessions.add(session);
    session.run()
      .catch((error: unknown) => process.stderr.write(`smtp-front: session failed: ${(error as Error).message}\n`))
      .finally(() => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, resolve);
  });
  return {
    endpoint: endpoint((server.address() as AddressInfo).port),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close(true);
      await closed;
    },
  };
}
