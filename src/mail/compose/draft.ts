/**
 * A message ready to confirm and send: parsed, checked addresses, the subject, the body parts
 * and an estimate of its size on the wire. Everything here is checked before any connection
 * is made, so a typo never leaves a message half-sent.
 */
import { ExplainedError } from '../../errors';
import { AddressInput, MailAddress, parseAddressList } from './addresses';
import { DraftAttachment, MessageBody } from './document';
import { htmlDocument } from './markdown';

export interface DraftMessage {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** A complete HTML document (Markdown), sent with `text` as its plain-text alternative. */
  html?: string;
  text: string;
  attachments: DraftAttachment[];
  /** About how many bytes the message takes on the wire, for the confirmation. */
  sizeBytes: number;
}

export interface DraftHeaders {
  /** The sending account's address (or `Name <address>`). */
  from: string | MailAddress;
  to?: AddressInput;
  cc?: AddressInput;
  bcc?: AddressInput;
  subject: string;
}

export interface RecipientFields {
  to?: AddressInput;
  cc?: AddressInput;
  bcc?: AddressInput;
}

export interface Recipients {
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
}

/**
 * Parses and checks To, Cc and Bcc; To must name someone. Throws an ExplainedError with code
 * `invalid-address` (naming the address and its header) or `no-recipient`.
 */
export function validateRecipients(fields: RecipientFields): Recipients {
  const recipients = {
    to: parseAddressList(fields.to, 'To'),
    cc: parseAddressList(fields.cc, 'Cc'),
    bcc: parseAddressList(fields.bcc, 'Bcc'),
  };
  if (!recipients.to.length) {
    throw new ExplainedError('The message has no recipient in To.',
      'Add at least one address to To (in the prompt, or as `to:` in the front matter).', { code: 'no-recipient' });
  }
  return recipients;
}

/** The sender: exactly one valid address. */
export function validateSender(from: string | MailAddress): MailAddress {
  const list = parseAddressList(typeof from === 'string' ? from : [from], 'From');
  if (list.length !== 1) {
    throw new ExplainedError(`From must be exactly one address, not ${list.length}.`,
      'Send from one account: the address you signed in with, or a mailbox you may send as.', { code: 'invalid-address' });
  }
  return list[0];
}

/** What a text part costs once encoded: 7bit as is, else quoted-printable or base64, whichever nodemailer would pick is at most this. */
function encodedBytes(content: string): number {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes === content.length) return bytes + Math.ceil(bytes / 76) * 3;
  const nonAscii = bytes - content.length;
  const quotedPrintable = bytes + nonAscii * 3 + Math.ceil(bytes / 73) * 3;
  const base64 = Math.ceil(bytes / 3) * 4 + Math.ceil(bytes / 57) * 2;
  return Math.min(quotedPrintable, base64);
}

const HEADER_BYTES = 900;
const PART_HEADER_BYTES = 150;

export function estimateSize(draft: Omit<DraftMessage, 'sizeBytes'>): number {
  const addresses = [draft.from, ...draft.to, ...draft.cc].reduce((n, a) => n + a.address.length + (a.name?.length ?? 0) * 3 + 8, 0);
  const parts = [draft.text, ...(draft.html ? [draft.html] : []), ...draft.attachments.map((a) => a.content)];
  return HEADER_BYTES + addresses + draft.subject.length * 3
    + parts.reduce((n, part) => n + PART_HEADER_BYTES + encodedBytes(part), 0);
}

/** Builds the draft from the headers (front matter and prompts) and a composed body. */
export function createDraft(headers: DraftHeaders, body: MessageBody): DraftMessage {
  const from = validateSender(headers.from);
  const recipients = validateRecipients(headers);
  const subject = headers.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const draft = {
    from,
    ...recipients,
    subject,
    ...(body.bodyHtml !== undefined ? { html: htmlDocument(body.bodyHtml, subject) } : {}),
    text: body.text,
    attachments: body.attachments,
  };
  return { ...draft, sizeBytes: estimateSize(draft) };
}
