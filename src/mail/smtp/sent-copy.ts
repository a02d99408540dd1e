/**
 * Whether a sent message should also be appended to the Sent folder over IMAP. Exchange Online
 * saves every SMTP submission to Sent Items itself; a copy from us would show up twice there.
 * Other servers (Postfix, most hosting providers) do not, so `auto` appends for them. Exchange
 * Online is known by its host name, or, behind another name (a relay, a custom domain), by the
 * stamp its reply to the message carries: `250 2.0.0 OK <id> [Hostname=….prod.outlook.com]`.
 */
export type SentCopySetting = 'auto' | 'always' | 'never';

/** smtp.office365.com, smtp-mail.outlook.com, anything under outlook.com / office365.com, and the sovereign clouds' office365.us and outlook.cn. */
const EXCHANGE_ONLINE_HOST = /(^|\.)(outlook\.com|office365\.com|office365\.us|outlook\.cn)$/i;

export function isExchangeOnlineHost(smtpHost: string): boolean {
  return EXCHANGE_ONLINE_HOST.test(smtpHost.trim().replace(/\.$/, ''));
}

const EXCHANGE_ONLINE_REPLY = /^250 2\.0\.0 OK .*\[Hostname=[A-Za-z0-9.-]+\.prod\.outlook\.com\]/;

/** The server's reply to the message is Exchange Online's. */
export function isExchangeOnlineReply(dataReply: string | undefined): boolean {
  return EXCHANGE_ONLINE_REPLY.test(dataReply ?? '');
}

export function shouldAppendSentCopy(setting: SentCopySetting, smtpHost: string, dataReply?: string): boolean {
  if (setting === 'always') return true;
  if (setting === 'never') return false;
  return !isExchangeOnlineHost(smtpHost) && !isExchangeOnlineReply(dataReply);
}
