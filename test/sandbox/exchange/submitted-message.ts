/**
 * What the front reads from a submitted message before it decides: the `From:` addresses (the
 * send-as check) and the Message-ID (the queued reply). Exchange gives a message without a
 * Message-ID one of its own, which the recipients and Sent Items then carry too.
 */
import { randomBytes } from 'node:crypto';
import { AddressObject, simpleParser } from 'mailparser';
import { MAILBOX_SERVER, MAILBOX_SERVER_HOST } from './smtp-replies';

export interface SubmittedMessage {
  /** The bytes to deliver: as sent, with a Message-ID header in front when it had none. */
  bytes: Buffer;
  /** The `From:` addresses, lower case. */
  from: string[];
  /** With angle brackets. */
  messageId: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const flat = objects.flatMap((o) => o.value).flatMap((a) => [a, ...(a.group ?? [])]);
  return flat.map((a) => a.address?.toLowerCase()).filter((a): a is string => Boolean(a));
}

/** Like Exchange's own, e.g. `<BYAPR17MB292020A5FA913E69A3A1C26BDC192@BYAPR17MB2920.namprd17.prod.outlook.com>` (§1). */
function exchangeMessageId(): string {
  return `<${MAILBOX_SERVER}${randomBytes(12).toString('hex').toUpperCase()}@${MAILBOX_SERVER_HOST}>`;
}

export async function readSubmittedMessage(bytes: Buffer): Promise<SubmittedMessage> {
  const end = bytes.indexOf(HEADER_END);
  // Only the header block is parsed: the body can be 35 MB and plays no part in the decision.
  const parsed = await simpleParser(end >= 0 ? bytes.subarray(0, end + 4) : bytes, { skipHtmlToText: true, skipTextToHtml: true });
  const from = addresses(parsed.from);
  if (parsed.messageId) return { bytes, from, messageId: parsed.messageId };
  const messageId = exchangeMessageId();
  return { bytes: Buffer.concat([Buffer.from(`Message-ID: ${messageId}\r\n`), bytes]), from, messageId };
}
