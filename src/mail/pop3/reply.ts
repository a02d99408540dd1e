/**
 * POP3's replies (RFC 1939, RFC 2449, RFC 5034): a status line `+OK text` or `-ERR text`, a SASL
 * continuation `+ base64`, and for multi-line replies the lines that follow up to a lone `.`,
 * with the leading dot of "byte-stuffed" lines removed.
 */
export type StatusKind = 'ok' | 'err' | 'continue';

export interface StatusLine {
  kind: StatusKind;
  /** What follows the status indicator, e.g. `[AUTH] Authentication failed.` */
  text: string;
}

export interface Pop3Reply extends StatusLine {
  kind: 'ok';
  /** The data lines of a multi-line reply, dot-unstuffed; empty for a single-line reply. */
  lines: Buffer[];
}

/** The RFC 2449/3206 response code in brackets at the start of the text, e.g. `AUTH`, `SYS/TEMP`. */
export function responseCode(text: string): string | undefined {
  return /^\[([^\]\s]+)\]/.exec(text)?.[1]?.toUpperCase();
}

/** Returns undefined when the line is none of the three forms. */
export function parseStatusLine(line: string): StatusLine | undefined {
  const match = /^(\+OK|-ERR|\+)(?:[ \t](.*))?$/i.exec(line);
  if (!match) return undefined;
  const indicator = match[1]!.toUpperCase();
  const kind: StatusKind = indicator === '+OK' ? 'ok' : indicator === '-ERR' ? 'err' : 'continue';
  return { kind, text: (match[2] ?? '').trim() };
}

export function isTerminator(line: Buffer): boolean {
  return line.length === 1 && line[0] === 0x2e;
}

/** A data line starting with `.` had one more `.` put in front of it by the server. */
export function unstuff(line: Buffer): Buffer {
  return line.length > 1 && line[0] === 0x2e ? line.subarray(1) : line;
}
