/**
 * The SMTP protocol trace: nodemailer's transaction log (commands and replies, never the
 * message itself) goes to `log.trace` as `SMTP C:` / `SMTP S:` lines, through the redactor, and
 * into the dialogue that pairs commands with replies. nodemailer's own events go to `log.debug`.
 */
import { format } from 'node:util';
import type { Redactor } from '../../redact';
import { MailLog, tracing } from '../server';
import { SmtpDialogue } from './dialogue';

/** The part of nodemailer's bunyan-style logger it calls. */
export type NodemailerLogger = Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', (...args: unknown[]) => void>;

export function smtpTraceLogger(log: MailLog, redactor: Redactor, dialogue: SmtpDialogue): NodemailerLogger {
  const write = (direction: 'C' | 'S', text: string) => {
    if (!tracing(log)) return;
    for (const line of redactor.traceLines(text.split(/\r?\n/))) log.trace(`SMTP ${direction}: ${line}`);
  };
  const event = (entry: unknown, message: unknown, ...args: unknown[]) => {
    const tnx = (entry as { tnx?: unknown } | undefined)?.tnx;
    const text = typeof message === 'string' ? (args.length ? format(message, ...args) : message) : '';
    if (tnx === 'client') {
      dialogue.client(text);
      write('C', text);
    } else if (tnx === 'server') {
      dialogue.server(text);
      write('S', text);
    } else if (text) {
      log.debug(redactor.traceLines([`SMTP ${text}`]).join(' '));
    }
  };
  return { trace: event, debug: event, info: event, warn: event, error: event, fatal: event };
}
