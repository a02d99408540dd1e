/**
 * A message ready to confirm and send: parsed, checked addresses, the subject, the body parts
 * and an estimate of its size on the wire. Everything here is checked before any connection
 * is made, so a typo never leaves a message half-sent.
 */
import { ExplainedError } from '../../errors';
import { AddressInput, MailAddress, parseAddressList } from './addresses';
import { DraftAttachment, MessageBody } from './document';

export interface DraftMessage {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** The Message-ID this message answers, and the thread's ids (headers In-Reply-To and References). */
  inReplyTo?: string;
  references?: string[];
  /** `text` is Markdown: the message has an HTML part rendered from it, with `text` as its plain-text alternative. */
  markdown?: boolean;
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
  inReplyTo?: string;
  references?: string[];
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

/** Whether the text has a line of more than 998 characters in its first 64 KB (the estimate must stay cheap on a large document). */
function hasLongLine(text: string): boolean {
  const end = Math.min(text.length, 65536);
  for (let start = 0; start < end;) {
    const lineEnd = text.indexOf('\n', start);
    const stop = lineEnd < 0 ? text.length : lineEnd;
    if (stop - start > 998) return true;
    start = stop + 1;
  }
  return false;
}

/** What a text part costs on the wire: as it is (7bit or 8bit) when its lines allow, which is usual; else about a tenth more. */
function textBytes(content: string): number {
  const bytes = Buffer.byteLength(content, 'utf8');
  return hasLongLine(content) ? Math.round(bytes * 1.1) : bytes;
}

/** An attachment goes in base64: 4 bytes for 3, in lines of 76. */
function attachmentBytes(content: string | Buffer): number {
  const bytes = Buffer.byteLength(content, 'utf8');
  return Math.ceil(bytes / 3) * 4 + Math.ceil(bytes / 57) * 2;
}

const HEADER_BYTES = 900;
const PART_HEADER_BYTES = 150;

/** Rendered Markdown is about half again as long as its source, plus the document's head and style. */
const HTML_PER_MARKDOWN = 1.5;
const HTML_DOCUMENT_BYTES = 1500;

export function estimateSize(draft: Omit<DraftMessage, 'sizeBytes'>): number {
  const addresses = [draft.from, ...draft.to, ...draft.cc].reduce((n, a) => n + a.address.length + (a.name?.length ?? 0) * 3 + 8, 0);
  const text = textBytes(draft.text);
  const html = draft.markdown ? PART_HEADER_BYTES + Math.round(text * HTML_PER_MARKDOWN) + HTML_DOCUMENT_BYTES : 0;
  const thread = (draft.inReplyTo?.length ?? 0) + (draft.references ?? []).reduce((n, id) => n + id.length + 1, 0);
  return HEADER_BYTES + addresses + draft.subject.length * 3 + thread + PART_HEADER_BYTES + text + html
    + draft.attachments.reduce((n, a) => n + PART_HEADER_BYTES + attachmentBytes(a.content), 0);
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
    ...(headers.inReplyTo ? { inReplyTo: headers.inReplyTo } : {}),
    ...(headers.references?.length ? { references: headers.references } : {}),
    ...(body.markdown ? { markdown: true } : {}),
    text: body.text,
    attachments: body.attachments,
  };
  return { ...draft, sizeBytes: estimateSize(draft) };
}
