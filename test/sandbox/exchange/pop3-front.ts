/**
 * The sandbox's Exchange Online POP3 endpoint (outlook.office365.com:995): Exchange's greeting,
 * CAPA and authentication dialogue (./pop3-front-session, texts in ./pop3-texts) before Dovecot's
 * POP3 on an internal port, which keeps the mailboxes and, through its token check, judges tokens.
 *
 * The front writes no log: nothing it could log (AUTH payloads) is free of secrets.
 */
import { Pop3FrontSession } from './pop3-front-session';
import { RunningFront, startTlsFront, TlsFrontOptions } from './tls-front';

export interface Pop3FrontOptions extends TlsFrontOptions {
  /** A silent client is disconnected after this long (RFC 1939's autologout is at least 10 minutes). */
  idleTimeoutMs?: number;
}

const IDLE_TIMEOUT_MS = 10 * 60_000;

export function startPop3Front(options: Pop3FrontOptions): Promise<RunningFront> {
  return startTlsFront(options, (client, upstream) => {
    void new Pop3FrontSession({ client, upstream, idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS }).run()
      .catch((error: unknown) => process.stderr.write(`pop3-front: session failed: ${(error as Error).message}\n`));
  });
}
