/** Sending over SMTP submission with XOAUTH2, and what a failure means. */
export { sendMessage, sendRfc822 } from './send';
export type { SendOptions, SendResult } from './send';
export { explainSmtpFailure } from './explain';
export type { SendContext, SmtpFailure } from './explain';
export { isExchangeOnlineHost, shouldAppendSentCopy } from './sent-copy';
export type { SentCopySetting } from './sent-copy';
