/** Message building: a document (or selection) and its headers become a checked draft and its RFC 822 bytes. */
export { formatAddress, isValidAddress, parseAddressList } from './addresses';
export type { AddressField, AddressInput, MailAddress } from './addresses';
export { composeFromDocument } from './document';
export type { ComposedDocument, DocumentToSend, DraftAttachment, MessageBody } from './document';
export { createDraft, estimateSize, validateRecipients, validateSender } from './draft';
export type { DraftHeaders, DraftMessage, RecipientFields, Recipients } from './draft';
export { parseFrontMatter, writeFrontMatter } from './front-matter';
export { readAttachmentFiles } from './attachment-files';
export { forwardDraft, newMessageDraft, parseOriginalReference, replyDraft } from './reply';
export type { DraftText, OriginalMessage, OriginalReference, ReplyKind } from './reply';
export type { FrontMatter, FrontMatterHeaders } from './front-matter';
export { firstMarkdownHeading, renderMarkdown } from './markdown';
export { stopBodyRenderer } from './body-renderer';
export { buildRfc822 } from './rfc822';
export type { Rfc822Message } from './rfc822';
