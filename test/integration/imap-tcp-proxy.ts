/**
 * A TCP relay in front of a sandbox IMAP server, for what the servers themselves cannot be
 * asked to do: stop and start again on the same port under an open session (stop closes every
 * relayed connection and the listener, as a server going down does), and add latency (each
 * chunk is held `delayMs` in each direction, so a round trip costs 2 × delayMs more), or hold
 * everything the server says until told (a server slow to answer).
 */
import { createServer, Server, Socket } from 'node:net';

export interface Target {
  host: string;
  port: number;
}

export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** While holding: what the server said, to be relayed on release. */
  private held?: (() => void)[];
  port = 0;

  constructor(private readonly target: Target, private readonly delayMs = 0) {}

  /** Listens on 127.0.0.1, on the port of the previous start when there was one. */
  async start(): Promise<number> {
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.server = server;
    return this.port;
  }

  /** From now on, what the server sends waits until `release()`; connections are still accepted. */
  hold(): void {
    this.held ??= [];
  }

  /** Relays what was held, in order, and holds nothing more. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const send of held) send();
  }

  /** Chunks the server sent that wait for `release()`. */
  get heldChunks(): number {
    return this.held?.length ?? 0;
  }

  /** Drops every relayed connection and stops listening. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = new Socket();
    this.sockets.add(client);
    this.sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    this.pipe(client, upstream, false);
    this.pipe(upstream, client, true);
    upstream.connect(this.target.port, this.target.host);
  }

  private pipe(from: Socket, to: Socket, fromServer: boolean): void {
    from.on('data', (chunk: Buffer) => {
      const send = () => { if (!to.destroyed) to.write(chunk); };
      if (fromServer && this.held) this.held.push(send);
      else if (this.delayMs === 0) to.write(chunk);
      // Timers of equal delay fire in the order they were set, so chunks keep their order.
      else setTimeout(send, this.delayMs);
    });
  }
}
