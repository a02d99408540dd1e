/**
 * Turns an HTML-only mail body into text a person reads in a plain editor: paragraphs and
 * headings as blocks, list items as `- ` or `1. ` lines, links as `text (url)`, line breaks
 * kept, no tags, scripts, styles or entities left.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•',
  middot: '·', euro: '€', pound: '£', yen: '¥', laquo: '«', raquo: '»', times: '×', deg: '°',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è', agrave: 'à',
};

const BLOCKS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'blockquote',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'tr', 'pre', 'hr', 'address', 'figure', 'form', 'dl', 'dt', 'dd']);
const DROPPED = /<(script|style|head|title|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '') : undefined;
}

interface ListState {
  ordered: boolean;
  next: number;
}

export function htmlToText(html: string): string {
  const source = html.replace(/<!--[\s\S]*?-->/g, '').replace(DROPPED, '');
  let out = '';
  const lists: ListState[] = [];
  const links: (string | undefined)[] = [];
  let linkTextStart = 0;
  let preDepth = 0;
  const block = () => {
    out = out.replace(/[ \t]+$/, '');
    if (out && !out.endsWith('\n\n')) out += out.endsWith('\n') ? '\n' : '\n\n';
  };
  const lineBreak = () => {
    out = out.replace(/[ \t]+$/, '') + '\n';
  };
  const tokens = source.split(/(<[^>]*>)/);
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      let text = decodeEntities(token);
      if (preDepth === 0) {
        text = text.replace(/\s+/g, ' ');
        if (out === '' || /\s$/.test(out)) text = text.replace(/^ /, '');
      }
      out += text;
      continue;
    }
    const match = /^<\s*(\/?)\s*([a-z0-9]+)/i.exec(token);
    if (!match) continue;
    const closing = match[1] === '/';
    const name = match[2]!.toLowerCase();
    if (name === 'br') {
      lineBreak();
    } else if (name === 'li' && !closing) {
      const list = lists[lists.length - 1];
      if (!out.endsWith('\n') && out) lineBreak();
      out += '  '.repeat(Math.max(0, lists.length - 1)) + (list?.ordered ? `${list.next++}. ` : '- ');
    } else if (name === 'li') {
      lineBreak();
    } else if ((name === 'ul' || name === 'ol') && !closing) {
      if (lists.length === 0) block(); else if (!out.endsWith('\n')) lineBreak();
      lists.push({ ordered: name === 'ol', next: Number(attribute(token, 'start') ?? 1) || 1 });
    } else if (name === 'ul' || name === 'ol') {
      lists.pop();
      if (lists.length === 0) block();
    } else if (name === 'a' && !closing) {
      links.push(attribute(token, 'href'));
      linkTextStart = out.length;
    } else if (name === 'a') {
      const href = links.pop();
      const label = out.slice(linkTextStart).trim();
      if (href && !/^(mailto:|#|javascript:)/i.test(href) && label !== href) out += ` (${href})`;
      else if (href?.toLowerCase().startsWith('mailto:') && !label.includes('@')) out += ` (${href.slice(7)})`;
    } else if (name === 'img' && !closing) {
      const alt = attribute(token, 'alt');
      if (alt) out += `[${alt}]`;
    } else if (name === 'td' || name === 'th') {
      if (closing) out += '  ';
    } else if (name === 'pre') {
      block();
      preDepth += closing ? -1 : 1;
      preDepth = Math.max(0, preDepth);
    } else if (name === 'hr' && !closing) {
      block();
      out += '----------';
      block();
    } else if (BLOCKS.has(name)) {
      block();
    }
  }
  return out.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
