/**
 * The draft as the bytes that go over SMTP (RFC 5322, MIME, UTF-8 headers encoded by
 * nodemailer). Built once: the same bytes are sent and, where the server does not keep a copy
 * itself, appended to the Sent folder over IMAP.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { DraftMessage } from './draft';

export interface Rfc822Message {
  raw: Buffer;
  /** With angle brackets, as in the header: `<…@contoso.com>`. */
  messageId: string;
  /** The SMTP envelope: Bcc recipients are here and not in the headers. */
  envelope: { from: string; to: string[] };
}

export interface BuildOptions {
  date?: Date;
  messageId?: string;
}

/** CRLF line ends: the bytes go to SMTP and, unchanged, to IMAP APPEND, which requires them. */
function crlf(text: string): string {
  return text.replace(/\r?\n|\r/g, '\r\n');
}

/**
 * Quoted-printable keeps mostly-Latin text readable and about its size; text that is mostly
 * other scripts is smaller in base64. Decided here from the UTF-8 length, which is much cheaper
 * on a large document than nodemailer's character-by-character guess.
 */
function transferEncoding(text: string): 'quoted-printable' | 'base64' {
  const extraBytes = Buffer.byteLength(text, 'utf8') - text.length;
  return extraBytes > text.length / 3 ? 'base64' : 'quoted-printable';
}

function textPart(text: string, contentType: string) {
  const content = crlf(text);
  return { content, contentType, contentTransferEncoding: transferEncoding(content) };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
}

export async function buildRfc822(draft: DraftMessage, options: BuildOptions = {}): Promise<Rfc822Message> {
  const messageId = options.messageId ?? `<${randomUUID()}@${domainOf(draft.from.address)}>`;
  const composer = new MailComposer({
    from: { name: draft.from.name ?? '', address: draft.from.address },
    to: draft.to.map((a) => ({ name: a.name ?? '', address: a.address })),
    cc: draft.cc.length ? draft.cc.map((a) => ({ name: a.name ?? '', address: a.address })) : undefined,
    subject: draft.subject,
    messageId,
    date: options.date ?? new Date(),
    text: textPart(draft.text, 'text/plain; charset=utf-8'),
    html: draft.html !== undefined ? textPart(draft.html, 'text/html; charset=utf-8') : undefined,
    // A file arrives byte for byte, its own line ends included: base64.
    attachments: draft.attachments.map((a) => ({
      filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'utf8'), contentTransferEncoding: 'base64',
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await composer.compile().build();
  const recipients = [...draft.to, ...draft.cc, ...draft.bcc].map((a) => a.address);
  return { raw, messageId, envelope: { from: draft.from.address, to: [...new Set(recipients)] } };
}
