/**
 * SELECT and EXAMINE replies in the order and words of Exchange's IMAP code base (transcripts
 * §15, on-premises and a 2014 Office 365 capture; no recent Online capture):
 *
 *     * 4 EXISTS
 *     * 0 RECENT
 *     * FLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)
 *     * OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)] Permanent flags
 *     * OK [UNSEEN 1] Is the first unseen message
 *     * OK [UIDVALIDITY 7937] UIDVALIDITY value
 *     * OK [UIDNEXT 67167] The next unique identifier value
 *
 * Dovecot says the same things in another order and words, and adds codes Exchange does not
 * have (HIGHESTMODSEQ, CLOSED): its lines are gathered until the tagged reply, then written so.
 * Assumption: EXAMINE (not captured) has the same lines, with `PERMANENTFLAGS ()` as Dovecot says.
 */
import { SELECT_FLAGS, selectTexts } from './imap-texts';

const CODE = /^\* OK \[([A-Z-]+)(?: ([^\]]*))?\]/i;

export class SelectReply {
  private exists?: string;
  private recent?: string;
  private permanentFlags?: string;
  private readonly codes = new Map<string, string>();

  /** Takes one untagged line of the reply; false when it is none of SELECT's (it goes on as it is). */
  take(text: string): boolean {
    if (/^\* \d+ EXISTS$/i.test(text)) this.exists = text;
    else if (/^\* \d+ RECENT$/i.test(text)) this.recent = text;
    else if (/^\* FLAGS /i.test(text)) return true;
    else {
      const code = CODE.exec(text);
      if (!code) return false;
      const name = code[1]!.toUpperCase();
      if (name === 'PERMANENTFLAGS') this.permanentFlags = code[2];
      else this.codes.set(name, code[2] ?? '');
    }
    return true;
  }

  lines(): string[] {
    const { unseen, uidValidity, uidNext, permanentFlags } = selectTexts;
    const unseenAt = this.codes.get('UNSEEN');
    const validity = this.codes.get('UIDVALIDITY');
    const next = this.codes.get('UIDNEXT');
    return [
      this.exists, this.recent, selectTexts.flags,
      permanentFlags(this.permanentFlags === '()' ? '()' : SELECT_FLAGS),
      unseenAt === undefined ? undefined : unseen(unseenAt),
      validity === undefined ? undefined : uidValidity(validity),
      next === undefined ? undefined : uidNext(next),
    ].filter((line): line is string => line !== undefined);
  }
}
