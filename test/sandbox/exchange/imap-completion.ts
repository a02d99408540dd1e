/**
 * Dovecot's tagged replies in Exchange's words: `<tag> OK <COMMAND> completed.` with only the
 * response codes a client needs (READ-WRITE/READ-ONLY, APPENDUID, COPYUID: transcripts §13,
 * §15); never Dovecot's `[CAPABILITY …]` (Exchange sends none: a client must ask CAPABILITY
 * again after AUTHENTICATE) nor its timings. Any BAD is Exchange's argument error (§13).
 *
 * Assumption: no transcript shows Exchange's NO for a missing folder and the like (only
 * `NO INBOX doesn't exist.`, once): Dovecot's text is kept, its codes dropped but TRYCREATE.
 */
import { argumentError, authenticateFailed, completed } from './imap-texts';
import { completionVerb } from './imap-words';

const KEPT_ON_OK = new Set(['READ-WRITE', 'READ-ONLY', 'APPENDUID', 'COPYUID']);
const KEPT_ON_NO = new Set(['TRYCREATE']);
const TAGGED = /^(\S+) (OK|NO|BAD)(?: \[([^\]]*)\])? ?(.*)$/i;

export function exchangeCompletion(text: string, verb: string): string {
  const match = TAGGED.exec(text);
  if (!match) return text;
  const [, tag, status, code, rest] = match as unknown as [string, string, string, string | undefined, string];
  const codeName = code?.split(' ')[0]!.toUpperCase();
  switch (status.toUpperCase()) {
    case 'OK':
      return completed(tag, completionVerb(verb), codeName && KEPT_ON_OK.has(codeName) ? code : undefined);
    case 'NO':
      if (verb === 'AUTHENTICATE') return authenticateFailed(tag);
      return `${tag} NO ${codeName && KEPT_ON_NO.has(codeName) ? `[${code}] ` : ''}${rest}`;
    default:
      return argumentError(tag);
  }
}
