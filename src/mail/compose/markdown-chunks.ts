/**
 * Where a large Markdown document can be cut so that md4c, rendering the pieces one by one,
 * writes exactly the HTML the whole document renders into: before a top-level ATX heading
 * (`# …` at the start of a line) that follows a blank line, outside fenced code. Such a line
 * always starts a new block, whatever came before it (a paragraph, a list, a quote, indented
 * code; a table, which md4c only ends at a blank line), and nothing after it depends on what
 * came before, except link reference definitions: a document with any is rendered whole. So
 * the first pieces can be sent while the rest renders.
 *
 * A piece's HTML goes as it is (8-bit), which needs every line under 998 octets before it is
 * known: a document is cut only when its source lines are at most 140 octets. Markup makes a
 * line at most about six times longer (a line of bare e-mail addresses, or of `"` written as
 * `&quot;`), and a list item's checkbox adds 90 octets.
 */

/** Pieces of about this many bytes of source. */
export const CHUNK_BYTES = 512 * 1024;
/** The longest source line of a document that is cut. */
export const MAX_SOURCE_LINE = 140;

const NUL = '\0';
const HASH = 0x23;
const SPACE = 0x20;
const TAB = 0x09;

/** An opening or closing code fence: up to 3 spaces, then 3 or more backticks or tildes. */
const FENCE = / {0,3}(`{3,}|~{3,})([^\n]*)/y;
/** A line of nothing but blanks, to its end. */
const BLANK_LINE = /[ \t\r]*(?:\n|$)/y;
/** A link reference definition's first line: `[label]:`. */
const DEFINITION = / {0,3}\[(?:[^\]\\\n]|\\.)+\]:/y;

function isAtxHeading(text: string, start: number): boolean {
  let level = 0;
  while (level < 6 && text.charCodeAt(start + level) === HASH) level++;
  if (level === 0) return false;
  const next = text.charCodeAt(start + level);
  return Number.isNaN(next) || next === SPACE || next === TAB || next === 0x0a || next === 0x0d;
}

/**
 * Byte offsets to cut `source` (UTF-8) at: the first is 0, the last its length, each piece
 * about `chunkBytes` long. Undefined when the document is to be rendered whole: small, a line
 * over 140 octets, a NUL, a link reference definition, or no place to cut.
 */
export function chunkOffsets(source: Uint8Array, chunkBytes = CHUNK_BYTES): number[] | undefined {
  if (source.length <= chunkBytes) return undefined;
  // One character per byte: offsets in the text are offsets in the bytes.
  const text = Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('latin1');
  if (text.includes(NUL)) return undefined;
  const cuts = [0];
  let fence: { marker: string; length: number } | undefined;
  let afterBlank = true;
  for (let start = 0; start < text.length;) {
    const found = text.indexOf('\n', start);
    const end = found < 0 ? text.length : found;
    if (end - start > MAX_SOURCE_LINE) return undefined;
    const first = text.charCodeAt(start);
    if (first === SPACE || first === 0x60 || first === 0x7e) {
      FENCE.lastIndex = start;
      const match = FENCE.exec(text);
      if (match && match.index === start) {
        const marker = match[1][0];
        if (!fence) {
          // A backtick fence's info string holds no backtick.
          if (marker === '~' || !match[2].includes('`')) fence = { marker, length: match[1].length };
        } else if (marker === fence.marker && match[1].length >= fence.length && match[2].trim() === '') {
          fence = undefined;
        }
      }
    }
    if (!fence) {
      if (first === HASH && afterBlank && start - cuts[cuts.length - 1] >= chunkBytes && isAtxHeading(text, start)) cuts.push(start);
      if (first === SPACE || first === 0x5b) {
        DEFINITION.lastIndex = start;
        const match = DEFINITION.exec(text);
        if (match && match.index === start) return undefined;
      }
    }
    BLANK_LINE.lastIndex = start;
    afterBlank = BLANK_LINE.test(text);
    start = end + 1;
  }
  if (cuts.length < 2) return undefined;
  cuts.push(text.length);
  return cuts;
}
