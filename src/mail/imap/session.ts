/**
 * One account's IMAP session, what the Mailboxes view and the status bar talk to: the folder
 * tree, a folder's message pages, a message to read (fetched once, then from the session's
 * cache), its attachments, read/unread and flag marks, moves and deletions, the sent copy, and
 * the Inbox unread count.
 *
 * Connections (each opened on first use, kept, replaced when lost — see ./recovery):
 * - the command connection (imapflow), shared by paging, reading, marking and appending,
 *   one command at a time in the order asked;
 * - the listing connection (./listing-connection), which pipelines the folder counts;
 * - while someone listens to `onInboxUnreadChanged` on a server with IDLE, the Inbox watch
 *   connection (./inbox-watch), which stays in IDLE on INBOX.
 */
import type { ImapFlow, MailboxObject } from 'imapflow';
import { Redactor } from '../../redact';
import { ExplainedError } from '../../errors';
import { CredentialsProvider, MailLog, MailServer, silentLog } from '../server';
import { openCommandConnection } from './command-connection';
import { ConnectionSlot } from './connection-slot';
import { CommandDeadlineError, ConnectionLostError, explainFailure, folderGone, folderNotOpenable, messageGone, noSentFolder } from './failures';
import { FolderLister } from './folder-listing';
import { FolderTree, folderKey, isInbox } from './folder-model';
import { InboxWatch, UnreadListener } from './inbox-watch';
import { ListingConnection } from './listing-connection';
import { MessageDocument, parseMessage, ParsedMessage } from './message-document';
import { MessagePage, MessageSummary, PAGE_SIZE, PageCursor, sequenceRange, summarize, SUMMARY_QUERY } from './message-page';
import { SearchHit, searchSelected } from './message-search';
import type { SearchQuery } from './search-query';
import { ImapTrace } from './protocol-trace';
import { DEFAULT_RECOVERY, RecoveryPolicy, withRecovery } from './recovery';

export interface ImapSessionOptions {
  server: MailServer;
  credentials: CredentialsProvider;
  log?: MailLog;
  /** How often the Inbox is counted where the server has no IDLE. */
  pollIntervalMs?: number;
  recovery?: Partial<RecoveryPolicy>;
  /**
   * The longest a command on the command connection may take, answers included: a server that
   * keeps sending (or trickling) cannot hold it forever. Long enough for a 150 MB message on a
   * slow link.
   */
  commandDeadlineMs?: number;
}

const DEFAULT_COMMAND_DEADLINE_MS = 5 * 60_000;

export interface Disposable {
  dispose(): void;
}

export interface AppendResult {
  /** The folder the copy went to. */
  folder: string;
  uid?: number;
}

/** Messages moved by `moveMessages`: enough to move them back. */
export interface MovedMessages {
  from: string;
  to: string;
  /** Source UID → UID in `to`, from the server's COPYUID; empty when the server gave none (no UIDPLUS). */
  uidMap: Map<number, number>;
}

export class ImapSession {
  private readonly log: MailLog;
  private readonly trace: ImapTrace;
  private readonly recovery: RecoveryPolicy;
  private readonly commandSlot: ConnectionSlot<ImapFlow>;
  private readonly listingSlot: ConnectionSlot<ListingConnection>;
  private commandQueue: Promise<unknown> = Promise.resolve();
  private readonly sources = new Map<string, Promise<ParsedMessage>>();
  private readonly uidValidity = new Map<string, string>();
  private readonly unreadListeners = new Set<UnreadListener>();
  private watch?: InboxWatch;
  private tree?: FolderTree;
  private closed = false;

  constructor(private readonly options: ImapSessionOptions) {
    this.log = options.log ?? silentLog;
    this.trace = new ImapTrace(this.log, new Redactor());
    this.recovery = { ...DEFAULT_RECOVERY, ...options.recovery };
    const { server, credentials } = options;
    this.commandSlot = new ConnectionSlot('command', async (c) => {
      const client = await openCommandConnection({ server, credentials: c, trace: this.trace });
      client.on('error', (error: Error) => this.log.debug(`IMAP: ${error.message}`));
      return client;
    }, credentials, this.log);
    this.listingSlot = new ConnectionSlot('listing',
      (c) => ListingConnection.open({ server, credentials: c, trace: this.trace.forConnection('[list]') }), credentials, this.log);
  }

  get server(): MailServer {
    return this.options.server;
  }

  /** The tree of the last successful `listFolders`, if any. */
  get folders(): FolderTree | undefined {
    return this.tree;
  }

  /** Opens the command and listing connections together; every other call also connects when needed. */
  async connect(): Promise<void> {
    const step = 'connecting';
    await Promise.all([
      this.commandSlot.get().catch((error) => { throw explainFailure(this.server, step, error); }),
      this.listingSlot.get().catch((error) => { throw explainFailure(this.server, step, error); }),
    ]);
  }

  /** Every folder with its counts, in as few round trips as the server allows (see ./folder-listing). */
  async listFolders(): Promise<FolderTree> {
    const listed = await withRecovery(this.listingSlot, 'listing folders',
      (connection) => new FolderLister(connection, { maxBackoffMs: this.recovery.maxBackoffMs, sleep: this.recovery.sleep }).list(),
      this.explain, this.log, this.recovery);
    this.tree = new FolderTree(listed);
    return this.tree;
  }

  /** The newest messages of a folder, or with `after` the page older than the one it came from. */
  messagePage(folder: string, after?: PageCursor): Promise<MessagePage> {
    this.assertOpenable(folder);
    return this.command(`loading the messages of "${folder}"`, async (client) => {
      const mailbox = await this.select(client, folder, !after);
      const exists = mailbox.exists;
      const uidValidity = String(mailbox.uidValidity);
      if (!after) return this.fetchPage(client, folder, mailbox, sequenceRange(exists + 1));
      if (after.uidValidity === uidValidity && after.exists === exists) return this.fetchPage(client, folder, mailbox, sequenceRange(after.lowestSeq));
      // The folder changed since the last page: sequence numbers moved, UIDs did not.
      const older = await client.search({ uid: `1:${Math.max(1, after.lowestUid - 1)}` }, { uid: true });
      const uids = (Array.isArray(older) ? older : []).filter((uid) => uid < after.lowestUid).sort((a, b) => a - b);
      return this.fetchPage(client, folder, mailbox, undefined, uids.slice(-PAGE_SIZE), uids.length > PAGE_SIZE);
    });
  }

  /**
   * "Search Mailbox…" in one folder: the matches, newest first; `dated` (a search across folders)
   * gives each its arrival date, to merge the folders' matches by (see ./message-search).
   */
  search(folder: string, query: SearchQuery, options: { dated?: boolean } = {}): Promise<SearchHit[]> {
    this.assertOpenable(folder);
    return this.command(`searching "${folder}"`, async (client) => {
      await this.select(client, folder, true);
      return searchSelected(client, folder, query, options.dated ?? false);
    });
  }

  /** The list rows of some messages of a folder, by UID, in the order asked (gone ones left out). */
  summaries(folder: string, uids: readonly number[]): Promise<MessageSummary[]> {
    if (uids.length === 0) return Promise.resolve([]);
    return this.command(`loading messages of "${folder}"`, async (client) => {
      await this.select(client, folder, false);
      const byUid = new Map((await client.fetchAll(uids.join(','), SUMMARY_QUERY, { uid: true })).map((m) => [m.uid, summarize(m)]));
      return uids.flatMap((uid) => byUid.get(uid) ?? []);
    });
  }

  /**
   * Unread Inbox mail that arrived after `afterUid`, newest first, and the Inbox's highest UID now
   * (the next call's `afterUid`). Without `afterUid`, only the highest UID: where arrivals start.
   */
  inboxArrivals(afterUid?: number): Promise<{ highestUid: number; unread: MessageSummary[] }> {
    return this.command('looking for new Inbox mail', async (client) => {
      await this.select(client, 'INBOX', true);
      // UIDNEXT is only told on SELECT: the UIDs themselves say what arrived since. `N:*` also
      // answers the highest UID when it is below N, so the empty Inbox is the only empty answer.
      const found = await client.search({ uid: afterUid === undefined ? '*' : `${afterUid + 1}:*` }, { uid: true });
      if (!Array.isArray(found)) this.failedQuietly(client, 'SEARCH');
      const highestUid = Math.max(afterUid ?? 0, ...found);
      const arrived = afterUid === undefined ? [] : found.filter((uid) => uid > afterUid);
      const messages = arrived.length ? await client.fetchAll(arrived.join(','), SUMMARY_QUERY, { uid: true }) : [];
      return { highestUid, unread: messages.map(summarize).filter((m) => m.unread).sort((a, b) => b.uid - a.uid) };
    });
  }

  /** The message as the reading tab shows it; fetched once per session, then from the cache. */
  async openMessage(folder: string, uid: number): Promise<MessageDocument> {
    return (await this.parsed(folder, uid)).document;
  }

  /** The bytes of attachment `index` of `openMessage`'s `attachments`, for "Save Attachment…". */
  async saveAttachment(folder: string, uid: number, index: number): Promise<Buffer> {
    const content = (await this.parsed(folder, uid)).attachmentContent[index];
    if (!content) throw new ExplainedError(`The message has no attachment number ${index + 1}.`, 'Open the message again to see its attachments.', { code: 'no-attachment' });
    return content;
  }

  /** Mark as Read (`seen` true) or Unread: STORE ±FLAGS (\Seen) by UID, one command for several messages. */
  async setSeen(folder: string, uids: number | number[], seen: boolean): Promise<void> {
    await this.storeFlag(folder, uids, '\\Seen', seen, seen ? 'read' : 'unread');
    if (isInbox(folder)) this.watch?.refresh();
  }

  /** Flag or Unflag (Outlook's follow-up flag): STORE ±FLAGS (\Flagged) by UID. */
  setFlagged(folder: string, uids: number[], flagged: boolean): Promise<void> {
    return this.storeFlag(folder, uids, '\\Flagged', flagged, flagged ? 'flagged' : 'unflagged');
  }

  /**
   * Moves messages of one folder to another with one UID MOVE (imapflow copies and expunges
   * where the server has no MOVE; Exchange Online has it after login). A target that no longer
   * exists is a `folder-gone` error, and the messages stay where they were: MOVE is all or nothing.
   */
  moveMessages(folder: string, uids: number[], target: string): Promise<MovedMessages> {
    this.assertOpenable(folder);
    this.assertOpenable(target);
    return this.command(`moving ${count(uids)} from "${folder}" to "${target}"`, async (client) => {
      await this.select(client, folder, false);
      const moved = await client.messageMove(uids.join(','), target, { uid: true });
      if (!moved) {
        if (client.usable && !await client.status(target, { messages: true }).catch(() => false)) throw folderGone(target);
        this.failedQuietly(client, 'MOVE');
      }
      return { from: folder, to: target, uidMap: moved.uidMap ?? new Map() };
    });
  }

  /** Deletes messages for good: STORE +FLAGS (\Deleted), then UID EXPUNGE of those UIDs only. */
  async deleteMessages(folder: string, uids: number[]): Promise<void> {
    await this.command(`deleting ${count(uids)} from "${folder}"`, async (client) => {
      await this.select(client, folder, false);
      // Without UIDPLUS, EXPUNGE would also remove what another client marked \Deleted.
      if (!client.capabilities.has('UIDPLUS')) throw new Error('the server has no UID EXPUNGE (UIDPLUS)');
      if (!await client.messageDelete(uids.join(','), { uid: true })) this.failedQuietly(client, 'EXPUNGE');
    });
  }

  /**
   * Adds a flag (`\\Answered` after a reply, `$Forwarded` after a forward) to one message. Resolves
   * false when the folder does not keep that flag (Exchange keeps no `$Forwarded`); throws
   * `message-gone` when the message is no longer there.
   */
  async addFlag(folder: string, uid: number, flag: string): Promise<boolean> {
    return this.command(`marking a message ${flag}`, async (client) => {
      const mailbox = await this.select(client, folder, true);
      const kept = mailbox.permanentFlags;
      if (kept && !kept.has('\\*') && !kept.has(flag)) return false;
      const found = await client.search({ uid: String(uid) }, { uid: true });
      if (!Array.isArray(found)) this.failedQuietly(client, 'SEARCH');
      if (!found.includes(uid)) throw messageGone(folder, uid);
      if (!await client.messageFlagsAdd(String(uid), [flag], { uid: true })) this.failedQuietly(client, 'STORE');
      return true;
    });
  }

  /** Keeps a copy of a sent message (its raw RFC 5322 bytes) in the folder the server marks as Sent, or named so. */
  async appendToSent(raw: Buffer | string): Promise<AppendResult> {
    const sent = (this.tree ?? await this.listFolders()).special('sent');
    if (!sent) throw noSentFolder();
    return this.command('keeping a copy in Sent Items', async (client) => {
      const result = await client.append(sent.path, raw, ['\\Seen']);
      if (!result) this.failedQuietly(client, 'APPEND');
      return { folder: sent.path, uid: result ? result.uid : undefined };
    });
  }

  /**
   * Unread messages in a folder now. The folder is selected again (its count is current) and
   * searched: STATUS should not be asked about the folder that is selected (RFC 3501 6.3.10).
   */
  async unreadCount(folder: string): Promise<number> {
    // Async, so a folder that cannot be opened is a rejection for the caller's catch, not a throw.
    this.assertOpenable(folder);
    return this.command(`counting unread mail in "${folder}"`, async (client) => {
      await this.select(client, folder, true);
      const unseen = await client.search({ seen: false }, { uid: true });
      if (!Array.isArray(unseen)) this.failedQuietly(client, 'SEARCH');
      return Array.isArray(unseen) ? unseen.length : 0;
    });
  }

  /** Unread messages in the Inbox now, by STATUS. */
  inboxUnread(): Promise<number> {
    return this.command('counting unread Inbox mail', async (client) => {
      const status = await client.status('INBOX', { unseen: true });
      if (!status) this.failedQuietly(client, 'STATUS');
      return status ? status.unseen ?? 0 : 0;
    });
  }

  /**
   * Calls `listener` with the Inbox unread count now and whenever it changes, through IDLE where
   * the server has it, else by polling. The watch runs while anyone listens.
   */
  onInboxUnreadChanged(listener: UnreadListener): Disposable {
    this.unreadListeners.add(listener);
    if (!this.watch) void this.startWatch();
    return {
      dispose: () => {
        this.unreadListeners.delete(listener);
        if (this.unreadListeners.size === 0) {
          void this.watch?.stop();
          this.watch = undefined;
        }
      },
    };
  }

  /** Logs out of every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unreadListeners.clear();
    const watch = this.watch;
    this.watch = undefined;
    await Promise.all([
      watch?.stop(),
      this.commandQueue.catch(() => undefined).then(() => this.commandSlot.close()),
      this.listingSlot.close(),
    ]);
  }

  private readonly explain = (step: string, error: unknown): ExplainedError => {
    const explained = explainFailure(this.server, step, error);
    this.log.error(`IMAP ${step}: ${explained.message}${explained.detail ? ` (${explained.detail})` : ''}`);
    return explained;
  };

  /** Command-connection work, one at a time, with the session's recovery. */
  private command<T>(step: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the IMAP session is closed'));
    const run = this.commandQueue.then(() => withRecovery(this.commandSlot, step, (client) => this.withinDeadline(client, work), this.explain, this.log, this.recovery));
    this.commandQueue = run.catch(() => undefined);
    return run;
  }

  /** The command, or its connection closed and a CommandDeadlineError once the deadline passes (imapflow has none). */
  private withinDeadline<T>(client: ImapFlow, work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const ms = this.options.commandDeadlineMs ?? DEFAULT_COMMAND_DEADLINE_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        client.close();
        reject(new CommandDeadlineError(ms));
      }, ms);
    });
    return Promise.race([work(client), deadline]).finally(() => clearTimeout(timer));
  }

  /** STORE ±FLAGS (flag) by UID on messages of one folder, in one command. */
  private async storeFlag(folder: string, uids: number | number[], flag: string, on: boolean, marked: string): Promise<void> {
    const list = Array.isArray(uids) ? uids : [uids];
    await this.command(`marking ${list.length > 1 ? count(list) : 'a message'} ${marked}`, async (client) => {
      await this.select(client, folder, false);
      const set = list.join(',');
      const done = on ? await client.messageFlagsAdd(set, [flag], { uid: true }) : await client.messageFlagsRemove(set, [flag], { uid: true });
      if (!done) this.failedQuietly(client, 'STORE');
    });
  }

  /** imapflow answers some failures with `false` instead of throwing; a dead connection must still count as lost. */
  private failedQuietly(client: ImapFlow, command: string): never {
    if (!client.usable) throw new ConnectionLostError(`the connection closed during ${command}`);
    throw new Error(`the server refused ${command}`);
  }

  private assertOpenable(folder: string): void {
    const known = this.tree?.get(folder);
    if (known && !known.openable) throw folderNotOpenable(folder);
  }

  /** Selects the folder unless it is selected; `fresh` asks the server for news (NOOP) if it is. */
  private async select(client: ImapFlow, folder: string, fresh: boolean): Promise<MailboxObject> {
    const current = client.mailbox;
    // INBOX in any case, also as the first segment (Exchange's `Inbox/Team`), is one folder.
    if (current && folderKey(current.path, current.delimiter ?? null) === folderKey(folder, current.delimiter ?? null)) {
      if (fresh) await client.noop();
      if (client.mailbox) return client.mailbox;
    }
    const mailbox = await client.mailboxOpen(folder);
    const validity = String(mailbox.uidValidity);
    if (this.uidValidity.get(folder) !== validity) {
      // UIDs of the old validity name other messages now: forget what was cached under them.
      if (this.uidValidity.has(folder)) for (const key of this.sources.keys()) if (key.startsWith(`${folder}\n`)) this.sources.delete(key);
      this.uidValidity.set(folder, validity);
    }
    return mailbox;
  }

  private async fetchPage(client: ImapFlow, folder: string, mailbox: MailboxObject, range?: { from: number; to: number },
    uids?: number[], more?: boolean): Promise<MessagePage> {
    const exists = mailbox.exists;
    const messages = range
      ? await client.fetchAll(`${range.from}:${range.to}`, SUMMARY_QUERY)
      : uids && uids.length > 0 ? await client.fetchAll(uids.join(','), SUMMARY_QUERY, { uid: true }) : [];
    if (range && messages.length === 0 && !client.usable) this.failedQuietly(client, 'FETCH');
    messages.sort((a, b) => b.seq - a.seq);
    const oldest = messages[messages.length - 1];
    const moreAvailable = range ? range.from > 1 : Boolean(more);
    return {
      folder,
      messages: messages.map(summarize),
      total: exists,
      moreAvailable,
      next: oldest && moreAvailable
        ? { folder, uidValidity: String(mailbox.uidValidity), exists, lowestSeq: oldest.seq, lowestUid: oldest.uid }
        : undefined,
    };
  }

  private parsed(folder: string, uid: number): Promise<ParsedMessage> {
    this.assertOpenable(folder);
    const key = `${folder}\n${uid}`;
    let entry = this.sources.get(key);
    if (!entry) {
      entry = this.command(`opening a message in "${folder}"`, async (client) => {
        await this.select(client, folder, false);
        const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        if (!message || !message.source) {
          if (!client.usable) this.failedQuietly(client, 'FETCH');
          throw messageGone(folder, uid);
        }
        return message.source;
      }).then((source) => parseMessage(folder, uid, source));
      this.sources.set(key, entry);
      entry.catch(() => this.sources.delete(key));
    }
    return entry;
  }

  private async startWatch(): Promise<void> {
    const { server, credentials } = this.options;
    let hasIdle = true;
    try {
      hasIdle = (await this.commandSlot.get()).capabilities.has('IDLE');
    } catch {
      // The watch reconnects by itself; assume IDLE until a connection says otherwise.
    }
    if (this.closed || this.unreadListeners.size === 0 || this.watch) return;
    const idleSlot = hasIdle
      ? new ConnectionSlot('Inbox watch', (c) => openCommandConnection({ server, credentials: c, trace: this.trace.forConnection('[idle]'), idleQuickly: true }),
        credentials, this.log)
      : undefined;
    this.watch = new InboxWatch({
      idleSlot,
      countByStatus: () => this.inboxUnread(),
      pollIntervalMs: this.options.pollIntervalMs ?? 60_000,
      log: this.log,
      onCount: (count) => {
        for (const listener of [...this.unreadListeners]) listener(count);
      },
    });
    this.watch.start();
  }
}

function count(uids: readonly number[]): string {
  return uids.length === 1 ? 'a message' : `${uids.length} messages`;
}
