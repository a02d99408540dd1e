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
 * (a document that merely starts with a horizontal rule) is left as body.
 */

export interface FrontMatterHeaders {
  from?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
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
  const single = (key: 'from' | 'subject'): string | undefined => {
    const value = values.get(key);
    const text = Array.isArray(value) ? value.join(', ') : value;
    return text ? text : undefined;
  };
  const from = single('from');
  if (from) headers.from = from;
  const subject = single('subject');
  if (subject) headers.subject = subject;
  return headers;
}
