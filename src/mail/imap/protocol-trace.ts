/**
 * The IMAP protocol trace: every line each connection sends (`IMAP C:`) and receives
 * (`IMAP S:`) goes to `log.trace`, through the redactor, so no token or XOAUTH2 payload reaches
 * the log. imapflow reports lines through its `logger` option; the listing connection calls
 * `client`/`server` itself.
 */
import type { Logger } from 'imapflow';
import { Redactor } from '../../redact';
import { MailLog, tracing } from '../server';

export class ImapTrace {
  constructor(private readonly log: MailLog, private readonly redactor: Redactor, private readonly label = '') {}

  /** A trace for another connection of the same account, e.g. `[list]`. */
  forConnection(label: string): ImapTrace {
    return new ImapTrace(this.log, this.redactor, label);
  }

  registerSecret(secret: string): void {
    this.redactor.register(secret);
  }

  client(...lines: string[]): void {
    this.write('C', lines);
  }

  server(...lines: string[]): void {
    this.write('S', lines);
  }

  /**
   * The lines of one burst are logged as one entry, one line each, redacted and then cut
   * (message sources and literals: the trace is for the conversation, not the mail).
   */
  private write(direction: 'C' | 'S', lines: string[]): void {
    if (!tracing(this.log)) return;
    const prefix = `IMAP ${direction}:${this.label ? ` ${this.label}` : ''} `;
    this.log.trace(this.redactor.traceLines(lines).map((line) => prefix + line).join('\n'));
  }

  /** imapflow's logger: protocol lines to the trace, its own events to debug/warn, all redacted. */
  imapflowLogger(): Logger & { isLevelEnabled(level: string): boolean } {
    const event = (level: 'debug' | 'info' | 'warn' | 'error') => (entry: unknown) => {
      const record = (entry ?? {}) as { src?: unknown; msg?: unknown; err?: unknown };
      const msg = typeof record.msg === 'string' ? record.msg : '';
      if (record.src === 'c' || record.src === 's') {
        this.write(record.src === 'c' ? 'C' : 'S', [msg]);
        return;
      }
      if (level === 'debug' || !msg) return;
      const err = record.err instanceof Error ? `: ${record.err.message}` : '';
      const text = this.redactor.redact(`IMAP${this.label ? ` ${this.label}` : ''} ${msg}${err}`);
      if (level === 'info') this.log.debug(text); else this.log[level](text);
    };
    return {
      trace: event('debug'), debug: event('debug'), info: event('info'), warn: event('warn'), error: event('error'),
      // imapflow turns every line it reads back into text for its trace and debug entries unless
      // told the level is off; here those entries are only protocol lines, which the log drops
      // unless it traces (about 2 ms of CPU for the 500 EXPUNGE lines of a 500-message move,
      // and as much for a page of 50 message rows).
      isLevelEnabled: (level: string) => (level === 'trace' || level === 'debug' ? tracing(this.log) : true),
    };
  }
}
