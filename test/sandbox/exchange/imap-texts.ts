/**
 * What Exchange Online's IMAP service says, word for word, from the published transcripts in
 * /work/shared/exchange/imap-transcripts.md (§ numbers below). Texts no transcript shows are
 * marked as assumptions; test/sandbox/README.md lists them.
 */

/** The front end named in the greeting; a real host name shape from §1 (any FQDN would do). */
export const FRONT_END_HOST = 'AMSPR04CA0021.eurprd04.prod.outlook.com';

/** §1, §17: the bracket holds the front end's FQDN, base64 of its UTF-16LE bytes (POP3's greeting too). */
export const frontEndBracket = (host: string): string => `[${Buffer.from(host, 'utf16le').toString('base64')}]`;

export function greeting(host = FRONT_END_HOST): string {
  return `* OK The Microsoft Exchange IMAP4 service is ready. ${frontEndBracket(host)}`;
}

/** §3, §4, §5, §7, §17: the current form before login (no MOVE; older front ends had it, §1, §2). */
export const CAPABILITY_BEFORE_LOGIN = 'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';

/** §4, §5, §6, §13, §17: identical in every capture after login. */
export const CAPABILITY_AFTER_LOGIN = 'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CLIENTACCESSRULES '
  + 'CLIENTNETWORKPRESENCELOCATION BACKENDAUTHENTICATE CHILDREN IDLE NAMESPACE LITERAL+';

/** §5, §6: one personal namespace, delimiter `/`. */
export const NAMESPACE = '* NAMESPACE (("" "/")) NIL NIL';

/** Assumption: no capture shows Exchange Online's ID reply (§19 judges the one fixture unreliable). */
export const ID = '* ID NIL';

/** §2 (Online, 2017) says 2016; §15 (on-premises 2010) has the same shape. */
export const LOGOUT_BYE = '* BYE Microsoft Exchange Server 2016 IMAP4 server signing off.';

/** §16: code written against Exchange compares this byte for byte. */
export const IDLE_CONTINUATION = '+ IDLE accepted, awaiting DONE command.';

/** §13 (a Microsoft author's fixtures): the continuation for a synchronizing literal. */
export const LITERAL_CONTINUATION = '+ Ready for additional command text.';

/** §1 shows `S: +`; RFC 3501 needs the space after `+`, as POP3's real capture has it. */
export const SASL_CONTINUATION = '+ ';

/** §4, §12: a connection Exchange drops; also what replaces any BYE of Dovecot's own. */
export const CONNECTION_CLOSED = '* BYE Connection closed. 14';

/** §10: the token's lifetime ended during the session. */
export const ACCESS_TOKEN_EXPIRED = '* BYE Session invalidated - AccessTokenExpired';

/** `<tag> OK <COMMAND> completed.` (§2, §4, §5, §6, §15): UID FETCH completes as FETCH (§15 UID STORE). */
export const completed = (tag: string, verb: string, code?: string): string =>
  `${tag} OK ${code ? `[${code}] ` : ''}${verb} completed.`;

/** §2, §3, §13: any refused AUTHENTICATE, XOAUTH2 or PLAIN. */
export const authenticateFailed = (tag: string): string => `${tag} NO AUTHENTICATE failed.`;

/** §2, §13: basic authentication is off. */
export const loginFailed = (tag: string): string => `${tag} NO LOGIN failed.`;

/** §13 (imapsync #239): the number after the text varies (11, 12); 11 here. */
export const argumentError = (tag: string): string => `${tag} BAD Command Argument Error. 11`;

/** §10, §13: a command in the wrong state (before login, or AUTHENTICATE after it). */
export const invalidState = (tag: string): string => `${tag} BAD Command received in Invalid state.`;

/**
 * Assumption: a command Exchange does not know (ENABLE, COMPRESS, STARTTLS on 993…). No
 * transcript shows one; this text is Exchange's numbered form of the same family as §13.
 */
export const commandError = (tag: string): string => `${tag} BAD Command Error. 10`;

/** §11: BAD on most commands, NO on APPEND and FETCH; values seen 89117 to 299961. */
export const throttled = (tag: string, status: 'BAD' | 'NO', backoffMs: number): string =>
  `${tag} ${status} Request is throttled. Suggested Backoff Time: ${backoffMs} milliseconds`;

/** §4, §12: the token is good but no mailbox can be opened with it. */
export const notConnected = (tag: string): string => `${tag} BAD User is authenticated but not connected.`;

/** §15: the SELECT texts of Exchange's IMAP code base, and its fixed flag list with $MDNSent. */
export const SELECT_FLAGS = '(\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)';
export const selectTexts = {
  flags: `* FLAGS ${SELECT_FLAGS}`,
  permanentFlags: (flags: string) => `* OK [PERMANENTFLAGS ${flags}] Permanent flags`,
  unseen: (n: string) => `* OK [UNSEEN ${n}] Is the first unseen message`,
  uidValidity: (n: string) => `* OK [UIDVALIDITY ${n}] UIDVALIDITY value`,
  uidNext: (n: string) => `* OK [UIDNEXT ${n}] The next unique identifier value`,
};
