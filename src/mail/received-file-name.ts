/**
 * A file name that came in a message (an attachment's `filename`/`name`), made safe to show and
 * to save: the one rule for every received name that reaches the screen or the file system.
 *
 * - Bidi and other invisible format characters become `_`: U+202E turns `invoice\u202Efdp.exe`
 *   into "invoiceexe.pdf" on screen; with `_` the reader sees `invoice_fdp.exe`.
 * - Control characters (C0, DEL, C1), path separators and the characters Windows refuses
 *   (`<>:"|?*`) become `_`; leading dots become `_` (no hidden or `..` names).
 * - Trailing dots and spaces are dropped (Windows drops them itself, changing the extension).
 * - Windows device names (`CON`, `nul.txt`, `COM1.pdf`, …) get a leading `_`.
 * - Names over 255 UTF-8 bytes are cut on a character boundary, keeping the extension.
 */

const MAX_NAME_BYTES = 255;
/** An extension kept whole when a long name is cut; longer "extensions" are part of the name. */
const MAX_KEPT_EXTENSION_BYTES = 32;

/**
 * Code points shown or saved as `_`: C0 and C1 controls and DEL, the soft hyphen, bidi marks,
 * embeddings, overrides and isolates, zero-width and other invisible format characters, line
 * and paragraph separators, Hangul fillers, the BOM and interlinear annotation marks.
 */
const INVISIBLE_RANGES: readonly [number, number][] = [
  [0x00, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x61c, 0x61c], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180e, 0x180e],
  [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x206f], [0x3164, 0x3164], [0xfeff, 0xfeff], [0xfff9, 0xfffb],
];
/** What a path or Windows does not allow in a name. */
const NOT_IN_NAMES = new Set('/\\<>:"|?*');

function unsafe(char: string): boolean {
  const code = char.codePointAt(0)!;
  return NOT_IN_NAMES.has(char) || INVISIBLE_RANGES.some(([from, to]) => code >= from && code <= to);
}

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$) *(\.|$)/i;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest start of `text` within `bytes` UTF-8 bytes, never splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

/** Without trailing dots and spaces; a loop, since `[. ]+$` is quadratic in a long run of them. */
function withoutTrailingDots(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  return name.slice(0, end);
}

function shorten(name: string): string {
  if (utf8Length(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && utf8Length(name.slice(dot)) <= MAX_KEPT_EXTENSION_BYTES ? name.slice(dot) : '';
  const base = extension ? name.slice(0, dot) : name;
  return withoutTrailingDots(cutToBytes(base, MAX_NAME_BYTES - utf8Length(extension))) + extension;
}

/** `received` made safe to show and save; `fallback` when nothing of it is left. */
export function safeFileName(received: string | undefined, fallback: string): string {
  const shown = [...(received ?? '').normalize('NFC')].map((char) => (unsafe(char) ? '_' : char)).join('');
  const cleaned = withoutTrailingDots(shown.trim()).replace(/^\.+/, '_');
  if (!cleaned) return fallback;
  return shorten(WINDOWS_DEVICE.test(cleaned) ? `_${cleaned}` : cleaned) || fallback;
}
