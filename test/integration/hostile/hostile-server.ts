/**
 * A scriptable hostile server on 127.0.0.1 for any line protocol (IMAP, POP3, SMTP): each
 * connection runs an async script that reads the client's lines one by one and answers as it
 * likes — strips STARTTLS, injects bytes before TLS, trickles, floods, never answers. It records
 * every byte the client sent and whether it came over TLS, so a test can tell whether a token
 * ever crossed in clear.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { createSecureContext, SecureContext, TLSSocket } from 'node:tls';
import type { MailServer, Security } from '../../../src/mail/server';
import { throwawayIdentity } from '../../sandbox/certificates';

export interface Peer {
  /** The client's next line, without CRLF; rejects once the client has gone. */
  line(): Promise<string>;
  /** Writes text or bytes as they are. */
  send(data: string | Buffer): void;
  /** Writes lines, each followed by CRLF. */
  reply(...lines: string[]): void;
  /** Becomes the server side of TLS on this connection (after STARTTLS/STLS). */
  startTls(): void;
  /** Writes `text` one byte every `msPerByte` until done or the client goes. */
  trickle(text: string, msPerByte: number): Promise<void>;
  /** Writes `unit` again and again, respecting back-pressure, until `bytes` are out or the client goes. */
  flood(unit: string, bytes: number): Promise<void>;
  /** Resolves when the client has closed the connection. */
  readonly gone: Promise<void>;
  /** False once the client has closed the connection: endless scripts stop then. */
  readonly open: boolean;
}

export type Script = (peer: Peer) => Promise<void>;

let serverContext: SecureContext | undefined;

function context(): SecureContext {
  const { key, cert } = throwawayIdentity();
  serverContext ??= createSecureContext({ key, cert });
  return serverContext;
}

export class HostileServer {
  /** Bytes the clients sent over connections without TLS, in order of arrival. */
  readonly cleartext: Buffer[] = [];
  /** Bytes the clients sent over TLS. */
  readonly encrypted: Buffer[] = [];
  connections = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, private readonly tlsFromStart: boolean, private readonly script: Script) {}

  /** `tls`: TLS from the first byte; `plain`: cleartext until the script calls `startTls()`. */
  static async start(mode: 'tls' | 'plain', script: Script): Promise<HostileServer> {
    // The certificate is made before the case's clock starts.
    context();
    const server = createServer();
    const hostile = new HostileServer(server, mode === 'tls', script);
    server.on('connection', (socket) => hostile.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hostile;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The account's server settings that reach this server, trusting its throwaway CA. */
  mailServer(security: Security): MailServer {
    return { host: '127.0.0.1', port: this.port, security, ca: throwawayIdentity().ca };
  }

  /** Whether `secret` crossed a connection without TLS, as is or inside a base64 SASL response. */
  sawInClear(secret: string): boolean {
    const text = Buffer.concat(this.cleartext).toString('latin1');
    if (text.includes(secret)) return true;
    return (text.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? []).some((run) => Buffer.from(run, 'base64').toString('latin1').includes(secret));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(raw: Socket): void {
    this.connections++;
    this.sockets.add(raw);
    raw.on('error', () => {});
    let socket: Socket = this.tlsFromStart ? new TLSSocket(raw, { isServer: true, secureContext: context() }) : raw;
    let pending = '';
    const lines: string[] = [];
    let waiting: { resolve(line: string): void; reject(error: Error): void } | undefined;
    let closed = false;
    let onGone: () => void = () => {};
    const gone = new Promise<void>((resolve) => { onGone = resolve; });
    const finish = () => {
      closed = true;
      this.sockets.delete(raw);
      onGone();
      waiting?.reject(new Error('the client went away'));
      waiting = undefined;
    };
    raw.on('close', finish);
    const onData = (chunk: Buffer) => {
      (socket instanceof TLSSocket ? this.encrypted : this.cleartext).push(chunk);
      pending += chunk.toString('latin1');
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w.resolve(line);
        } else {
          lines.push(line);
        }
        newline = pending.indexOf('\n');
      }
    };
    const write = (data: string | Buffer) => {
      if (!closed && !socket.destroyed) socket.write(data);
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const peer: Peer = {
      gone,
      get open() { return !closed; },
      line: () => {
        const queued = lines.shift();
        if (queued !== undefined) return Promise.resolve(queued);
        if (closed) return Promise.reject(new Error('the client went away'));
        return new Promise<string>((resolve, reject) => { waiting = { resolve, reject }; });
      },
      send: write,
      reply: (...replyLines) => write(replyLines.map((l) => `${l}\r\n`).join('')),
      startTls: () => {
        socket.off('data', onData);
        pending = '';
        socket = new TLSSocket(raw, { isServer: true, secureContext: context() });
        socket.on('error', () => {});
        socket.on('data', onData);
      },
      trickle: async (text, msPerByte) => {
        for (const char of text) {
          if (closed) return;
          write(char);
          await sleep(msPerByte);
        }
      },
      flood: async (unit, bytes) => {
        const block = Buffer.from(unit.repeat(Math.max(1, Math.floor(65536 / unit.length))));
        for (let sent = 0; sent < bytes && !closed && !socket.destroyed; sent += block.length) {
          if (!socket.write(block)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), gone]);
        }
      },
    };
    socket.on('error', () => {});
    socket.on('data', onData);
    this.script(peer).catch(() => undefined);
  }
}
