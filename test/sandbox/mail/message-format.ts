/**
 * Just enough RFC 5322/2045/2047 to write the seeded messages as a real mail server stores
 * them: encoded words for non-ASCII headers, quoted-printable and base64 bodies, multipart.
 */

export interface Address {
  name: string;
  address: string;
}

export type Body =
  | { kind: 'text'; text: string }
  | { kind: 'html'; html: string }
  | { kind: 'alternative'; text: string; html: string }
  | { kind: 'attachment'; text: string; fileName: string; contentType: string; content: Buffer };

export interface Message {
  messageId: string;
  from: Address;
  to: Address[];
  subject: string;
  date: Date;
  body: Body;
  inReplyTo?: string;
}

const isAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);

/** RFC 2047 B-encoding, split so that no encoded word exceeds 75 characters. */
export function encodeWord(value: string): string {
  if (isAscii(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > 42) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

export function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  const name = isAscii(a.name) ? (/[(),.:;<>@[\]"\\]/.test(a.name) ? JSON.stringify(a.name) : a.name) : encodeWord(a.name);
  return `${name} <${a.address}>`;
}

function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text.replace(/\r?\n/g, '\n'), 'utf8');
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x0a) {
      lines.push(line);
      line = '';
      continue;
    }
    const printable = byte >= 0x21 && byte <= 0x7e && byte !== 0x3d;
    const token = printable || byte === 0x20 ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + token.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += token;
  }
  lines.push(line);
  // A space before a line break would be lost in transit.
  return lines.map((l) => l.replace(/ $/, '=20')).join('\n');
}

function base64Lines(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

function textPart(type: 'plain' | 'html', content: string): string {
  return `Content-Type: text/${type}; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n${quotedPrintable(content)}\n`;
}

function multipart(subtype: string, boundary: string, parts: string[]): string {
  return `Content-Type: multipart/${subtype}; boundary="${boundary}"\n\n`
    + 'This is a multi-part message in MIME format.\n\n'
    + parts.map((p) => `--${boundary}\n${p}\n`).join('')
    + `--${boundary}--\n`;
}

function bodyText(message: Message): string {
  const body = message.body;
  const boundary = `----=_Part_${message.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`;
  switch (body.kind) {
    case 'text':
      return textPart('plain', body.text);
    case 'html':
      return textPart('html', body.html);
    case 'alternative':
      return multipart('alternative', boundary, [textPart('plain', body.text), textPart('html', body.html)]);
    case 'attachment':
      return multipart('mixed', boundary, [
        textPart('plain', body.text),
        `Content-Type: ${body.contentType}; name="${body.fileName}"\nContent-Disposition: attachment; filename="${body.fileName}"\n`
          + `Content-Transfer-Encoding: base64\n\n${base64Lines(body.content)}\n`,
      ]);
  }
}

/** The message as stored in a Maildir file (LF line ends, as Dovecot keeps them). */
export function renderMessage(message: Message): string {
  const headers = [
    `Return-Path: <${message.from.address}>`,
    `From: ${formatAddress(message.from)}`,
    `To: ${message.to.map(formatAddress).join(', ')}`,
    `Subject: ${encodeWord(message.subject)}`,
    `Date: ${message.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${message.messageId}>`,
    ...(message.inReplyTo ? [`In-Reply-To: <${message.inReplyTo}>`, `References: <${message.inReplyTo}>`] : []),
    'MIME-Version: 1.0',
  ];
  return `${headers.join('\n')}\n${bodyText(message)}`;
}
