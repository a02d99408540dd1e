/**
 * Turns an HTML-only mail body into text a person reads in a plain editor: paragraphs and
 * headings as blocks, list items as `- ` or `1. ` lines, links as `text (url)`, images as their
 * `[alt]`, line breaks kept, no tags, scripts, styles or entities left, no word wrap.
 *
 * It runs on the extension host's thread, so what a received message can cost is bounded here.
 * html-to-text converts in time linear in the input, except in how deep elements nest:
 * htmlparser2 keeps open elements with `Array.unshift`, so 340,000 unclosed `<b>` (1 MB) took
 * 35 s, and html-to-text walks the tree recursively (5,000 nested `<div>` overflow the stack).
 * A part over the size cap or the nesting cap is not converted: the reader gets a note and the
 * HTML part to save. (Our own converter before it was quadratic in everything: 40,000 list
 * items took 20 s.)
 */
import { compile, FormatCallback } from 'html-to-text';
import { Parser } from 'htmlparser2';

/**
 * Largest HTML part turned into text. 1 MiB of the most expensive markup measured (list items,
 * table rows) holds the thread for about half a second; ordinary newsletters are 50-300 KiB.
 */
export const MAX_HTML_TO_TEXT_BYTES = 1024 * 1024;

/** Deepest nesting of open elements turned into text; real mail nests tables 20-30 deep. */
export const MAX_HTML_NESTING = 400;

/** Pieces the nesting check feeds the parser, so it stops soon after the cap is passed. */
const NESTING_CHECK_CHUNK = 16 * 1024;

const block = (lineBreaks: number) => ({ leadingLineBreaks: lineBreaks, trailingLineBreaks: lineBreaks });

/** An image as its alternative text; its address (often a tracking pixel or `cid:`) says nothing to a reader. */
const altText: FormatCallback = (elem, _walk, builder) => {
  const alt = elem.attribs?.alt?.trim();
  if (alt) builder.addInline(`[${alt}]`, { noWordTransform: true });
};

/** A table cell, followed by spaces so neighbouring cells stay apart. */
const tableCell: FormatCallback = (elem, walk, builder) => {
  walk(elem.children, builder);
  builder.addInline('  ', { noWordTransform: true });
};

const heading = { format: 'block', options: { ...block(2), uppercase: false } };

const convert = compile({
  wordwrap: false,
  // `&nbsp;` runs lay out HTML; in a plain editor they are ordinary spaces.
  whitespaceCharacters: ' \t\r\n\f\u200b\u00a0',
  formatters: { altText, tableCell },
  selectors: [
    { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'altText' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, ...heading })),
    { selector: 'ul', options: { itemPrefix: '- ', ...block(2) } },
    { selector: 'ol', options: block(2) },
    { selector: 'tr', format: 'block', options: block(1) },
    { selector: 'td', format: 'tableCell' },
    { selector: 'th', format: 'tableCell' },
    { selector: 'hr', options: { length: 10 } },
  ],
});

/**
 * Whether open elements ever nest deeper than `limit`, by the same parser html-to-text uses
 * (so implied and void closes count alike). Stops as soon as they do, so its cost stays linear.
 */
function nestsDeeperThan(html: string, limit: number): boolean {
  let depth = 0;
  let tooDeep = false;
  const parser = new Parser({
    onopentagname() {
      if (++depth > limit) {
        tooDeep = true;
        parser.pause();
      }
    },
    onclosetag() {
      depth--;
    },
  });
  for (let at = 0; at < html.length && !tooDeep; at += NESTING_CHECK_CHUNK) parser.write(html.slice(at, at + NESTING_CHECK_CHUNK));
  return tooDeep;
}

/** An HTML body as the reader sees it: its text, or a note saying why it is not shown as text. */
export interface HtmlBodyText {
  text: string;
  /** False: `text` is a note, and the reader should be offered the HTML part to save. */
  converted: boolean;
}

function notShown(why: string): HtmlBodyText {
  return { text: `(HTML part ${why}; save it to open it in a browser)`, converted: false };
}

export function htmlToText(html: string): HtmlBodyText {
  const bytes = Buffer.byteLength(html, 'utf8');
  if (bytes > MAX_HTML_TO_TEXT_BYTES) return notShown(`too large to show as text: ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  if (nestsDeeperThan(html, MAX_HTML_NESTING)) return notShown(`nested too deeply to show as text (over ${MAX_HTML_NESTING} levels)`);
  // Line by line: a `[ \t]+$` pattern over the whole text is quadratic in a long run of spaces.
  const lines = convert(html).split('\n').map((line) => line.trimEnd());
  return { text: lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').trimEnd(), converted: true };
}
