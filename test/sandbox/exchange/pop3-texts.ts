/**
 * What Exchange Online's POP3 service says, word for word, from the published transcripts in
 * /work/shared/exchange/pop3-transcripts.md (§ numbers below). Texts no transcript shows are
 * marked as assumptions; test/sandbox/README.md lists them.
 */
import { FRONT_END_HOST, frontEndBracket } from './imap-texts';

/** §1: the same bracket as IMAP's greeting; one front end serves both protocols here. */
export const GREETING = `+OK The Microsoft Exchange POP3 service is ready. ${frontEndBracket(FRONT_END_HOST)}`;

/** §1: CAPA on 995. Assumed the same after login (no capture). */
export const CAPA = ['+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER', '.'];

/** §3: plus and a space (Microsoft's page shows a bare `+`). */
export const SASL_CONTINUATION = '+ ';

/** §4: Microsoft's page only; no real capture shows a success. */
export const AUTHENTICATED = '+OK User successfully authenticated.';

/** §3, §4: every refused token, PLAIN too (basic authentication is off). */
export const AUTHENTICATION_FAILED = '-ERR Authentication failure: unknown user name or bad password.';

/** §5: AUTH with its initial response on the AUTH line; the connection closes after it. */
export const PROTOCOL_ERROR = '-ERR Protocol error. Connection is closed. 10';

/** §6: PASS in the basic-auth era; assumed still the answer now that basic auth is off. */
export const LOGON_FAILED = '-ERR Logon failure: unknown user name or bad password.';

/** §7 (on-premises Exchange 2003): a command before login that needs it. Assumed for Online. */
export const INVALID_STATE = '-ERR Command is not valid in this state.';

/** Assumed (no capture): a mechanism other than PLAIN and XOAUTH2, in SMTP's 504 words. */
export const UNRECOGNIZED_AUTH_TYPE = '-ERR Unrecognized authentication type.';
