/**
 * The mailbox cache's files: one JSON snapshot per mailbox in one folder (the extension's global
 * storage, shared by every window), readable by the user alone. A write goes to a temporary file
 * renamed over the old one, so a reader never sees half a snapshot; saves are debounced, and a
 * mailbox's writes and removals run one after the other, so a removal is never undone by a write
 * that was under way. A file that is too large, unreadable or not a snapshot is removed on read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSnapshot, encodeSnapshot, MailboxSnapshot, MAX_SNAPSHOT_BYTES } from './mailbox-snapshot';

const SUFFIX = '.json';

/**
 * The file name of a mailbox: its id made safe (letters, digits and `@._-` kept, anything else
 * `_`, so no separator can lead out of the folder), cut short, and a hash of the whole id so that
 * two ids never share a file.
 */
export function snapshotFileName(mailboxId: string): string {
  const readable = mailboxId.toLowerCase().replace(/[^a-z0-9@._-]/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(mailboxId).digest('hex').slice(0, 16);
  return `${readable}-${hash}${SUFFIX}`;
}

export class SnapshotStore {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly makers = new Map<string, () => Promise<MailboxSnapshot | undefined>>();
  /** Per mailbox, the last write or removal: the next one waits for it. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(readonly folder: string, private readonly options: { debounceMs?: number; maxBytes?: number; onError?: (message: string) => void } = {}) {}

  fileOf(mailboxId: string): string {
    return join(this.folder, snapshotFileName(mailboxId));
  }

  /**
   * The mailbox's snapshot, if there is a usable one from `server` (`host:port`). It does not wait
   * for writes (a file is replaced whole), so a snapshot being made may read the last one.
   */
  async read(mailboxId: string, server: string): Promise<MailboxSnapshot | undefined> {
    const file = this.fileOf(mailboxId);
    let text: string;
    try {
      if ((await stat(file)).size > (this.options.maxBytes ?? MAX_SNAPSHOT_BYTES)) throw new Error('too large');
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') await this.drop(mailboxId, err);
      return undefined;
    }
    const snapshot = decodeSnapshot(text, mailboxId, server);
    if (!snapshot) await this.drop(mailboxId, new Error('not a snapshot of this version, mailbox and server'));
    return snapshot;
  }

  /** Writes what `make` gives after `debounceMs` of quiet (the last `make` of that time wins); undefined writes nothing. */
  schedule(mailboxId: string, make: () => Promise<MailboxSnapshot | undefined>): void {
    this.makers.set(mailboxId, make);
    clearTimeout(this.pending.get(mailboxId));
    this.pending.set(mailboxId, setTimeout(() => void this.writeNow(mailboxId), this.options.debounceMs ?? 1000));
  }

  /** Writes every scheduled snapshot now (before the extension stops). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.writeNow(id)));
    await Promise.all(this.queues.values());
  }

  /** Removes the mailboxes' snapshots, and any write of them scheduled or under way. */
  async remove(mailboxIds: Iterable<string>): Promise<void> {
    await Promise.all([...mailboxIds].map((id) => {
      this.cancel(id);
      return this.enqueue(id, () => rm(this.fileOf(id), { force: true }));
    }));
  }

  /** Removes the snapshot of every mailbox not in `mailboxIds` (an account removed while another window had it), and stray temporary files. */
  async retain(mailboxIds: Iterable<string>): Promise<void> {
    const keep = new Set([...mailboxIds].map(snapshotFileName));
    const names = await readdir(this.folder).catch(() => [] as string[]);
    await Promise.all(names.filter((name) => !keep.has(name) && (name.endsWith(SUFFIX) || name.endsWith('.tmp')))
      .map(async (name) => {
        // A temporary file may be another window's write under way: only an old one is left over.
        if (name.endsWith('.tmp') && Date.now() - ((await stat(join(this.folder, name)).catch(() => undefined))?.mtimeMs ?? 0) < 60_000) return;
        await rm(join(this.folder, name), { force: true });
      }));
  }

  /** Removes every snapshot: the cache turned off. */
  async clear(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.cancel(id);
    await Promise.all(this.queues.values());
    await rm(this.folder, { recursive: true, force: true });
  }

  private cancel(mailboxId: string): void {
    clearTimeout(this.pending.get(mailboxId));
    this.pending.delete(mailboxId);
    this.makers.delete(mailboxId);
  }

  private writeNow(mailboxId: string): Promise<void> {
    const make = this.makers.get(mailboxId);
    this.cancel(mailboxId);
    if (!make) return Promise.resolve();
    return this.enqueue(mailboxId, async () => {
      const snapshot = await make();
      if (!snapshot) return;
      const text = encodeSnapshot(snapshot, this.options.maxBytes);
      const file = this.fileOf(mailboxId);
      if (text === undefined) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, text, { mode: 0o600 });
        await rename(temporary, file);
      } catch (err) {
        await rm(temporary, { force: true });
        throw err;
      }
    });
  }

  private enqueue(mailboxId: string, run: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(mailboxId) ?? Promise.resolve()).then(run).catch((err: unknown) =>
      this.options.onError?.(`mailbox cache of ${mailboxId}: ${err instanceof Error ? err.message : String(err)}`));
    this.queues.set(mailboxId, next);
    void next.finally(() => {
      if (this.queues.get(mailboxId) === next) this.queues.delete(mailboxId);
    });
    return next;
  }

  private async drop(mailboxId: string, reason: unknown): Promise<void> {
    this.options.onError?.(`mailbox cache of ${mailboxId} ignored and removed: ${reason instanceof Error ? reason.message : String(reason)}`);
    await rm(this.fileOf(mailboxId), { force: true }).catch(() => undefined);
  }
}
