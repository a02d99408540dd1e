/**
 * The sandbox's Exchange Online IMAP endpoint: a TLS listener that speaks to clients exactly as
 * outlook.office365.com:993 does (texts, capabilities, `Inbox` in mixed case, LIST order and
 * quoting, STATUS's trailing space, faults on demand) and keeps the mailboxes in Dovecot, which
 * it reaches over TLS on loopback. What each behaviour follows is in test/sandbox/README.md.
 *
 * The front writes no log: nothing it could log (commands, XOAUTH2 payloads) is free of secrets.
 */
import { MailActivity } from './activity';
import { MailFaults } from './faults';
import { ImapFrontSession } from './imap-front-session';
import { RunningFront, startTlsFront, TlsFrontOptions } from './tls-front';

export interface ImapFrontOptions extends TlsFrontOptions {
  faults: MailFaults;
  activity?: MailActivity;
  /** A session that says nothing this long is closed (RFC 3501's autologout is at least 30 minutes). */
  idleTimeoutMs?: number;
}

export type RunningImapFront = RunningFront;

/** Longest line read from either side: a command with a large UID set, a SEARCH of a big folder. */
const MAX_LINE_BYTES = 1024 * 1024;
const IDLE_TIMEOUT_MS = 30 * 60_000;

export function startImapFront(options: ImapFrontOptions): Promise<RunningImapFront> {
  return startTlsFront(options, (client, upstream) => {
    new ImapFrontSession({
      client, upstream, faults: options.faults, activity: options.activity, maxLineBytes: MAX_LINE_BYTES, idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    });
  });
}
