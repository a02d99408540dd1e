/**
 * The draft as the bytes that go over SMTP (RFC 5322, MIME, UTF-8 headers encoded by
 * nodemailer). Built once: the same bytes are sent and, where the server does not keep a copy
 * itself, appended to the Sent folder over IMAP.
 *
 * The bytes are built as a stream, so that sending can start before they are complete: the
 * text part is made on this thread (./body-parts) while the HTML of a Markdown message renders
 * on a worker thread (./body-renderer), both once the connection has started; nodemailer puts
 * the parts together and encodes the headers.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { DraftMessage } from './draft';
import { renderHtmlPart } from './body-renderer';
import { BodyText, textBodyPart, textPartPieces } from './body-parts';
import { MessageBytes } from './message-bytes';

export interface Rfc822Message {
  raw: Buffer;
  /** With angle brackets, as in the header: `<…@contoso.com>`. */
  messageId: string;
  /** The SMTP envelope: Bcc recipients are here and not in the headers. */
  envelope: { from: string; to: string[] };
}

/** A message being built: what is known at once, and its bytes as they come. */
export interface OutgoingMessage extends Omit<Rfc822Message, 'raw'> {
  /** Resolves once every byte is built; rejects if building fails. */
  built: Promise<void>;
  /** All the bytes, once `built` has resolved. */
  bytes(): Buffer;
  /** The bytes from the first, as they are built (a new stream each call). */
  stream(): Readable;
}

export interface BuildOptions {
  date?: Date;
  messageId?: string;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
}

/** A new Message-ID for a message from `from`: `<uuid@domain>`. */
export function newMessageId(from: string): string {
  return `<${randomUUID()}@${domainOf(from)}>`;
}

/** Who receives the message (Bcc included, each once) and who sends it. */
export function envelopeOf(draft: DraftMessage): Rfc822Message['envelope'] {
  const recipients = [...draft.to, ...draft.cc, ...draft.bcc].map((a) => a.address);
  return { from: draft.from.address, to: [...new Set(recipients)] };
}

/** Starts building the message; `stream()` can be sent at once. */
export function startRfc822(draft: DraftMessage, options: BuildOptions = {}): OutgoingMessage {
  const messageId = options.messageId ?? newMessageId(draft.from.address);
  const body = new BodyText(draft.text);
  const html = draft.markdown ? renderHtmlPart(body, draft.subject) : undefined;
  // One text part and nothing else: the message is that part, its headers the message's.
  const single = !html && draft.attachments.length === 0;
  const composer = new MailComposer({
    from: { name: draft.from.name ?? '', address: draft.from.address },
    to: draft.to.map((a) => ({ name: a.name ?? '', address: a.address })),
    cc: draft.cc.length ? draft.cc.map((a) => ({ name: a.name ?? '', address: a.address })) : undefined,
    subject: draft.subject,
    messageId,
    inReplyTo: draft.inReplyTo,
    references: draft.references,
    date: options.date ?? new Date(),
    text: single ? '' : { raw: textBodyPart(body) },
    html: html ? { raw: html } : undefined,
    // A file arrives byte for byte, its own line ends included: base64.
    attachments: draft.attachments.map((a) => ({
      filename: a.filename, contentType: a.contentType, content: typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content, contentTransferEncoding: 'base64',
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const root = composer.compile();
  let stream: Readable;
  if (single) {
    root.setHeader('Content-Type', 'text/plain; charset=utf-8');
    stream = Readable.from(textPartPieces(body, (encoding) => {
      root.setHeader('Content-Transfer-Encoding', encoding);
      return Buffer.from(`${root.buildHeaders()}\r\n\r\n`, 'latin1');
    }), { objectMode: false });
  } else {
    stream = root.createReadStream();
  }
  const bytes = new MessageBytes(stream);
  return { messageId, envelope: envelopeOf(draft), built: bytes.done, bytes: () => bytes.whole(), stream: () => bytes.stream() };
}

/** The whole message, built. */
export async function buildRfc822(draft: DraftMessage, options: BuildOptions = {}): Promise<Rfc822Message> {
  const message = startRfc822(draft, options);
  await message.built;
  return { raw: message.bytes(), messageId: message.messageId, envelope: message.envelope };
}
