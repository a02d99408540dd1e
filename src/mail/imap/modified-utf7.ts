/**
 * IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself
 * (`&` as `&-`), anything else is UTF-16 in base64 with `,` for `/`, between `&` and `-`. The
 * listing connection speaks the wire directly, so it needs the codec imapflow keeps internal.
 */

const isPrintableAscii = (code: number) => code >= 0x20 && code <= 0x7e;

function encodeRun(run: string): string {
  const utf16 = Buffer.alloc(run.length * 2);
  for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
  return '&' + utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
}

export function encodeMailboxName(name: string): string {
  let result = '';
  let run = '';
  for (const char of name) {
    if (isPrintableAscii(char.charCodeAt(0))) {
      if (run) { result += encodeRun(run); run = ''; }
      result += char === '&' ? '&-' : char;
    } else {
      run += char;
    }
  }
  return run ? result + encodeRun(run) : result;
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
    let text = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes.readUInt16BE(i));
    return text;
  });
  if (malformed || LONE_SURROGATE.test(decoded) || encodeMailboxName(decoded) !== encoded) return encoded;
  return decoded;
}
