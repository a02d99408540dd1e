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

export function decodeMailboxName(encoded: string): string {
  return encoded.replace(/&([^-]*)-/g, (_whole, base64: string) => {
    if (base64 === '') return '&';
    const bytes = Buffer.from(base64.replace(/,/g, '/'), 'base64');
    let text = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes.readUInt16BE(i));
    return text;
  });
}
