/**
 * Client commands as Dovecot must see them: every mailbox argument whose first segment is any
 * case of `inbox` goes up as `INBOX` (FACTS: Exchange treats the name case-insensitively, also
 * as the first segment of a sub-folder's path; Dovecot only the name INBOX itself).
 *
 * Assumption: a mailbox argument sent as a literal is passed on unchanged (clients send ASCII
 * names, modified UTF-7, as atoms or quoted strings).
 */
import { CommandLine, quoted, readWords, upstreamMailbox } from './imap-words';

/** Which arguments (0-based) of each command are mailbox names. */
const MAILBOX_ARGUMENTS: Record<string, number[]> = {
  SELECT: [0], EXAMINE: [0], STATUS: [0], CREATE: [0], DELETE: [0], SUBSCRIBE: [0], UNSUBSCRIBE: [0], APPEND: [0],
  RENAME: [0, 1], LIST: [0, 1], LSUB: [0, 1],
  COPY: [1], MOVE: [1], 'UID COPY': [1], 'UID MOVE': [1],
};

export function upstreamCommandLine(text: string, command: CommandLine): string {
  const positions = MAILBOX_ARGUMENTS[command.verb];
  if (!positions) return text;
  const words = readWords(text, command.rest);
  let rewritten = text;
  // From the last to the first, so earlier positions stay valid.
  for (const index of [...positions].reverse()) {
    const word = words[index];
    if (!word || (word.kind !== 'atom' && word.kind !== 'quoted')) continue;
    const name = upstreamMailbox(word.value);
    if (name !== word.value) rewritten = rewritten.slice(0, word.start) + quoted(name) + rewritten.slice(word.end);
  }
  return rewritten;
}
