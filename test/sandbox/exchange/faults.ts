/**
 * Exchange Online's failures, on demand: what a test or the demo asks the Exchange fronts
 * (./imap-front, ./smtp-front) to do to one user's next sessions. Each fault names the user
 * whose sessions it hits (the XOAUTH2 `user=`, case-insensitive), optionally the command it waits
 * for, and how many times it fires (default once; 0 means until cleared). The texts are
 * Exchange's own, from ../../../../shared/exchange/ (see test/sandbox/README.md).
 */

export type ImapFault =
  /** `* BYE Session invalidated - AccessTokenExpired`, then the connection closes. */
  | { kind: 'imap-token-expired'; command?: string }
  /** `<tag> BAD|NO Request is throttled. Suggested Backoff Time: N milliseconds`, optionally `* BYE Connection closed. 14` after it. */
  | { kind: 'imap-throttled'; command?: string; backoffMs: number; status?: 'BAD' | 'NO'; bye?: boolean }
  /** AUTHENTICATE succeeds; the next command gets `BAD User is authenticated but not connected.` then `* BYE Connection closed. 14`. */
  | { kind: 'imap-not-connected' }
  /** The connection is closed without a word when the command arrives. */
  | { kind: 'imap-drop'; command?: string };

export type SmtpFault =
  /** `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant|Mailbox. …` at AUTH. */
  | { kind: 'smtp-auth-disabled'; scope: 'tenant' | 'mailbox' }
  /** `554 5.2.252 SendAsDenied; …` after the end of DATA; nothing is delivered. */
  | { kind: 'smtp-send-as-denied' }
  /** `451 5.7.3 STARTTLS is required to send mail […]` at the next AUTH or MAIL FROM. */
  | { kind: 'smtp-starttls-required' }
  /** The connection is closed without a word when the command arrives. */
  | { kind: 'smtp-drop'; command?: string };

export type MailFault = ImapFault | SmtpFault;

export interface FaultRequest {
  /** The mailbox address whose sessions the fault hits. */
  user: string;
  fault: MailFault;
  /** How many times it fires; 0: until cleared. Default 1. */
  times?: number;
}

interface Armed extends FaultRequest {
  left: number;
}

/** The faults armed now, shared by the fronts; what `/_sandbox/mail-faults` changes. */
export class MailFaults {
  private armed: Armed[] = [];

  add(request: FaultRequest): void {
    if (typeof request.user !== 'string' || !request.user.includes('@')) throw new TypeError('user must be a mailbox address');
    if (!request.fault || typeof request.fault.kind !== 'string') throw new TypeError('fault.kind is required');
    this.armed.push({ ...request, user: request.user.toLowerCase(), left: request.times ?? 1 });
  }

  /** Forgets every fault, or one user's. */
  clear(user?: string): void {
    this.armed = user ? this.armed.filter((a) => a.user !== user.toLowerCase()) : [];
  }

  list(): FaultRequest[] {
    return this.armed.map(({ user, fault, left }) => ({ user, fault, times: left }));
  }

  /**
   * The first armed fault of `kinds` for `user` whose command (if it names one) is `command`,
   * counted as fired. Commands compare case-insensitively; `UID FETCH` matches `FETCH`.
   */
  take<K extends MailFault['kind']>(user: string | undefined, kinds: K[], command?: string): Extract<MailFault, { kind: K }> | undefined {
    if (!user) return undefined;
    const who = user.toLowerCase();
    const verb = command?.toUpperCase().replace(/^UID\s+/, '');
    const index = this.armed.findIndex((a) => a.user === who && (kinds as string[]).includes(a.fault.kind)
      && (!('command' in a.fault) || !a.fault.command || a.fault.command.toUpperCase().replace(/^UID\s+/, '') === verb));
    if (index < 0) return undefined;
    const armed = this.armed[index]!;
    if (armed.left > 0 && --armed.left === 0) this.armed.splice(index, 1);
    return armed.fault as Extract<MailFault, { kind: K }>;
  }
}
