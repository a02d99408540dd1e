/**
 * Recorded IMAP replies for the unit tests: what the sandbox's Exchange-profile Dovecot (plain
 * LIST with special-use attributes, no LIST-STATUS) and a Dovecot with LIST-STATUS send, and a
 * scripted listing connection that answers bursts from them.
 */
import { BurstReply } from '../../../src/mail/imap/listing-connection';
import { ListingWire } from '../../../src/mail/imap/folder-listing';
import { parseResponse, TaggedStatus, UntaggedData } from '../../../src/mail/imap/response-parser';

export const EXCHANGE_LIST = [
  '* LIST (\\HasChildren) "/" Projects',
  '* LIST (\\HasChildren) "/" Projects/2026',
  '* LIST (\\HasNoChildren) "/" Projects/2026/Q4',
  '* LIST (\\HasNoChildren \\Archive) "/" Archive',
  '* LIST (\\HasNoChildren) "/" Notifications',
  '* LIST (\\HasNoChildren) "/" "Conversation History"',
  '* LIST (\\HasNoChildren \\Junk) "/" "Junk Email"',
  '* LIST (\\HasNoChildren) "/" Outbox',
  '* LIST (\\HasNoChildren \\Drafts) "/" Drafts',
  '* LIST (\\HasNoChildren \\Trash) "/" "Deleted Items"',
  '* LIST (\\HasNoChildren \\Sent) "/" "Sent Items"',
  '* LIST (\\Noselect \\HasChildren) "/" Clients',
  '* LIST (\\HasNoChildren) "/" "Clients/Northwind Traders"',
  '* LIST (\\HasNoChildren) "/" Clients/Fabrikam',
  '* LIST (\\HasNoChildren) "/" "Gr&APwA3w-e"',
  '* LIST (\\HasNoChildren) "/" INBOX',
];

/** Exchange Online's own wording: no special-use attributes at all, names only. */
export const EXCHANGE_NAMES_ONLY_LIST = [
  '* LIST (\\HasNoChildren) "/" INBOX',
  '* LIST (\\HasNoChildren) "/" "SENT ITEMS"',
  '* LIST (\\HasNoChildren) "/" "deleted items"',
  '* LIST (\\HasNoChildren) "/" "Junk Email"',
  '* LIST (\\HasNoChildren) "/" Drafts',
  '* LIST (\\HasChildren) "/" Projects',
  '* LIST (\\HasNoChildren) "/" Projects/Archive',
  '* LIST (\\HasNoChildren) "/" archive',
  '* LIST (\\HasNoChildren) "/" Zebra',
  '* LIST (\\HasNoChildren) "/" alpha',
];

export const DOVECOT_LIST_STATUS = [
  '* LIST (\\HasNoChildren) "/" INBOX',
  '* STATUS INBOX (MESSAGES 30 UNSEEN 7)',
  '* LIST (\\HasNoChildren \\Sent) "/" "Sent Items"',
  '* STATUS "Sent Items" (MESSAGES 3 UNSEEN 0)',
  '* LIST (\\Noselect \\HasChildren) "/" Clients',
  '* LIST (\\HasNoChildren) "/" {25}\r\nClients/Northwind Traders',
  '* STATUS {25}\r\nClients/Northwind Traders (MESSAGES 1 UNSEEN 0)',
];

export function data(lines: string[]): UntaggedData[] {
  return lines.map((line) => parseResponse(Buffer.from(line))).filter((r): r is UntaggedData => r.kind === 'data');
}

export function ok(tag = 'x'): TaggedStatus {
  return { kind: 'status', tag, status: 'OK', text: 'done' };
}

export function throttled(ms: number): TaggedStatus {
  return { kind: 'status', tag: 'x', status: 'BAD', text: `Request is throttled. Suggested Backoff Time: ${ms} milliseconds` };
}

/** A listing connection whose bursts are answered by `answer`, which also sees every command sent. */
export class ScriptedWire implements ListingWire {
  readonly bursts: string[][] = [];

  constructor(private readonly capabilities: string[], private readonly answer: (commands: string[], burst: number) => BurstReply) {}

  has(capability: string): boolean {
    return this.capabilities.includes(capability);
  }

  async burst(commands: string[]): Promise<BurstReply> {
    this.bursts.push(commands);
    return this.answer(commands, this.bursts.length - 1);
  }
}

/** STATUS replies as an Exchange-like server gives them, from a table of counts by encoded name. */
export function statusReplies(commands: string[], counts: Record<string, [number, number]>): BurstReply {
  const replies: UntaggedData[] = [];
  for (const command of commands) {
    const name = /^STATUS "((?:[^"\\]|\\.)*)"/.exec(command)?.[1]?.replace(/\\(.)/g, '$1') ?? '';
    const [messages, unseen] = counts[name] ?? [0, 0];
    replies.push(...data([`* STATUS "${name}" (MESSAGES ${messages} UNSEEN ${unseen})`]));
  }
  return { data: replies, completions: commands.map(() => ok()) };
}
