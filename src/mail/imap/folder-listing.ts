/**
 * Lists every folder with its message and unread counts over the listing connection, in the
 * fewest round trips the server allows: one `LIST … RETURN (STATUS …)` where it has LIST-STATUS
 * (RFC 5819), else one LIST and then all STATUS commands written at once. A STATUS the server
 * throttles is sent again after the back-off it suggests, so a count never goes missing
 * silently.
 */
import { throttleBackoff } from '../exchange-replies';
import { CommandFailedError } from './failures';
import { BurstReply } from './listing-connection';
import { ListedFolder } from './folder-model';
import { decodeMailboxName } from './modified-utf7';
import { ImapValue, TaggedStatus, UntaggedData } from './response-parser';

export interface ListingOptions {
  /** Rounds of re-sending throttled commands before giving up on them. */
  maxThrottleRounds?: number;
  /** Longest back-off honoured per round; Exchange may suggest minutes. */
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ListedName {
  /** As on the wire (modified UTF-7), for commands. */
  encoded: string;
  delimiter: string | null;
  flags: string[];
}

export interface StatusCounts {
  encoded: string;
  messages?: number;
  unseen?: number;
}

/** What the lister needs of a connection: its capabilities and a pipelined burst (see ./listing-connection). */
export interface ListingWire {
  has(capability: string): boolean;
  burst(commands: string[]): Promise<BurstReply>;
}

const STATUS_ITEMS = '(MESSAGES UNSEEN)';
const NOT_SELECTABLE = new Set(['\\NOSELECT', '\\NONEXISTENT']);
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const text = (value: ImapValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** `* LIST (\HasNoChildren \Sent) "/" "Sent Items"` → its name, delimiter and flags. */
export function readListReply(reply: UntaggedData): ListedName | undefined {
  if (reply.name !== 'LIST') return undefined;
  const [flags, delimiter, name] = reply.args;
  const encoded = text(name);
  if (encoded === undefined || !Array.isArray(flags)) return undefined;
  return { encoded, delimiter: text(delimiter) ?? null, flags: flags.filter((f): f is string => typeof f === 'string') };
}

/** `* STATUS "Sent Items" (MESSAGES 3 UNSEEN 0)` → its counts. */
export function readStatusReply(reply: UntaggedData): StatusCounts | undefined {
  if (reply.name !== 'STATUS') return undefined;
  const [name, items] = reply.args;
  const encoded = text(name);
  if (encoded === undefined || !Array.isArray(items)) return undefined;
  const counts: StatusCounts = { encoded };
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = text(items[i])?.toUpperCase();
    const digits = text(items[i + 1]);
    // RFC 3501 counts are unsigned numbers; anything else is no count at all, not a negative one.
    if (digits === undefined || !/^\d{1,10}$/.test(digits)) continue;
    const value = Number(digits);
    if (key === 'MESSAGES') counts.messages = value;
    else if (key === 'UNSEEN') counts.unseen = value;
  }
  return counts;
}

/** A mailbox name as a command argument: quoted, or a non-synchronising literal where it must be. */
export function mailboxArgument(encoded: string, literalPlus: boolean): string {
  if (/[\r\n\0]/.test(encoded) || (!/^[\x20-\x7e]*$/.test(encoded) && literalPlus)) {
    return `{${Buffer.byteLength(encoded)}+}\r\n${encoded}`;
  }
  return `"${encoded.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function statusCommand(encoded: string, literalPlus: boolean): string {
  return `STATUS ${mailboxArgument(encoded, literalPlus)} ${STATUS_ITEMS}`;
}

export function isSelectable(flags: string[]): boolean {
  return !flags.some((f) => NOT_SELECTABLE.has(f.toUpperCase()));
}

function failed(command: string, done: TaggedStatus): CommandFailedError {
  return new CommandFailedError(command, done.status, done.text, done.code);
}

export class FolderLister {
  private readonly maxThrottleRounds: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly connection: ListingWire, options: ListingOptions = {}) {
    this.maxThrottleRounds = options.maxThrottleRounds ?? 5;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.sleep = options.sleep ?? sleepFor;
  }

  async list(): Promise<ListedFolder[]> {
    const names = new Map<string, ListedName>();
    const counts = new Map<string, StatusCounts>();
    const listStatus = this.connection.has('LIST-STATUS');
    const returns = listStatus
      ? ` RETURN (${this.connection.has('SPECIAL-USE') ? 'SPECIAL-USE ' : ''}STATUS ${STATUS_ITEMS})`
      : '';
    const command = `LIST "" "*"${returns}`;
    const reply = await this.withThrottleRetry([command]);
    const done = reply.completions[0]!;
    if (done.status !== 'OK') throw failed(command, done);
    this.collect(reply.data, names, counts);

    // Without LIST-STATUS every selectable folder needs a STATUS; with it, only those the server
    // left out (RFC 5819 lets it skip a folder it could not count).
    const missing = [...names.values()].filter((n) => isSelectable(n.flags) && !counts.has(n.encoded)).map((n) => n.encoded);
    const errors = await this.statusBurst(missing, counts);

    return [...names.values()].map((n) => {
      const c = counts.get(n.encoded);
      return {
        path: decodeMailboxName(n.encoded),
        delimiter: n.delimiter,
        flags: n.flags,
        total: c?.messages,
        unread: c?.unseen,
        countsError: errors.get(n.encoded),
      };
    });
  }

  private collect(data: UntaggedData[], names: Map<string, ListedName>, counts: Map<string, StatusCounts>): void {
    for (const reply of data) {
      const listed = readListReply(reply);
      if (listed) names.set(listed.encoded, listed);
      const status = readStatusReply(reply);
      if (status) counts.set(status.encoded, status);
    }
  }

  /** All STATUS at once; throttled ones again after the back-off. Returns why a folder has no counts. */
  private async statusBurst(encodedNames: string[], counts: Map<string, StatusCounts>): Promise<Map<string, string>> {
    const errors = new Map<string, string>();
    const literalPlus = this.connection.has('LITERAL+');
    let pending = encodedNames;
    for (let round = 0; pending.length > 0; round++) {
      const reply = await this.connection.burst(pending.map((name) => statusCommand(name, literalPlus)));
      this.collect(reply.data, new Map(), counts);
      const throttled: string[] = [];
      let backoff = 0;
      reply.completions.forEach((done, i) => {
        const name = pending[i]!;
        if (done.status === 'OK') return;
        const wait = throttleBackoff(done.text);
        if (wait !== undefined && round < this.maxThrottleRounds) {
          throttled.push(name);
          backoff = Math.max(backoff, wait);
        } else {
          errors.set(name, `${done.status} ${done.text}`);
        }
      });
      if (throttled.length > 0) await this.sleep(Math.min(backoff, this.maxBackoffMs));
      pending = throttled;
    }
    return errors;
  }

  private async withThrottleRetry(commands: string[]) {
    for (let round = 0; ; round++) {
      const reply = await this.connection.burst(commands);
      const wait = reply.completions.map((c) => (c.status === 'OK' ? undefined : throttleBackoff(c.text))).find((w) => w !== undefined);
      if (wait === undefined || round >= this.maxThrottleRounds) return reply;
      await this.sleep(Math.min(wait, this.maxBackoffMs));
    }
  }
}
