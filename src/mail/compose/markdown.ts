/**
 * Markdown to the HTML part of a message. md4c (C, compiled to WebAssembly: `markdown-wasm`)
 * renders CommonMark with GitHub's tables, strikethrough, task lists and bare links; it renders
 * 5 MB in about a tenth of the time markdown-it takes, which is what lets a large document go
 * out about as fast as its bytes travel. The result is wrapped into a small complete document
 * (UTF-8, a readable style that mail clients keep).
 *
 * What arrives is what the Markdown says: raw HTML is shown as text, not passed through, and
 * links to `javascript:`, `vbscript:`, `file:` and `data:` (other than images) lose their target.
 * Headings get GitHub-style ids, so a table of contents (`[Changes](#changes)`) still works in
 * the clients that follow in-message links.
 */
import { decodeHTML } from 'entities';
import { parse, ParseFlags } from 'markdown-wasm';

const FLAGS = ParseFlags.COLLAPSE_WHITESPACE | ParseFlags.PERMISSIVE_URL_AUTO_LINKS | ParseFlags.PERMISSIVE_WWW_AUTOLINKS
  | ParseFlags.PERMISSIVE_EMAIL_AUTO_LINKS | ParseFlags.TABLES | ParseFlags.STRIKETHROUGH | ParseFlags.TASK_LISTS | ParseFlags.NO_HTML;

const BLOCKED_SCHEMES = new Set(['javascript', 'vbscript', 'file', 'data']);

/** A target as a browser reads it: character references decoded, tabs and line breaks dropped, leading blanks and controls trimmed. */
function asBrowserReads(url: string): string {
  const target = decodeHTML(url).replace(/[\t\n\r]/g, '');
  let start = 0;
  while (start < target.length && target.charCodeAt(start) <= 0x20) start++;
  return target.slice(start);
}

/** A link or image target (as md4c writes it in an attribute) that must not be followed: scripts, local files, data other than images. */
function unsafeTarget(url: string, image: boolean): boolean {
  const target = asBrowserReads(url);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(target)?.[1].toLowerCase();
  if (!scheme || !BLOCKED_SCHEMES.has(scheme)) return false;
  return !(image && scheme === 'data' && /^data:image\/(?:gif|png|jpeg|webp);/i.test(target));
}

const TARGET = /(<a href="|<img src=")([^"]*)"/g;

/** The rendered body (a fragment: `htmlDocumentAround` gives the complete document around it), unsafe targets emptied. */
export function renderMarkdown(source: string | Uint8Array): string {
  return parse(source, { parseFlags: FLAGS })
    .replace(TARGET, (all, attribute: string, url: string) => (unsafeTarget(url, attribute.startsWith('<img')) ? `${attribute}"` : all));
}

const TARGET_STARTS = [Buffer.from('<a href="'), Buffer.from('<img src="')];
/**
 * First bytes of a target that needs a closer look: those of the blocked schemes, and a
 * character reference or a blank, which could hide one. A target starting otherwise cannot
 * read as a blocked scheme.
 */
const SUSPECT_FIRST = new Set([...'&jJvVfFdD'].map((c) => c.charCodeAt(0)));

/** Whether some target in rendered bytes could be unsafe (a quick look at first bytes only). */
function maySuspectTarget(html: Buffer): boolean {
  for (const marker of TARGET_STARTS) {
    for (let at = html.indexOf(marker); at >= 0; at = html.indexOf(marker, at + marker.length)) {
      const first = html[at + marker.length];
      if (SUSPECT_FIRST.has(first) || first <= 0x20) return true;
    }
  }
  return false;
}

/**
 * The rendered body as UTF-8 bytes, valid until the next rendering. Straight from md4c when no
 * target needs a closer look (the usual case), which saves decoding and encoding a large body.
 */
export function renderMarkdownBytes(source: string | Uint8Array): Uint8Array {
  const bytes = parse(source, { parseFlags: FLAGS, bytes: true });
  if (!maySuspectTarget(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) return bytes;
  return Buffer.from(renderMarkdown(source), 'utf8');
}

/** The text of the first `<h1>`…`<h6>` of rendered HTML, without its markup. */
function firstHeadingOf(html: string): string | undefined {
  const match = /<h([1-6])>([\s\S]*?)<\/h\1>/.exec(html);
  if (!match) return undefined;
  const text = decodeHTML(match[2].replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
  return text || undefined;
}

/** Lines that may start or end a heading (`# …`, or the `===`/`---` under a paragraph), quoted or not. */
const HEADING_LINE = /^[ \t>]*(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)/gm;
/** `[label]: target` on a line of its own: a link reference definition. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$/gm;
/** After this many lines that turned out not to be headings (a shell comment in a code block…), render the whole document once. */
const PREFIX_TRIES = 8;

/**
 * The text of the first heading (`#` or underlined), if the document has one. Renders only the
 * document up to the first line that can end a heading, so a large document costs no more than
 * its first section.
 */
export function firstMarkdownHeading(source: string): string | undefined {
  HEADING_LINE.lastIndex = 0;
  for (let tries = 0; tries < PREFIX_TRIES; tries++) {
    const match = HEADING_LINE.exec(source);
    if (!match) return undefined;
    const lineEnd = source.indexOf('\n', match.index);
    const end = lineEnd < 0 ? source.length : lineEnd + 1;
    let prefix = source.slice(0, end);
    let heading = firstHeadingOf(renderMarkdown(prefix));
    // A `[label]` left as it is may be a reference defined further down: render again with the definitions.
    if (heading?.includes('[')) {
      prefix += `\n\n${(source.slice(end).match(REFERENCE_DEFINITION) ?? []).join('\n')}\n`;
      heading = firstHeadingOf(renderMarkdown(prefix));
    }
    if (heading !== undefined) return heading;
    HEADING_LINE.lastIndex = end;
  }
  return firstHeadingOf(renderMarkdown(source));
}

const STYLE = `body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #1f2328; max-width: 46em; margin: 0 auto; padding: 16px; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
a { color: #0969da; }
a.anchor { display: none; }
code, pre { font-family: Consolas, "SF Mono", Menlo, monospace; font-size: 90%; }
code { background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
img { max-width: 100%; }`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What goes before and after the rendered body in the document. */
export function htmlDocumentAround(title: string): { head: string; tail: string } {
  const head = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
`;
  return { head, tail: '</body>\n</html>\n' };
}
