/**
 * Holds one of an account's connections: opens it on first use, hands the same one out while it
 * is usable, and replaces it when it is gone (imapflow clients cannot reconnect, so a new one is
 * made). Sign-in happens here: a refused token is renewed once before the refusal counts.
 */
import { CredentialsProvider, MailLog, XOAuth2Credentials } from '../server';
import { classifyFailure } from './failures';

export interface SlotConnection {
  readonly usable: boolean;
  close(): Promise<void> | void;
}

export type OpenConnection<C> = (credentials: XOAuth2Credentials) => Promise<C>;

export class ConnectionSlot<C extends SlotConnection> {
  private current?: Promise<C>;
  private renewNext = false;
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly open: OpenConnection<C>,
    private readonly credentials: CredentialsProvider,
    private readonly log: MailLog,
  ) {}

  /** The open connection, or a new one. Concurrent callers share one connection attempt. */
  async get(): Promise<C> {
    if (this.closed) throw new Error(`the ${this.name} connection was closed`);
    if (this.current) {
      try {
        const connection = await this.current;
        if (connection.usable) return connection;
      } catch {
        // The attempt failed: make a new one below.
      }
    }
    const attempt = this.connect();
    this.current = attempt;
    attempt.catch(() => {
      if (this.current === attempt) this.current = undefined;
    });
    return attempt;
  }

  /** Forgets the connection; `renew` when the server said the token was the problem. */
  discard(options: { renew: boolean }): void {
    const previous = this.current;
    this.current = undefined;
    if (options.renew) this.renewNext = true;
    previous?.then((c) => c.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const previous = this.current;
    this.current = undefined;
    if (!previous) return;
    try {
      await (await previous).close();
    } catch {
      // Closing a connection that never opened.
    }
  }

  private async connect(): Promise<C> {
    const renew = this.renewNext;
    this.renewNext = false;
    const credentials = await this.credentials(renew ? { renew: true } : undefined);
    try {
      return await this.open(credentials);
    } catch (error) {
      if (renew || classifyFailure(error).kind !== 'auth-refused') throw error;
      // A cached token can be refused before its expiry (revoked, or the server's clock): one
      // more try with a fresh token before telling the user to sign in.
      this.log.info(`IMAP ${this.name}: the server refused the token; trying once more with a new one.`);
      return this.open(await this.credentials({ renew: true }));
    }
  }
}
