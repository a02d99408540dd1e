/** Message building: a document (or selection) and its headers become a checked draft and its RFC 822 bytes. */
export { formatAddress, isValidAddress, parseAddressList } from './addresses';
export type { AddressField, AddressInput, MailAddress } from './addresses';
export { composeFromDocument } from './document';
export type { ComposedDocument, DocumentToSend, DraftAttachment, MessageBody } from './document';
export { createDraft, estimateSize, validateRecipients, validateSender } from './draft';
export type { DraftHeaders, DraftMessage, RecipientFields, Recipients } from './draft';
export { parseFrontMatter } from './front-matter';
export type { FrontMatter, FrontMatterHeaders } from './front-matter';
export { firstMarkdownHeading, renderMarkdown } from './markdown';
export { stopBodyEncoder } from './body-encoder';
export { buildRfc822 } from './rfc822';
export type { Rfc822Message } from './rfc822';
