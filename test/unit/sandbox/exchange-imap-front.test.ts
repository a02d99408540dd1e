/**
 * The Exchange IMAP front's pieces that the fidelity test cannot reach through Dovecot: framing
 * split at every byte, attributes Dovecot never sends, and every command with mailbox arguments.
 */
import * as assert from 'node:assert/strict';
import { compareLikeExchange, exchangeListed, readListed } from '../../sandbox/exchange/imap-list';
import { upstreamCommandLine } from '../../sandbox/exchange/imap-mailbox-arguments';
import { ImapWireReader } from '../../sandbox/exchange/imap-wire-reader';
import { readCommand } from '../../sandbox/exchange/imap-words';

function read(chunks: Buffer[], maxLineBytes = 1000) {
  const events: string[] = [];
  const reader = new ImapWireReader({
    line: (line) => { events.push(`${line.continued ? '…' : ''}${line.text}`); return true; },
    literal: (bytes) => { events.push(`[${bytes.toString('latin1')}]`); },
    overflow: () => { events.push('overflow'); },
  }, maxLineBytes);
  for (const chunk of chunks) reader.push(chunk);
  // Literal slices arrive as the chunks cut them: join neighbours to compare.
  return events.join('\n').replace(/\]\n\[/g, '');
}

describe('Exchange IMAP front (sandbox)', () => {
  it('reads commands and literals the same however the bytes are cut', () => {
    const wire = Buffer.from('A1 APPEND Outbox {5}\r\nHi\r\nx\r\nA2 APPEND Outbox {3+}\r\nabc FLAGS {0}\r\n\r\nA3 NOOP\n', 'latin1');
    const whole = read([wire]);
    const bytewise = read([...wire].map((b) => Buffer.from([b])));
    assert.equal(bytewise, whole);
    assert.equal(whole, 'A1 APPEND Outbox {5}\n[Hi\r\nx]\n…\nA2 APPEND Outbox {3+}\n[abc]\n… FLAGS {0}\n…\nA3 NOOP');
  });

  it('refuses a line longer than the bound, even when it comes in pieces', () => {
    assert.equal(read([Buffer.from('A1 NOOP'), Buffer.from('x'.repeat(20)), Buffer.from('\r\n')], 16), 'overflow');
  });

  it('writes LIST attributes in Exchange order, without the ones Exchange never sends', () => {
    const listed = readListed('* LIST (\\Subscribed \\HasNoChildren \\Trash \\Marked \\Archive \\UnMarked) "/" "INBOX/Old Mail"');
    assert.equal(listed && exchangeListed(listed), '* LIST (\\Marked \\HasNoChildren \\Trash) "/" "Inbox/Old Mail"');
  });

  it('sorts a listing case-insensitively with each folder\'s children right after it', () => {
    const names = ['Sent Items', 'INBOX/team', 'archive/2017', 'Archive list', 'INBOX', 'archive', 'Inbox/Admin'];
    const sorted = names.map((name) => ({ verb: 'LIST' as const, attributes: [], delimiter: '/', name })).sort(compareLikeExchange);
    assert.deepEqual(sorted.map((l) => l.name), ['archive', 'archive/2017', 'Archive list', 'INBOX', 'Inbox/Admin', 'INBOX/team', 'Sent Items']);
  });

  it('sends every mailbox argument whose first segment is any-case inbox to Dovecot as INBOX', () => {
    const up = (text: string) => upstreamCommandLine(text, readCommand(text)!);
    assert.deepEqual([
      up('a SELECT inbox'), up('a RENAME "Inbox/Team" Inbox/Old'), up('a UID MOVE 1:3 "inbox/Team"'),
      up('a LIST "" "Inbox/%"'), up('a STATUS Inboxes (MESSAGES)'), up('a APPEND "Inbox" {12}'), up('a FETCH 1 (FLAGS)'),
    ], [
      'a SELECT "INBOX"', 'a RENAME "INBOX/Team" "INBOX/Old"', 'a UID MOVE 1:3 "INBOX/Team"',
      'a LIST "" "INBOX/%"', 'a STATUS Inboxes (MESSAGES)', 'a APPEND "INBOX" {12}', 'a FETCH 1 (FLAGS)',
    ]);
  });
});
