/**
 * A message as the read-only editor tab shows it: the headers a reader cares about, the text
 * body (an HTML-only body turned into text), and the attachments, each of which can be saved.
 * Parsed once from the full source with mailparser; `renderMessageDocument` writes the tab's text.
 */
import { AddressObject, Attachment, simpleParser } from 'mailparser';
import { messageIdsIn } from '../message-ids';
import { safeFileName } from '../received-file-name';
import { htmlToText } from './html-text';
import { Sender } from './message-page';

export interface AttachmentInfo {
  /** Position in `attachments`, what `saveAttachment` takes. */
  index: number;
  filename: string;
  contentType: string;
  size: number;
}

export interface MessageDocument {
  folder: string;
  uid: number;
  /** With angle brackets; absent when the message has none. */
  messageId?: string;
  /** Its References header's ids, oldest first, with angle brackets. */
  references: string[];
  subject: string;
  from: Sender[];
  replyTo: Sender[];
  to: Sender[];
  cc: Sender[];
  date?: Date;
  /** The readable body. */
  text: string;
  /** Where `text` came from: the text/plain part, the HTML part turned into text, or nothing. */
  bodySource: 'text' | 'html' | 'none';
  attachments: AttachmentInfo[];
}

/** A parsed message and the bytes of its attachments, kept for "Save Attachment…". */
export interface ParsedMessage {
  document: MessageDocument;
  attachmentContent: Buffer[];
}

function senders(value: AddressObject | AddressObject[] | undefined): Sender[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const result: Sender[] = [];
  const add = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) add(entry.group);
      else result.push({ name: entry.name ?? '', address: entry.address ?? '' });
    }
  };
  for (const object of objects) add(object.value);
  return result;
}

/** What the document needs of one of mailparser's attachments (or of the HTML part offered as one). */
type ReceivedAttachment = Pick<Attachment, 'filename' | 'contentType' | 'size' | 'content'>;

function fallbackName(index: number, contentType: string): string {
  const extension = contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return `attachment-${index + 1}.${extension}`;
}

export async function parseMessage(folder: string, uid: number, source: Buffer): Promise<ParsedMessage> {
  // mailparser's own HTML-to-text is skipped: ours keeps lists and writes links as `text (url)`.
  const parsed = await simpleParser(source, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const plain = typeof parsed.text === 'string' ? parsed.text.trim() : '';
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const bodySource = plain ? 'text' : html ? 'html' : 'none';
  const htmlText = bodySource === 'html' ? htmlToText(html) : undefined;
  const received = parsed.attachments.filter((a) => !a.related || a.contentDisposition === 'attachment');
  const attachments: ReceivedAttachment[] = [...received];
  if (htmlText && !htmlText.converted) {
    // Not shown as text: the reader can save the HTML part and open it in a browser.
    const content = Buffer.from(html, 'utf8');
    attachments.push({ filename: 'message.html', contentType: 'text/html', size: content.length, content });
  }
  const text = bodySource === 'text' ? plain : htmlText?.text ?? '';
  return {
    document: {
      folder,
      uid,
      messageId: parsed.messageId,
      references: messageIdsIn(parsed.references),
      subject: parsed.subject ?? '',
      from: senders(parsed.from),
      replyTo: senders(parsed.replyTo),
      to: senders(parsed.to),
      cc: senders(parsed.cc),
      date: parsed.date,
      text,
      bodySource,
      attachments: attachments.map((a, index) => ({
        index,
        filename: safeFileName(a.filename, fallbackName(index, a.contentType)),
        contentType: a.contentType,
        size: a.size ?? a.content.length,
      })),
    },
    attachmentContent: attachments.map((a) => a.content),
  };
}

export function formatSender(sender: Sender): string {
  if (!sender.name) return sender.address;
  return sender.address ? `${sender.name} <${sender.address}>` : sender.name;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The editor tab's text: headers, a blank line, the body, then the attachments. */
export function renderMessageDocument(document: MessageDocument): string {
  const lines: string[] = [];
  const header = (name: string, value: string) => {
    if (value) lines.push(`${name}: ${value}`);
  };
  header('From', document.from.map(formatSender).join(', '));
  header('To', document.to.map(formatSender).join(', '));
  header('Cc', document.cc.map(formatSender).join(', '));
  header('Date', document.date ? document.date.toUTCString() : '');
  lines.push(`Subject: ${document.subject || '(no subject)'}`);
  lines.push('');
  lines.push(document.text || '(This message has no text.)');
  if (document.attachments.length > 0) {
    lines.push('', `Attachments (${document.attachments.length}):`);
    for (const a of document.attachments) lines.push(`  ${a.index + 1}. ${a.filename} (${a.contentType}, ${formatSize(a.size)})`);
  }
  return lines.join('\n') + '\n';
}
