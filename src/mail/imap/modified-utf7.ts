/**
 * IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself
 * (`&` as `&-`), anything else is UTF-16 in base64 with `,` for `/`, between `&` and `-`. The
 * listing connection speaks the wire directly, so it needs the codec imapflow keeps internal.
 */

const isPrintableAscii = (code: number) => code >= 0x20 && code <= 0x7e;

function encodeRun(run: string): string {
  // UTF-16BE by native conversion: UTF-16LE, then each pair of bytes swapped.
  const utf16 = Buffer.from(run, 'utf16le').swap16();
  return '&' + utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
}

export function encodeMailboxName(name: string): string {
  // Printable ASCII stands for itself (`&` as `&-`); each stretch of anything else is one run.
  return name.replace(/[\x20-\x7e]+|[^\x20-\x7e]+/g, (part) => (isPrintableAscii(part.charCodeAt(0)) ? part.replace(/&/g, '&-') : encodeRun(part)));
}

/** A lone half of a surrogate pair: UTF-16 that stands for no character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The name a mailbox has on the wire, for display. Only the canonical encoding is decoded: the
 * one our encoder gives back byte for byte (printable ASCII never encoded, `&` only as `&-`,
 * zero padding bits, one run per stretch of other characters, valid UTF-16). Anything else —
 * `&AGE-` for "a", for one — is shown as it came, so two different mailboxes never look alike.
 */
export function decodeMailboxName(encoded: string): string {
  let malformed = false;
  const decoded = encoded.replace(/&([^-]*)-/g, (_whole, base64: string) => {
    if (base64 === '') return '&';
    if (!/^[A-Za-z0-9+,]+$/.test(base64)) malformed = true;
    const bytes = Buffer.from(base64.replace(/,/g, '/'), 'base64');
    // An odd byte left over is not UTF-16: the re-encoding below will not match.
    const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
    return Buffer.from(even).swap16().toString('utf16le');
  });
  if (malformed || LONE_SURROGATE.test(decoded) || encodeMailboxName(decoded) !== encoded) return encoded;
  return decoded;
}
