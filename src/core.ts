/**
 * The heavy half of Exchange Mail (MSAL, IMAP, SMTP, POP3, message building and parsing),
 * bundled apart as dist/core.js and loaded on first use through `ui/bundle-loader`, never at
 * activation. Everything the UI needs from it is exported here.
 */
export const CORE_LOADED = true;
export { createTokenSource } from './auth/token-sources';
export type { TokenSourceOptions } from './auth/token-sources';
export type { AuthPorts, SecretStore, DeviceCodePrompt, VsCodeAuthentication, ProviderSession, GetSessionOptions } from './auth/ports';
export { SignInCancelled } from './auth/ports';
export { checkClaimsFit, decodeClaims, isAppOnly } from './diagnostics/claims';
export { explainFailure, explainMailboxNotConnected, explainSharedMailboxRefused } from './diagnostics/explain';
export { adminSetupScript } from './diagnostics/admin-setup';
export { adminConsentUrl } from './auth/explain';
export { formatChecklist, summaryLine, testConnection } from './diagnostics/test-connection';
export { tokenReport } from './diagnostics/token-report';
export { checkPop3Mailbox } from './mail/pop3';
export {
  composeFromDocument, createDraft, formatAddress, forwardDraft, newMessageDraft, parseAddressList, parseOriginalReference, readAttachmentFiles,
  replyDraft, stopBodyRenderer, validateSender,
} from './mail/compose';
export { sendMessage, shouldAppendSentCopy } from './mail/smtp';
export { ImapSession } from './mail/imap/session';
export { renderMessageDocument } from './mail/imap/message-document';
