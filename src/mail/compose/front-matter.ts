/**
 * Optional front matter at the top of a document, the small YAML subset people write by hand:
 *
 *   ---
 *   to: [Bob Okafor <bob@contoso.com>, carol@contoso.com]
 *   cc:
 *     - "Lindqvist, Alice" <alice@contoso.com>
 *   subject: Release notes 1.4
 *   ---
 *
 * Only a block whose every line is a `key: value`, a `- item` or a comment counts; anything else
 * (a document that merely starts with a horizontal rule) is left as body. Drafts made by Reply,
 * Forward and New Message are written with `writeFrontMatter`, which this reads back.
 */
import { messageIdsIn } from '../message-ids';

export interface FrontMatterHeaders {
  from?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  /** `in-reply-to`: the Message-ID this message answers, with angle brackets. */
  inReplyTo?: string;
  /** `references`: the Message-IDs of the thread, oldest first, with angle brackets. */
  references?: string[];
  /** `attachments`: files to attach, absolute or relative to the document. */
  attachments?: string[];
  /** `x-exchange-mail-original`: the message a reply or forward came from, to mark once sent (see ./reply). */
  original?: string;
}

export interface FrontMatter {
  headers: FrontMatterHeaders;
  /** Where the body starts: the character offset just after the closing `---` line (0 without front matter). */
  bodyOffset: number;
}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;
const KEY_VALUE = /^([A-Za-z][\w-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const LIST_ITEM = /^[ \t]*-[ \t]+(.*)$/;
const ADDRESS_KEYS = ['to', 'cc', 'bcc'] as const;
const ORIGINAL_KEY = 'x-exchange-mail-original';

/** Removes one pair of surrounding YAML quotes, if the whole value is quoted. */
function scalar(value: string): string {
  const text = value.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    const inner = text.slice(1, -1);
    // `"Okafor, Bob" <bob@contoso.com>` is not one quoted scalar: leave it to the address parser.
    if (!/(?:^|[^\\])"/.test(inner)) return inner.replace(/\\(["\\])/g, '$1');
  }
  return text;
}

/** `[a, "b, c" <d@e>]` → its items, splitting at commas outside quotes and angle brackets. */
function flowList(value: string): string[] {
  const inner = value.trim().slice(1, -1);
  const items: string[] = [];
  let current = '';
  let quote = '';
  let angle = false;
  for (const ch of inner) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '<') {
      angle = true;
    } else if (ch === '>') {
      angle = false;
    } else if (ch === ',' && !angle) {
      items.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  items.push(current);
  return items.map(scalar).filter((item) => item.length > 0);
}

function isFlowList(value: string): boolean {
  const text = value.trim();
  return text.startsWith('[') && text.endsWith(']');
}

/** Reads the front matter of `text`, if it has one. Unknown keys are accepted and ignored. */
export function parseFrontMatter(text: string): FrontMatter {
  const opening = OPENING.exec(text);
  if (!opening) return { headers: {}, bodyOffset: 0 };
  const values = new Map<string, string | string[]>();
  let offset = opening[0].length;
  let currentKey: string | undefined;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline < 0 ? text.length : newline + 1;
    const line = text.slice(offset, end).replace(/\r?\n$/, '');
    offset = end;
    if (CLOSING.test(line)) {
      return { headers: toHeaders(values), bodyOffset: offset };
    }
    if (!line.trim() || /^[ \t]*#/.test(line)) continue;
    const item = LIST_ITEM.exec(line);
    if (item && currentKey) {
      const existing = values.get(currentKey);
      const list = Array.isArray(existing) ? existing : [];
      list.push(scalar(item[1]));
      values.set(currentKey, list);
      continue;
    }
    const pair = KEY_VALUE.exec(line);
    if (!pair) break;
    currentKey = pair[1].toLowerCase();
    const value = pair[2]?.trim() ?? '';
    values.set(currentKey, isFlowList(value) ? flowList(value) : value ? scalar(value) : []);
  }
  // No closing line, or a line that is not front matter: the document has none.
  return { headers: {}, bodyOffset: 0 };
}

function toHeaders(values: Map<string, string | string[]>): FrontMatterHeaders {
  const headers: FrontMatterHeaders = {};
  for (const key of ADDRESS_KEYS) {
    const value = values.get(key);
    if (value === undefined) continue;
    const list = (Array.isArray(value) ? value : [value]).filter((v) => v.length > 0);
    if (list.length) headers[key] = list;
  }
  const single = (key: 'from' | 'subject' | 'in-reply-to' | typeof ORIGINAL_KEY): string | undefined => {
    const value = values.get(key);
    const text = Array.isArray(value) ? value.join(', ') : value;
    return text ? text : undefined;
  };
  const from = single('from');
  if (from) headers.from = from;
  const subject = single('subject');
  if (subject) headers.subject = subject;
  const inReplyTo = messageIds(single('in-reply-to'))[0];
  if (inReplyTo) headers.inReplyTo = inReplyTo;
  const references = messageIds(values.get('references'));
  if (references.length) headers.references = references;
  const attachments = values.get('attachments');
  const files = (Array.isArray(attachments) ? attachments : attachments ? [attachments] : []).filter((f) => f.length > 0);
  if (files.length) headers.attachments = files;
  const original = single(ORIGINAL_KEY);
  if (original) headers.original = original;
  return headers;
}

/** `<a@x> <b@y>`, a list of them, or ids written without brackets: each id with its brackets. */
function messageIds(value: string | string[] | undefined): string[] {
  const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    const ids = messageIdsIn(item);
    return ids.length ? ids : messageIdsIn(item.split(/\s+/).filter((id) => id.includes('@')).map((id) => `<${id}>`));
  });
}

/** A value as YAML reads it back unchanged: plain where that is safe, else in single quotes. */
function yamlScalar(text: string): string {
  const plain = text === text.trim() && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) && !/: |\s#/.test(text);
  return plain ? text : `'${text.replace(/'/g, "''")}'`;
}

/**
 * The front matter block for `headers`, with its closing line: `from` first when known, `to` and
 * `subject` always (empty for the user to fill in), then the thread's ids, the attachments as a
 * block list, and where the original is.
 */
export function writeFrontMatter(headers: FrontMatterHeaders): string {
  const lines = ['---'];
  const line = (key: string, value: string) => lines.push(value ? `${key}: ${yamlScalar(value)}` : `${key}:`);
  if (headers.from) line('from', headers.from);
  line('to', (headers.to ?? []).join(', '));
  if (headers.cc?.length) line('cc', headers.cc.join(', '));
  if (headers.bcc?.length) line('bcc', headers.bcc.join(', '));
  line('subject', headers.subject ?? '');
  if (headers.inReplyTo) line('in-reply-to', headers.inReplyTo);
  if (headers.references?.length) line('references', headers.references.join(' '));
  if (headers.attachments?.length) {
    lines.push('attachments:');
    for (const file of headers.attachments) lines.push(`  - ${yamlScalar(file)}`);
  }
  if (headers.original) line(ORIGINAL_KEY, headers.original);
  lines.push('---');
  return `${lines.join('\n')}\n`;
}
