/**
 * Email addresses as a user types them in front matter or a prompt: `bob@contoso.com`,
 * `Bob Okafor <bob@contoso.com>`, `"Okafor, Bob" <bob@contoso.com>`, several separated by commas
 * or semicolons (Outlook's separator). Each is checked before anything connects; a bad one is
 * named in the error, with the header it came from.
 */
import { domainToASCII } from 'node:url';
import { ExplainedError } from '../../errors';

export type AddressField = 'From' | 'To' | 'Cc' | 'Bcc';

export interface MailAddress {
  /** The display name, without quotes; absent when none was given. */
  name?: string;
  /** `local@domain` as written (a Unicode domain stays Unicode; nodemailer encodes it on the wire). */
  address: string;
}

/** A header's addresses: one string holding a list, several strings, or addresses already parsed. */
export type AddressInput = string | readonly string[] | readonly MailAddress[];

/** RFC 5322 atext, plus any non-ASCII character (RFC 6531 allows UTF-8 local parts). */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10FFFF}-]+$/u;
const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;

function invalid(text: string, field: AddressField, why?: string): ExplainedError {
  return new ExplainedError(
    `"${text}" is not a valid email address (in ${field})`,
    `Write each address as name@domain, optionally with a display name: Bob Okafor <bob@contoso.com>. Separate several with commas.${why ? ` (${why})` : ''}`,
    { code: 'invalid-address' },
  );
}

/** Splits at commas and semicolons that are outside quotes and angle brackets. */
function splitList(text: string, field: AddressField): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      current += ch;
      if (ch === '\\' && i + 1 < text.length) current += text[++i];
      else if (ch === '"') quoted = false;
    } else if (ch === '"') {
      quoted = true;
      current += ch;
    } else if (ch === '<') {
      angle = true;
      current += ch;
    } else if (ch === '>') {
      angle = false;
      current += ch;
    } else if ((ch === ',' || ch === ';') && !angle) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) throw invalid(current.trim(), field, 'a quote is not closed');
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

function unquote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    return name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return name;
}

function isValidLocalPart(local: string): boolean {
  if (!local || local.length > MAX_LOCAL_PART) return false;
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2) {
    return !/[\r\n]/.test(local);
  }
  return local.split('.').every((atom) => ATEXT.test(atom));
}

function isValidDomain(domain: string): boolean {
  if (/^\[[^\]\s]+\]$/.test(domain)) return true;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return false;
  return ascii.split('.').every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

/** Whether `address` is a plain `local@domain` mailbox (no display name, no brackets). */
export function isValidAddress(address: string): boolean {
  if (address.length > MAX_ADDRESS || /[\s<>(),;]/.test(address.replace(/^".*"(?=@)/, ''))) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  return isValidLocalPart(address.slice(0, at)) && isValidDomain(address.slice(at + 1));
}

function parseOne(item: string, field: AddressField): MailAddress {
  const open = item.lastIndexOf('<');
  if (open >= 0 || item.includes('>')) {
    const close = item.indexOf('>', open);
    if (open < 0 || close < 0 || item.slice(close + 1).trim()) throw invalid(item, field);
    const address = item.slice(open + 1, close).trim();
    if (!isValidAddress(address)) throw invalid(address || item, field);
    const name = unquote(item.slice(0, open).trim()).trim();
    return name ? { name, address } : { address };
  }
  if (!isValidAddress(item)) throw invalid(item, field);
  return { address: item };
}

/**
 * Parses one header's worth of addresses; an empty input gives an empty list. Throws an
 * ExplainedError (code `invalid-address`) naming the first bad address and the header.
 */
export function parseAddressList(input: AddressInput | undefined, field: AddressField): MailAddress[] {
  if (input === undefined) return [];
  const parts: (string | MailAddress)[] = typeof input === 'string' ? [input] : [...input];
  const result: MailAddress[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      for (const item of splitList(part, field)) result.push(parseOne(item, field));
    } else {
      if (!isValidAddress(part.address)) throw invalid(part.address, field);
      result.push(part.name ? { name: part.name, address: part.address } : { address: part.address });
    }
  }
  return result;
}

/** How the address reads in a confirmation or a header: `Bob Okafor <bob@contoso.com>`. */
export function formatAddress(address: MailAddress): string {
  if (!address.name) return address.address;
  const name = /^[\p{L}\p{N} !#$%&'*+/=?^_`{|}~-]*$/u.test(address.name)
    ? address.name
    : `"${address.name.replace(/(["\\])/g, '\\$1')}"`;
  return `${name} <${address.address}>`;
}
