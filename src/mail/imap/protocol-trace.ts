/**
 * The IMAP protocol trace: every line each connection sends (`IMAP C:`) and receives
 * (`IMAP S:`) goes to `log.trace`, through the redactor, so no token or XOAUTH2 payload reaches
 * the log. imapflow reports lines through its `logger` option; the listing connection calls
 * `client`/`server` itself.
 */
import type { Logger } from 'imapflow';
import { Redactor } from '../../diagnostics/redact';
import { MailLog } from '../server';

/** Longer lines (message sources, literals) are cut: the trace is for the conversation, not the mail. */
const MAX_TRACE_LINE = 2000;

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
   * The lines of one burst are redacted and logged as one entry, one line each: a thousand
   * STATUS lines cost the redactor and the log a tenth of what a thousand entries do.
   */
  private write(direction: 'C' | 'S', lines: string[]): void {
    const prefix = `IMAP ${direction}:${this.label ? ` ${this.label}` : ''} `;
    let text = '';
    for (const line of lines) {
      const cut = line.length > MAX_TRACE_LINE ? `${line.slice(0, MAX_TRACE_LINE)} …(${line.length} chars)` : line;
      text += (text ? '\n' : '') + prefix + (cut.includes('\n') ? cut.replace(/\r?\n/g, ' ') : cut);
    }
    this.log.trace(this.redactor.redact(text));
  }

  /** imapflow's logger: protocol lines to the trace, its own events to debug/warn, all redacted. */
  imapflowLogger(): Logger {
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
    return { trace: event('debug'), debug: event('debug'), info: event('info'), warn: event('warn'), error: event('error') };
  }
}
