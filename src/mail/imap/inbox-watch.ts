/**
 * Keeps the Inbox unread count current for the status bar. Where the server has IDLE, a
 * connection of its own sits in IDLE on INBOX (the session's command connection moves between
 * folders, so it cannot stay there) and recounts when the server reports new, removed or
 * re-flagged mail; elsewhere the count is polled. Either way a lost connection is replaced
 * after a growing pause, without the user doing anything.
 */
import type { ImapFlow } from 'imapflow';
import { MailLog } from '../server';
import { ConnectionSlot } from './connection-slot';
import { classifyFailure } from './failures';

export type UnreadListener = (count: number) => void;

export interface InboxWatchOptions {
  /** The IDLE connection, when the server has IDLE; undefined means poll. */
  idleSlot?: ConnectionSlot<ImapFlow>;
  /** Counts unread Inbox mail on the session's command connection (for polling). */
  countByStatus: () => Promise<number>;
  pollIntervalMs: number;
  log: MailLog;
  onCount: UnreadListener;
  backoff?: Partial<WatchBackoff>;
}

/** How the watch waits before logging in again after its connection was lost. */
export interface WatchBackoff {
  /** The pause after the first loss; each loss in a row doubles it. */
  firstPauseMs: number;
  maxPauseMs: number;
  /** A connection up this long counts as working: the next loss starts again from the first pause. */
  stableAfterMs: number;
}

/**
 * A server that accepts the login and drops the connection at once must not be logged into
 * every second: the pause doubles up to five minutes, and only a connection that stayed up two
 * minutes (several IDLE renewals' worth of a working server) earns the short pause back.
 */
const DEFAULT_BACKOFF: WatchBackoff = { firstPauseMs: 1000, maxPauseMs: 5 * 60_000, stableAfterMs: 2 * 60_000 };
const RECOUNT_DEBOUNCE_MS = 150;

export class InboxWatch {
  private stopped = false;
  private last?: number;
  private timer?: NodeJS.Timeout;
  private recountTimer?: NodeJS.Timeout;
  private failures = 0;
  private watched?: ImapFlow;
  private readonly backoff: WatchBackoff;

  constructor(private readonly options: InboxWatchOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  start(): void {
    void this.run();
  }

  /** Counts again now, e.g. after the user marked an Inbox message read. */
  refresh(): void {
    if (this.options.idleSlot && this.watched) this.scheduleRecount(this.watched);
    else if (!this.options.idleSlot) void this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.recountTimer);
    await this.options.idleSlot?.close();
  }

  private emit(count: number): void {
    if (this.stopped || count === this.last) return;
    this.last = count;
    this.options.onCount(count);
  }

  private async run(): Promise<void> {
    if (this.options.idleSlot) await this.watchWithIdle(this.options.idleSlot);
    else await this.poll();
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    if (this.stopped) return;
    try {
      this.emit(await this.options.countByStatus());
    } catch (error) {
      this.options.log.warn(`IMAP: could not count unread Inbox mail: ${(error as Error).message}`);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.options.pollIntervalMs);
  }

  private async watchWithIdle(slot: ConnectionSlot<ImapFlow>): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await slot.get();
      if (this.stopped) return;
      await client.mailboxOpen('INBOX', { readOnly: true });
      this.watched = client;
      const recount = () => this.scheduleRecount(client);
      client.on('exists', recount);
      client.on('expunge', recount);
      client.on('flags', recount);
      const upSince = Date.now();
      client.once('close', () => {
        this.watched = undefined;
        if (this.stopped) return;
        if (Date.now() - upSince >= this.backoff.stableAfterMs) this.failures = 0;
        this.options.log.info('IMAP: the Inbox watch connection closed; reconnecting.');
        // An expired token is renewed by the slot when the new login is refused.
        slot.discard({ renew: false });
        this.retryLater(slot);
      });
      this.emit(await this.count(client));
    } catch (error) {
      if (this.stopped) return;
      this.options.log.warn(`IMAP: the Inbox watch failed: ${(error as Error).message}`);
      const failure = classifyFailure(error);
      slot.discard({ renew: failure.kind === 'connection-lost' && failure.tokenExpired });
      this.retryLater(slot);
    }
  }

  private retryLater(slot: ConnectionSlot<ImapFlow>): void {
    const { firstPauseMs, maxPauseMs } = this.backoff;
    const pause = Math.min(maxPauseMs, firstPauseMs * 2 ** Math.min(this.failures++, 30));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.watchWithIdle(slot), pause);
  }

  private scheduleRecount(client: ImapFlow): void {
    clearTimeout(this.recountTimer);
    this.recountTimer = setTimeout(() => {
      this.count(client).then((n) => this.emit(n), (error: Error) => this.options.log.warn(`IMAP: could not recount Inbox: ${error.message}`));
    }, RECOUNT_DEBOUNCE_MS);
  }

  /** SEARCH UNSEEN on the selected Inbox; imapflow leaves IDLE for it and goes back afterwards. */
  private async count(client: ImapFlow): Promise<number> {
    const unseen = await client.search({ seen: false }, { uid: true });
    if (!Array.isArray(unseen)) throw new Error('the server did not answer SEARCH UNSEEN');
    return unseen.length;
  }
}
