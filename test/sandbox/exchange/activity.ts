/**
 * What the Exchange fronts saw of each user's sessions: logins and the client's LOGOUTs, per
 * user. Tests read it to see how a client uses its connections (a session opened and logged out
 * at once is a wasted login, and Exchange counts them against the mailbox's 20 connections).
 */
export type SessionEvent = 'login' | 'logout';

export class MailActivity {
  private readonly counts = new Map<string, number>();

  record(user: string | undefined, event: SessionEvent): void {
    if (!user) return;
    const key = `${user.toLowerCase()} ${event}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  count(user: string, event: SessionEvent): number {
    return this.counts.get(`${user.toLowerCase()} ${event}`) ?? 0;
  }

  reset(): void {
    this.counts.clear();
  }
}
