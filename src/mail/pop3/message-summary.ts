/**
 * Subject and sender of a message from its header (what `TOP n 0` returns), decoded from
 * RFC 2047 encoded words and charsets by mailparser.
 */
import { simpleParser } from 'mailparser';

export interface MessageSummary {
  subject?: string;
  /** The From header as a person reads it, e.g. `Jürgen Müller <juergen@contoso.test>`. */
  from?: string;
}

export async function summarizeHeader(header: Buffer): Promise<MessageSummary> {
  const parsed = await simpleParser(header, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const senders = (parsed.from?.value ?? []).map(({ name, address }) => (name ? `${name} <${address ?? ''}>` : address ?? ''));
  return { subject: parsed.subject || undefined, from: senders.filter(Boolean).join(', ') || undefined };
}
