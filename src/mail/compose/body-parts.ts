/**
 * The body parts of a message, headers and encoded bytes: the text as it is, and for Markdown
 * the HTML rendered from it, wrapped into a document titled with the subject. The HTML goes from
 * md4c's bytes into the part without becoming a string.
 */
import { Readable } from 'node:stream';
import { htmlDocumentAround, renderMarkdownBytes } from './markdown';
import { crlfText, encodedBody, encodedPart, partHeaders, TransferEncoding } from './mime-part';

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
  const encoded = encodedBody([bytes], ascii);
  yield headersFor(encoded.encoding);
  yield encoded.bytes;
}

/** The text part of a multipart message: its headers, then the body. */
export function textBodyPart(text: string | BodyText): Readable {
  return Readable.from(textPartPieces(text, (encoding) => partHeaders(TEXT, encoding)), { objectMode: false });
}
