/**
 * Opening a connection to a mail server: TCP, or TLS from the first byte, and the in-place TLS
 * upgrade after STARTTLS/STLS. Every connection of our own (POP3, the IMAP listing connection,
 * the probes) opens here, and imapflow and nodemailer get the same TLS options: the account's
 * CA beside the system's, never instead of it, and certificate checks always on. A failure of
 * the handshake is a SocketFailure whose kind comes from the one table (src/socket-failure.ts).
 */
import { isIP, Socket, connect as connectTcp } from 'node:net';
import { connect as connectTls, ConnectionOptions, TLSSocket } from 'node:tls';
import { describeError, socketFailureOf, SocketFailureKind } from '../../socket-failure';
import { MailServer } from '../server';
import { secureContextTrusting } from './tls-trust';

/** The TLS options of every connection to `server`; the caller adds the host and port or the socket. */
export function tlsOptions(server: MailServer): ConnectionOptions {
  return {
    // SNI takes names only; an IP address is still checked against the certificate's SANs.
    servername: isIP(server.host) ? undefined : server.host,
    secureContext: server.ca ? secureContextTrusting(server.ca) : undefined,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  };
}

/** Why a connection could not be opened or secured; `timeout`: TCP was up, the TLS handshake never finished. */
export type ConnectFailureKind = SocketFailureKind | 'timeout';

/** Opening or securing a connection failed; `message` is for the log, the protocol explains it to the user. */
export class SocketFailure extends Error {
  constructor(readonly kind: ConnectFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SocketFailure';
  }
}

/** Connects to `server`, with TLS from the first byte when `tls`; resolves once TCP (and the verified handshake) is up. */
export async function openSocket(server: MailServer, tls: boolean, timeoutMs: number): Promise<Socket> {
  const socket = tls
    ? connectTls({ ...tlsOptions(server), host: server.host, port: server.port })
    : connectTcp({ host: server.host, port: server.port });
  await handshake(socket, tls, false, timeoutMs);
  return socket;
}

/**
 * Starts TLS on an open socket, after the server agreed to STARTTLS. The caller stops reading
 * the plain socket first: nothing the server sent in clear may be believed.
 */
export async function upgradeSocket(server: MailServer, plain: Socket, timeoutMs: number): Promise<TLSSocket> {
  // From here on the TLS socket reports the plain socket's failures; this only keeps them from going unhandled.
  plain.on('error', () => {});
  const secure = connectTls({ ...tlsOptions(server), host: server.host, socket: plain });
  await handshake(secure, true, true, timeoutMs);
  return secure;
}

/** Waits for TCP and, for TLS, the verified handshake; the failure says which went wrong. */
function handshake(socket: Socket, tls: boolean, tcpAlreadyUp: boolean, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let tcpUp = tcpAlreadyUp || socket.readyState === 'open';
    const settle = (failure?: SocketFailure) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('secureConnect', onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!failure) return resolve();
      socket.on('error', () => {});
      socket.destroy();
      reject(failure);
    };
    const onConnect = () => {
      tcpUp = true;
      if (!tls) settle();
    };
    const onReady = () => settle();
    const onError = (error: Error) => {
      // A code the table knows says it all; an unknown one is the TLS handshake failing, or TCP never coming up.
      const kind = socketFailureOf(error)?.kind ?? (!tcpUp ? 'unreachable' : tls ? 'tls-failed' : 'connection-dropped');
      settle(new SocketFailure(kind, describeError(error), { cause: error }));
    };
    const onClose = () => settle(tcpUp
      ? new SocketFailure('connection-dropped', `closed during the ${tls ? 'TLS handshake' : 'connection'}`)
      : new SocketFailure('unreachable', 'connection closed before it was established'));
    const timer = setTimeout(() => settle(tcpUp
      ? new SocketFailure('timeout', `no TLS handshake within ${timeoutMs / 1000} s`)
      : new SocketFailure('unreachable', `ETIMEDOUT: no connection within ${timeoutMs / 1000} s`, { cause: Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }) })),
    timeoutMs);
    socket.on('connect', onConnect);
    socket.on('secureConnect', onReady);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
