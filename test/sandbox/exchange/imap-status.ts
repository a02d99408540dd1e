/**
 * STATUS replies as Exchange writes them (transcripts §6, once):
 * `* STATUS INBOX (MESSAGES 7075 RECENT 0 UNSEEN 0 UIDNEXT 36023) ` — the mailbox as the client
 * named it, unquoted when atom-safe, the items in the order asked for, and a trailing space.
 */
import { CommandLine, mailboxWord, readString, readWords } from './imap-words';

/** What a STATUS command asked for: the name as the client wrote it, and the items in its order. */
export interface StatusRequest {
  name: string;
  items: string[];
}

export function readStatusRequest(text: string, command: CommandLine): StatusRequest | undefined {
  const [name, items] = readWords(text, command.rest);
  if (!name || (name.kind !== 'atom' && name.kind !== 'quoted') || items?.kind !== 'list') return undefined;
  return { name: name.value, items: items.value.slice(1, -1).toUpperCase().split(' ').filter(Boolean) };
}

export interface StatusReply {
  name: string;
  counts: Map<string, string>;
}

/** `* STATUS "Sent Items" (MESSAGES 3 UNSEEN 0)`; undefined for anything else. */
export function readStatusReply(text: string): StatusReply | undefined {
  const head = /^\* STATUS /i.exec(text);
  if (!head) return undefined;
  const name = readString(text, head[0].length);
  const items = name && readWords(text, name.end)[0];
  if (!name || items?.kind !== 'list') return undefined;
  const words = items.value.slice(1, -1).split(' ').filter(Boolean);
  const counts = new Map<string, string>();
  for (let i = 0; i + 1 < words.length; i += 2) counts.set(words[i]!.toUpperCase(), words[i + 1]!);
  return { name: name.value, counts };
}

export function exchangeStatus(request: StatusRequest, reply: StatusReply): string {
  const order = [...request.items.filter((item) => reply.counts.has(item)), ...[...reply.counts.keys()].filter((k) => !request.items.includes(k))];
  return `* STATUS ${mailboxWord(request.name)} (${order.map((item) => `${item} ${reply.counts.get(item)}`).join(' ')}) `;
}
