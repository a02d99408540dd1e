/**
 * The body parts of a message, headers and encoded bytes: the text as it is, and for Markdown
 * the HTML rendered from it, wrapped into a document titled with the subject. The HTML goes from
 * md4c's bytes into the part without becoming a string.
 */
import { Readable } from 'node:stream';
import { htmlDocumentAround, renderMarkdownBytes } from './markdown';
import { chunkOffsets } from './markdown-chunks';
import { crlfText, encodedPart, lineSafe, partHeaders, TransferEncoding } from './mime-part';

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

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
  return encodedPart([Buffer.from(head, 'utf8'), renderMarkdownBytes(markdown), Buffer.from(tail, 'utf8')], HTML, ascii);
}

/** Rendered or written HTML as it goes as it is: CRLF line ends; every line fits (see ./markdown-chunks). */
function asIsHtml(html: Uint8Array): Buffer {
  const bytes = crlfText(Buffer.from(html.buffer, html.byteOffset, html.byteLength));
  if (!bytes) throw new Error('a line of the HTML is over 998 octets');
  return bytes;
}

/**
 * The HTML part in pieces, to be sent one after the other: a large document whose lines allow
 * it is rendered chunk by chunk (./markdown-chunks), the part's headers and the document's
 * head first, so sending can start before the last chunk is rendered; any other is one piece.
 */
export function* htmlBodyPieces(markdown: Uint8Array, title: string, asciiSource: boolean, chunkBytes?: number): Generator<Buffer> {
  const cuts = chunkOffsets(markdown, chunkBytes);
  if (!cuts) {
    yield htmlBodyPart(markdown, title, asciiSource);
    return;
  }
  const { head, tail } = htmlDocumentAround(title);
  yield Buffer.concat([partHeaders(HTML, asciiSource && isAscii(head) ? '7bit' : '8bit'), asIsHtml(Buffer.from(head, 'utf8'))]);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const piece = asIsHtml(renderMarkdownBytes(markdown.subarray(cuts[i], cuts[i + 1])));
    yield i + 2 < cuts.length ? piece : Buffer.concat([piece, asIsHtml(Buffer.from(tail, 'utf8'))]);
  }
}

/** Whether the HTML of `markdown` can be ASCII: an ASCII source without NUL (which md4c replaces). */
export function asciiMarkdown(markdown: string): boolean {
  return isAscii(markdown) && !markdown.includes('\0');
}

/** A body's text and its UTF-8 bytes, encoded once for the text part and the HTML renderer both. */
export class BodyText {
  private encoded: Buffer | undefined;

  constructor(readonly text: string) {}

  utf8(): Buffer {
    this.encoded ??= Buffer.from(this.text, 'utf8');
    return this.encoded;
  }

  /** ASCII without NUL: its HTML is ASCII too (see `asciiMarkdown`). */
  asciiWithoutNul(): boolean {
    return this.utf8().length === this.text.length && !this.text.includes('\0');
  }
}

function bodyText(text: string | BodyText): BodyText {
  return typeof text === 'string' ? new BodyText(text) : text;
}

/**
 * The plain-text body after the headers `headersFor` gives for its encoding, made on the next
 * turn of the event loop (the connection starts first): the text goes as it is, its line ends
 * made CRLF, unless a line is too long for that (then quoted-printable or base64).
 */
export async function* textPartPieces(text: string | BodyText, headersFor: (encoding: TransferEncoding) => Buffer): AsyncGenerator<Buffer> {
  await new Promise((resolve) => setImmediate(resolve));
  const body = bodyText(text);
  const bytes = body.utf8();
  const ascii = bytes.length === body.text.length;
  const asIs = crlfText(bytes);
  if (asIs) {
    yield headersFor(ascii ? '7bit' : '8bit');
    yield asIs;
    return;
  }
  // crlfText has looked: it cannot go as it is.
  const encoded = lineSafe([bytes]);
  yield headersFor(encoded.encoding);
  yield encoded.bytes;
}

/** The text part of a multipart message: its headers, then the body. */
export function textBodyPart(text: string | BodyText): Readable {
  return Readable.from(textPartPieces(text, (encoding) => partHeaders(TEXT, encoding)), { objectMode: false });
}
