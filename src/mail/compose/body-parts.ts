/**
 * The body parts of a message, headers and encoded bytes: the text as it is, and for Markdown
 * the HTML rendered from it, wrapped into a document titled with the subject. The HTML goes from
 * md4c's bytes into the part without becoming a string.
 */
import { Readable } from 'node:stream';
import { htmlDocumentAround, renderMarkdownBytes } from './markdown';
import { encodedBody, encodedPart, partHeaders, textFitsAsIs, TransferEncoding } from './mime-part';

const TEXT = 'text/plain; charset=utf-8';

export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/**
 * The HTML part rendered from `markdown` (text, or its UTF-8 bytes). `asciiSource`: the source
 * is ASCII without NUL, so the HTML is ASCII if the title is (md4c writes ASCII markup around
 * the source's text).
 */
export function htmlBodyPart(markdown: string | Uint8Array, title: string, asciiSource: boolean): Buffer {
  const { head, tail } = htmlDocumentAround(title);
  const ascii = asciiSource && isAscii(head);
  return encodedPart([Buffer.from(head, 'utf8'), renderMarkdownBytes(markdown), Buffer.from(tail, 'utf8')], 'text/html; charset=utf-8', ascii);
}

/** Whether the HTML of `markdown` can be ASCII: an ASCII source without NUL (which md4c replaces). */
export function asciiMarkdown(markdown: string): boolean {
  return isAscii(markdown) && !markdown.includes('\0');
}

/** Characters per piece of the text part: a few milliseconds of work between two turns of the event loop. */
const PIECE = 256 * 1024;

function crlf(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n|\r|\n/g, '\r\n') : text.replace(/\n/g, '\r\n');
}

async function* asIsPieces(text: string): AsyncGenerator<Buffer> {
  for (let start = 0; start < text.length;) {
    await new Promise((resolve) => setImmediate(resolve));
    // Pieces end after a line end: no CRLF and no character is cut in two.
    const cut = start + PIECE < text.length ? text.indexOf('\n', start + PIECE) : -1;
    const end = cut < 0 ? text.length : cut + 1;
    yield Buffer.from(crlf(text.slice(start, end)), 'utf8');
    start = end;
  }
}

/**
 * The plain-text body after the headers `headersFor` gives for its encoding, made piece by
 * piece on this thread, from the next turn of the event loop on (the connection starts first):
 * the text goes as it is (its line ends made CRLF) unless a line is too long for that.
 */
export async function* textPartPieces(text: string, headersFor: (encoding: TransferEncoding) => Buffer): AsyncGenerator<Buffer> {
  await new Promise((resolve) => setImmediate(resolve));
  if (textFitsAsIs(text)) {
    yield headersFor(asciiMarkdown(text) ? '7bit' : '8bit');
    yield* asIsPieces(text);
    return;
  }
  const { encoding, bytes } = encodedBody([Buffer.from(text, 'utf8')], false);
  yield headersFor(encoding);
  yield bytes;
}

/** The text part of a multipart message: its headers, then the body. */
export function textBodyPart(text: string): Readable {
  return Readable.from(textPartPieces(text, (encoding) => partHeaders(TEXT, encoding)), { objectMode: false });
}
