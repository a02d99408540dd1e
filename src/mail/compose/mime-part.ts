/**
 * A text part of a message, headers and encoded body, as bytes that nodemailer puts into the
 * message as they are. Encoding is the costly step of building a large message, so a text whose
 * lines allow it goes as it is (7bit or 8bit), and the rest is encoded here in one pass over the
 * bytes rather than through nodemailer's streams (about 10 ms a megabyte where nodemailer takes
 * about 40).
 */
const HEX = Buffer.from('0123456789ABCDEF');
const CR = 13;
const LF = 10;
const EQUALS = 61;
/** Characters on a line before the soft break `=` (RFC 2045: at most 76 with it). */
const LINE = 75;

/**
 * Quoted-printable (RFC 2045 6.7): printable ASCII as is, other bytes as `=XX`, spaces and tabs
 * at a line end encoded, lines of at most 76 characters with soft breaks, and every line end of
 * the text (CRLF, LF or CR) a CRLF. Encodes a text piece by piece: `encode(input, start, end)`
 * continues where the previous piece (of this input or another) ended, and may look at the
 * byte after `end`.
 */
export class QuotedPrintableEncoder {
  private column = 0;
  /** The last byte was a CR: a LF right after it (in this piece or the next) belongs to the same line end. */
  private afterCR = false;

  encode(input: Uint8Array, start = 0, end = input.length): Buffer {
    const count = end - start;
    const out = Buffer.allocUnsafe(count * 3 + Math.ceil((count * 3) / LINE) * 3 + 3);
    const n = input.length;
    let o = 0;
    let column = this.column;
    let afterCR = this.afterCR;
    for (let i = start; i < end; i++) {
      const byte = input[i];
      if (byte >= 33 && byte <= 126 && byte !== EQUALS) {
        if (column === LINE) {
          out[o++] = EQUALS; out[o++] = CR; out[o++] = LF;
          column = 0;
        }
        out[o++] = byte;
        column++;
        afterCR = false;
        continue;
      }
      if (byte === CR || byte === LF) {
        if (byte === LF && afterCR) {
          afterCR = false;
          continue;
        }
        out[o++] = CR; out[o++] = LF;
        column = 0;
        afterCR = byte === CR;
        continue;
      }
      afterCR = false;
      // A space or tab stays as it is unless it ends a line (or the input: what follows is not known).
      const next = input[i + 1];
      if ((byte === 32 || byte === 9) && i + 1 < n && next !== CR && next !== LF) {
        if (column === LINE) {
          out[o++] = EQUALS; out[o++] = CR; out[o++] = LF;
          column = 0;
        }
        out[o++] = byte;
        column++;
        continue;
      }
      if (column > LINE - 3) {
        out[o++] = EQUALS; out[o++] = CR; out[o++] = LF;
        column = 0;
      }
      out[o++] = EQUALS;
      out[o++] = HEX[byte >> 4];
      out[o++] = HEX[byte & 15];
      column += 3;
    }
    this.column = column;
    this.afterCR = afterCR;
    return out.subarray(0, o);
  }
}

/** The whole of `input` in quoted-printable. */
export function quotedPrintable(input: Uint8Array): Buffer {
  return new QuotedPrintableEncoder().encode(input);
}

/** Base64 in lines of 76 characters. */
export function base64Lines(input: Uint8Array): Buffer {
  const encoded = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Text with CRLF line ends, as UTF-8. */
function crlfBytes(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n|\r/g, '\r\n'), 'utf8');
}

export type TransferEncoding = '7bit' | '8bit' | 'quoted-printable' | 'base64';

/** RFC 5322: a line is at most 998 octets, its line end not counted. */
const MAX_LINE = 998;

/**
 * The pieces as one text with CRLF line ends (a lone LF or CR becomes CRLF), when every line is
 * at most 998 octets and there is no NUL: what can go as it is. Undefined otherwise. One pass.
 */
export function asIsBytes(pieces: Uint8Array[]): Buffer | undefined {
  const length = pieces.reduce((n, piece) => n + piece.length, 0);
  let out = Buffer.allocUnsafe(length + (length >> 4) + 16);
  let o = 0;
  let column = 0;
  let previous = 0;
  for (const bytes of pieces) {
    for (let i = 0; i < bytes.length; i++) {
      if (o + 3 > out.length) {
        const larger = Buffer.allocUnsafe(out.length * 2);
        out.copy(larger, 0, 0, o);
        out = larger;
      }
      const byte = bytes[i];
      if (byte === LF) {
        if (previous !== CR) out[o++] = CR;
        out[o++] = LF;
        column = 0;
      } else {
        if (previous === CR) {
          out[o++] = LF;
          column = 0;
        }
        if (byte === CR) {
          out[o++] = CR;
        } else {
          if (byte === 0 || ++column > MAX_LINE) return undefined;
          out[o++] = byte;
        }
      }
      previous = byte;
    }
  }
  if (previous === CR) out[o++] = LF;
  return out.subarray(0, o);
}

/** Quoted-printable for mostly-Latin text, base64 for text mostly in other scripts (smaller so). */
function encodingOf(pieces: Uint8Array[]): 'quoted-printable' | 'base64' {
  let high = 0;
  let length = 0;
  for (const bytes of pieces) {
    length += bytes.length;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) high++;
  }
  return high > length / 4 ? 'base64' : 'quoted-printable';
}

export function partHeaders(contentType: string, encoding: TransferEncoding): Buffer {
  return Buffer.from(`Content-Type: ${contentType}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`, 'latin1');
}

/**
 * The pieces of one text, encoded for a part (headers and body) of `contentType` (with its
 * charset: `text/html; charset=utf-8`): as they are where their lines allow, `7bit` for ASCII
 * and else `8bit` (every submission server of this century takes 8BITMIME, Exchange Online
 * included); otherwise quoted-printable or base64.
 */
export function encodedPart(pieces: Uint8Array[], contentType: string, ascii: boolean): Buffer {
  const part = asIs(partHeaders(contentType, ascii ? '7bit' : '8bit'), pieces);
  if (part) return part;
  const { encoding, bytes } = lineSafe(pieces);
  return Buffer.concat([partHeaders(contentType, encoding), bytes]);
}

/** `head`, then the pieces as `asIsBytes` makes them, by the tight loop where they have no CR and no NUL. */
function asIs(head: Buffer, pieces: Uint8Array[]): Buffer | undefined {
  const buffers = pieces.map((piece) => (Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)));
  if (buffers.every((piece) => piece.indexOf(CR) < 0 && piece.indexOf(0) < 0)) return afterLfLines(head, buffers);
  return withHead(head, asIsBytes(pieces));
}

/**
 * What `asIsBytes` makes of UTF-8 text, by native searches and copies where the line ends
 * allow: as it is when they are all CRLF, converted when they are all LF; mixed ones are left
 * to `asIsBytes`. Undefined when a line is over 998 octets or the text holds a NUL.
 */
export function crlfText(bytes: Buffer): Buffer | undefined {
  if (bytes.indexOf(0) >= 0) return undefined;
  if (bytes.indexOf(CR) < 0) return afterLfLines(NOTHING, [bytes]);
  let crs = 0;
  for (let at = bytes.indexOf(CR); at >= 0; at = bytes.indexOf(CR, at + 1)) crs++;
  let start = 0;
  let lines = 0;
  for (let found = bytes.indexOf(LF); found >= 0; found = bytes.indexOf(LF, found + 1)) {
    // A lone LF, or a line long enough that a lone CR in it may matter: byte by byte.
    if (bytes[found - 1] !== CR || found - 1 - start > MAX_LINE) return asIsBytes([bytes]);
    lines++;
    start = found + 1;
  }
  // Every CR ends a CRLF, and the last line fits.
  return crs === lines && bytes.length - start <= MAX_LINE ? bytes : asIsBytes([bytes]);
}

/**
 * `head`, then `pieces` with every LF made CRLF, when no line is over 998 octets (undefined
 * otherwise). For text with LF line ends only and no NUL, as md4c writes it: a loop with
 * nothing else to look at is about twice as fast as `asIsBytes`.
 */
function afterLfLines(head: Buffer, pieces: Uint8Array[]): Buffer | undefined {
  const length = pieces.reduce((n, piece) => n + piece.length, 0);
  // Room for a line end every four bytes; a text with shorter lines goes through `asIsBytes`.
  const out = Buffer.allocUnsafe(head.length + length + (length >> 2) + 16);
  let o = head.copy(out, 0);
  let column = 0;
  for (const piece of pieces) {
    for (let i = 0; i < piece.length; i++) {
      const byte = piece[i];
      if (byte === LF) {
        if (o + 2 > out.length) return withHead(head, asIsBytes(pieces));
        out[o++] = CR;
        out[o++] = LF;
        column = 0;
      } else {
        if (++column > MAX_LINE) return undefined;
        out[o++] = byte;
      }
    }
  }
  return out.subarray(0, o);
}

const NOTHING = Buffer.alloc(0);

function withHead(head: Buffer, body: Buffer | undefined): Buffer | undefined {
  return body && (head.length ? Buffer.concat([head, body]) : body);
}

/** The body of such a part, without its headers. */
export function encodedBody(pieces: Uint8Array[], ascii: boolean): { encoding: TransferEncoding; bytes: Buffer } {
  const bytes = asIs(NOTHING, pieces);
  return bytes ? { encoding: ascii ? '7bit' : '8bit', bytes } : lineSafe(pieces);
}

/** Text that cannot go as it is (a line too long, a NUL): base64 when mostly not ASCII, else quoted-printable. */
export function lineSafe(pieces: Uint8Array[]): { encoding: 'quoted-printable' | 'base64'; bytes: Buffer } {
  if (encodingOf(pieces) === 'base64') return { encoding: 'base64', bytes: base64Lines(crlfBytes(Buffer.concat(pieces).toString('utf8'))) };
  const encoder = new QuotedPrintableEncoder();
  return { encoding: 'quoted-printable', bytes: Buffer.concat(pieces.map((piece) => encoder.encode(piece))) };
}
