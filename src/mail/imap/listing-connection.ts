/**
 * The account's listing connection: a small IMAP connection of our own, used only to list
 * folders with their counts.
 *
 * Why not imapflow: it never pipelines, so on a server without LIST-STATUS (Exchange Online)
 * its folder listing costs one round trip per folder (1,067 folders at 20 ms: 23 s). This
 * connection writes every STATUS of a listing at once and reads the replies as they come, so
 * the tree costs two round trips (LIST, then one burst of STATUS) whatever the folder count, or
 * one where the server has LIST-STATUS. The price is a second authenticated connection per
 * account (Exchange allows 20 per mailbox) and a second, deliberately tiny, wire path: greeting,
 * CAPABILITY, STARTTLS, AUTHENTICATE XOAUTH2 with SASL-IR, LIST, STATUS, LOGOUT.
 */
import { Socket } from 'node:net';
import { openSocket, upgradeSocket } from '../net/connect';
import { channelOf, xoauth2Response } from '../net/xoauth2';
import { MailServer, serverAddress, XOAuth2Credentials } from '../server';
import { ConnectionLostError, LoginRefusedError, CommandFailedError } from './failures';
import { ImapTrace } from './protocol-trace';
import { ImapResponse, parseResponse, ResponseFramer, TaggedStatus, UntaggedData } from './response-parser';

export interface ListingConnectionOptions {
  server: MailServer;
  credentials: XOAuth2Credentials;
  trace: ImapTrace;
  /** No byte from the server for this long ends the connection (default 90 s). */
  timeoutMs?: number;
  /**
   * Longest wait for a complete answer, bytes or not: connecting with its greeting, and each
   * burst of commands (default 120 s). A server trickling bytes cannot hold a listing longer.
   */
  deadlineMs?: number;
}

const DEFAULT_TIMEOUT_MS = 90_000;
const DEFAULT_DEADLINE_MS = 120_000;
/** Everything one burst may bring back: a 10,000-folder listing with counts is about 2 MB. */
const MAX_BURST_BYTES = 8 * 1024 * 1024;
/** Untagged replies one burst may bring: a 10,000-folder listing with LIST-STATUS is 20,000. Each costs a few hundred bytes of heap. */
const MAX_BURST_REPLIES = 50_000;

/** What the server said to a burst of commands: every untagged reply, and each command's completion. */
export interface BurstReply {
  data: UntaggedData[];
  /** In the order the commands were given. */
  completions: TaggedStatus[];
}

/** The burst in flight: its tags in order, the completions so far, and how many are still to come. */
interface Burst {
  tags: Map<string, number>;
  completions: TaggedStatus[];
  left: number;
  done(): void;
}

export class ListingConnection {
  private framer = new ResponseFramer();
  /** Bytes received for the burst in flight, against MAX_BURST_BYTES. */
  private burstBytes = 0;
  /** Set once the server agreed to STARTTLS: any further cleartext byte is an injection. */
  private cleartextOver = false;
  private upgrading = false;
  private current?: Burst;
  private collected: UntaggedData[] = [];
  private nextTag = 1;
  private closed = false;
  private byeReason?: string;
  /** Why the connection ended, for a caller that learns of it after its burst completed. */
  private endReason?: string;
  private socket!: Socket;
  private greeting?: (response: ImapResponse) => void;
  private continuation?: (text: string) => void;
  private queue: Promise<unknown> = Promise.resolve();
  private rejectClosed?: (error: ConnectionLostError) => void;
  /** Rejects once, when the connection ends: every wait races it. */
  private readonly closedPromise = new Promise<never>((_resolve, reject) => { this.rejectClosed = reject; });
  capabilities = new Set<string>();

  private get silenceMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private constructor(private readonly options: ListingConnectionOptions) {
    this.closedPromise.catch(() => undefined);
  }

  /** Connects, reads the greeting and logs in; throws LoginRefusedError when the token is refused. */
  static async open(options: ListingConnectionOptions): Promise<ListingConnection> {
    const connection = new ListingConnection(options);
    try {
      await connection.start();
    } catch (error) {
      connection.socket?.destroy();
      connection.lost('the connection could not be set up');
      throw error;
    }
    return connection;
  }

  get usable(): boolean {
    return !this.closed;
  }

  has(capability: string): boolean {
    return this.capabilities.has(capability.toUpperCase());
  }

  /**
   * Writes all commands at once and resolves when every one has completed. Bursts run one after
   * another, so the untagged replies of a burst are its own.
   */
  burst(commands: string[]): Promise<BurstReply> {
    const run = this.queue.then(() => this.runBurst(commands));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await Promise.race([this.burst(['LOGOUT']), new Promise((resolve) => setTimeout(resolve, 2000))]);
    } catch {
      // The connection is going away either way.
    }
    this.socket.destroy();
    this.lost('closed by the client');
  }

  private async start(): Promise<void> {
    const { server } = this.options;
    const greeted = new Promise<ImapResponse>((resolve) => { this.greeting = resolve; });
    const greeting = await this.withinDeadline('the greeting', async () => {
      const socket = await openSocket(server, server.security === 'tls', this.silenceMs);
      if (this.closed) {
        socket.destroy();
        throw new ConnectionLostError(this.endReason ?? 'the connection ended while it was being set up');
      }
      this.attach(socket);
      return Promise.race([greeted, this.closedPromise]);
    });
    if (greeting.kind !== 'status' || greeting.status === 'BYE' || greeting.status === 'BAD' || greeting.status === 'NO') {
      throw new ConnectionLostError(`the server did not greet as IMAP: ${greeting.kind === 'status' ? greeting.text : greeting.kind}`);
    }
    this.readCapabilityCode(greeting.code);
    if (server.security === 'starttls') await this.startTls();
    if (this.capabilities.size === 0) await this.burst(['CAPABILITY']);
    await this.authenticate();
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.setTimeout(this.silenceMs, () => socket.destroy(new ConnectionLostError('the server did not answer in time')));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error: Error) => this.lost(error.message));
    socket.on('close', () => this.lost('the server closed the connection'));
  }

  private async startTls(): Promise<void> {
    this.upgrading = true;
    const done = await this.burst(['STARTTLS']).finally(() => { this.upgrading = false; });
    if (done.completions[0]?.status !== 'OK') throw new CommandFailedError('STARTTLS', done.completions[0]?.status ?? 'BAD', done.completions[0]?.text ?? '');
    if (this.closed) throw new ConnectionLostError(this.byeReason ?? this.endReason ?? 'the connection ended before TLS');
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.setTimeout(0);
    // A failed handshake comes as a SocketFailure that failures.ts explains (an untrusted certificate, a plain port).
    const secured = await upgradeSocket(this.options.server, plain, this.silenceMs);
    // Nothing read in cleartext carries over: a new framer for the TLS stream.
    this.framer = new ResponseFramer();
    this.cleartextOver = false;
    this.attach(secured);
    // Capabilities read before TLS may have been forged; ask again.
    this.capabilities.clear();
    await this.burst(['CAPABILITY']);
  }

  private async authenticate(): Promise<void> {
    const { credentials, server } = this.options;
    this.options.trace.registerSecret(credentials.accessToken);
    const payload = xoauth2Response(channelOf(this.socket, `IMAP server ${serverAddress(server)}`), credentials);
    const saslIr = this.has('SASL-IR');
    // A refusal comes as a `+` challenge carrying the error, answered with an empty line.
    this.continuation = (text) => this.writeLine(saslIr || text.length > 0 ? '' : payload);
    try {
      const reply = await this.burst([saslIr ? `AUTHENTICATE XOAUTH2 ${payload}` : 'AUTHENTICATE XOAUTH2']);
      const done = reply.completions[0]!;
      if (done.status !== 'OK') throw new LoginRefusedError(`${done.status} ${done.code ? `[${done.code}] ` : ''}${done.text}`);
      if (!this.readCapabilityCode(done.code)) {
        this.capabilities.clear();
        // Exchange answers the first command after a good login with `BAD User is authenticated
        // but not connected.` when the token cannot open the mailbox: that is the answer to give.
        const capability = (await this.burst(['CAPABILITY'])).completions[0]!;
        if (capability.status !== 'OK') throw new CommandFailedError('CAPABILITY', capability.status, capability.text, capability.code);
      }
    } finally {
      this.continuation = undefined;
    }
  }

  private readCapabilityCode(code: string | undefined): boolean {
    if (!code?.toUpperCase().startsWith('CAPABILITY ')) return false;
    this.capabilities = new Set(code.slice('CAPABILITY '.length).toUpperCase().split(/\s+/).filter(Boolean));
    return true;
  }

  private async runBurst(commands: string[]): Promise<BurstReply> {
    if (this.closed) throw new ConnectionLostError(this.byeReason ?? 'the connection is closed');
    this.collected = [];
    const tags = new Map<string, number>();
    const lines = commands.map((command, i) => {
      const tag = `L${this.nextTag++}`;
      tags.set(tag, i);
      return `${tag} ${command}`;
    });
    const burst: Burst = { tags, completions: new Array<TaggedStatus>(commands.length), left: commands.length, done: () => undefined };
    const finished = new Promise<void>((resolve) => { burst.done = resolve; });
    this.current = burst;
    this.burstBytes = 0;
    this.options.trace.client(...lines);
    this.socket.write(lines.join('\r\n') + '\r\n');
    try {
      await this.withinDeadline(commands.length === 1 ? commands[0]!.split(' ')[0]! : `${commands.length} commands`,
        () => Promise.race([finished, this.closedPromise]));
    } finally {
      this.current = undefined;
    }
    const data = this.collected;
    this.collected = [];
    return { data, completions: burst.completions };
  }

  private writeLine(line: string): void {
    this.options.trace.client(line);
    this.socket.write(`${line}\r\n`);
  }

  /** Runs `wait`; when it has not settled after the deadline, the connection ends and the wait fails. */
  private async withinDeadline<T>(what: string, wait: () => Promise<T>): Promise<T> {
    const ms = this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new ConnectionLostError(`no complete answer to ${what} within ${ms / 1000} s`);
        this.abort(error);
        reject(error);
      }, ms);
    });
    try {
      return await Promise.race([wait(), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the connection now for a reason of our own (a protocol violation, a deadline). */
  private abort(error: ConnectionLostError): void {
    this.lost(error.reason);
    this.socket?.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    if (this.cleartextOver) {
      this.abort(new ConnectionLostError('the server sent data after agreeing to STARTTLS, before TLS began (possible injection)'));
      return;
    }
    this.burstBytes += chunk.length;
    if (this.burstBytes > MAX_BURST_BYTES) {
      this.abort(new ConnectionLostError(`the server sent over ${MAX_BURST_BYTES} bytes in answer to one burst of commands`));
      return;
    }
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (error) {
      this.abort(new ConnectionLostError((error as Error).message));
      return;
    }
    if (frames.length > 0) this.options.trace.server(...frames.map((frame) => frame.toString('utf8')));
    for (const [i, frame] of frames.entries()) {
      let response: ImapResponse;
      try {
        response = parseResponse(frame);
      } catch {
        continue;
      }
      this.dispatch(response);
      if (this.cleartextOver && (i < frames.length - 1 || this.framer.buffered > 0)) {
        this.abort(new ConnectionLostError('the server sent data after agreeing to STARTTLS, before TLS began (possible injection)'));
        return;
      }
    }
  }

  private dispatch(response: ImapResponse): void {
    if (this.greeting) {
      const greet = this.greeting;
      this.greeting = undefined;
      greet(response);
      return;
    }
    if (response.kind === 'continuation') {
      this.continuation?.(response.text);
      return;
    }
    if (response.kind === 'data') {
      if (response.name === 'CAPABILITY') {
        this.capabilities = new Set(response.args.filter((a): a is string => typeof a === 'string').map((a) => a.toUpperCase()));
      }
      if (this.collected.push(response) > MAX_BURST_REPLIES) {
        this.abort(new ConnectionLostError(`the server sent over ${MAX_BURST_REPLIES} replies in answer to one burst of commands`));
      }
      return;
    }
    if (response.tag === '*') {
      if (response.status === 'BYE') this.byeReason = response.text;
      return;
    }
    const burst = this.current;
    const index = burst?.tags.get(response.tag);
    if (burst && index !== undefined && burst.completions[index] === undefined) {
      burst.completions[index] = response;
      // RFC 3501 6.2.1: after the OK to STARTTLS the next bytes must be the TLS handshake.
      if (this.upgrading && response.status === 'OK') this.cleartextOver = true;
      if (--burst.left === 0) burst.done();
    }
  }

  private lost(reason: string): void {
    if (this.closed && this.rejectClosed === undefined) return;
    this.closed = true;
    this.endReason = reason;
    this.rejectClosed?.(new ConnectionLostError(this.byeReason ?? reason));
    this.rejectClosed = undefined;
  }
}
