/**
 * Exchange Online's replies that say what went wrong by themselves, and what each means to the
 * user, said once: a failure reads the same whether it surfaced in Send, the Mailboxes view or
 * Test Connection (../diagnostics builds on this; mail never imports diagnostics). The texts
 * are Exchange's own, as /work/shared/exchange/SUMMARY.md and FACTS.md record them.
 */
import type { ErrorAction } from '../errors';
import { MailServer, Protocol, PROTOCOL_NAMES } from './server';

export type ExchangeReplyCode = 'throttled' | 'smtp-auth-disabled-mailbox' | 'smtp-auth-disabled-tenant' | 'smtp-auth-blocked';

/** What a reply means: the caller makes it an ExplainedError with its own detail. */
export interface ReplyExplanation {
  code: ExchangeReplyCode;
  message: string;
  fix: string;
  actions: ErrorAction[];
}

/** `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant|Mailbox`, or blocked by policy. */
export const SMTP_AUTH_DISABLED = /5\.7\.139/;
/** `* BYE Session invalidated - AccessTokenExpired`: Exchange ends a session when its token expires. */
export const ACCESS_TOKEN_EXPIRED = /AccessTokenExpired/i;
/** `BAD User is authenticated but not connected.`: the token was taken, the mailbox cannot be opened with it. */
export const NOT_CONNECTED = /User is authenticated but not connected/i;
/** `BAD|NO Request is throttled. Suggested Backoff Time: N milliseconds`. */
const THROTTLED = /Request is throttled\b(?:.*?Backoff Time[:=\s]+(\d+))?/i;
/** How long to wait when Exchange throttles without suggesting a time. */
const DEFAULT_BACKOFF_MS = 1000;

/** Whether `text` is Exchange's throttling reply, and the back-off it suggests when it does. */
export function throttling(text: string): { suggestedMs?: number } | undefined {
  const match = THROTTLED.exec(text);
  if (!match) return undefined;
  return match[1] === undefined ? {} : { suggestedMs: Number(match[1]) };
}

/** How long to wait before trying a throttled command again: what Exchange suggests, or a second; undefined when not throttled. */
export function throttleBackoff(text: string): number | undefined {
  const throttled = throttling(text);
  return throttled && (throttled.suggestedMs ?? DEFAULT_BACKOFF_MS);
}

const firstLine = (reply: string) => reply.split(/\r?\n/)[0]!.trim();

/** Exchange is throttling the mailbox: wait, and close what else uses it. */
export function explainThrottled(protocol: Protocol, server: MailServer, suggestedMs?: number): ReplyExplanation {
  const wait = suggestedMs === undefined ? 'a while' : suggestedMs < 1000 ? `${suggestedMs} ms` : `${Math.ceil(suggestedMs / 1000)} s`;
  return {
    code: 'throttled',
    message: `Exchange is throttling this mailbox on the ${PROTOCOL_NAMES[protocol]} server ${server.host}:${server.port}${suggestedMs === undefined ? '' : ` (suggested backoff ${suggestedMs} ms)`}.`,
    fix: `Wait ${wait} and try again. Exchange limits each mailbox's concurrent connections and commands (IMAP: about 20 connections): close other mail clients or scripts that use this mailbox.`,
    actions: ['retry'],
  };
}

/** 5.7.139: SMTP AUTH turned off for the mailbox or the organization, or blocked by security defaults or policy; `user` is the XOAUTH2 user. */
export function explainSmtpAuthDisabled(reply: string, user: string): ReplyExplanation {
  const enableMailbox = `Set-CASMailbox -Identity ${user} -SmtpClientAuthenticationDisabled $false`;
  const said = firstLine(reply);
  const actions: ErrorAction[] = ['showLog'];
  if (/disabled for the Mailbox/i.test(reply)) {
    return { code: 'smtp-auth-disabled-mailbox', message: `SMTP AUTH is turned off for the mailbox ${user} (${said}).`,
      fix: `An Exchange admin turns it on for this mailbox in Exchange Online PowerShell: ${enableMailbox}`, actions };
  }
  if (/disabled for the Tenant/i.test(reply)) {
    return { code: 'smtp-auth-disabled-tenant', message: `SMTP AUTH is turned off for the whole organization (${said}).`,
      fix: `An Exchange admin turns it on in Exchange Online PowerShell, for the organization: Set-TransportConfig -SmtpClientAuthenticationDisabled $false — or only for this mailbox: ${enableMailbox}`,
      actions };
  }
  if (/security defaults/i.test(reply)) {
    return { code: 'smtp-auth-blocked', message: `The organization's security defaults block SMTP AUTH for ${user} (${said}).`,
      fix: 'Security defaults in Entra ID block SMTP AUTH even with OAuth2; an admin replaces them with Conditional Access policies that allow it, or the mailbox sends another way.',
      actions };
  }
  return { code: 'smtp-auth-blocked', message: `Exchange refused SMTP AUTH for ${user} by policy (${said}).`,
    fix: `An admin checks the sign-in logs in Entra ID (Conditional Access) and that SMTP AUTH is on for the mailbox: ${enableMailbox}`, actions };
}
