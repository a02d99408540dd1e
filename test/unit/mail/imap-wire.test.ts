import * as assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { mailboxArgument, readStatusReply, statusCommand } from '../../../src/mail/imap/folder-listing';
import { decodeMailboxName, encodeMailboxName } from '../../../src/mail/imap/modified-utf7';
import { parseResponse, ResponseFramer, ResponseTooLargeError } from '../../../src/mail/imap/response-parser';

/** Parses one response in a worker thread: `threw: …`, `parsed`, or `froze` when it has not returned after `ms`. */
function parseInWorker(response: string, ms = 1000): Promise<string> {
  const parser = require.resolve('../../../src/mail/imap/response-parser');
  const worker = new Worker(`const { parentPort, workerData } = require('node:worker_threads');
    const { parseResponse } = require(workerData.parser);
    try { parseResponse(Buffer.from(workerData.response)); parentPort.postMessage('parsed'); } catch (e) { parentPort.postMessage('threw: ' + e.message); }`,
  { eval: true, workerData: { parser, response } });
  return new Promise((resolve) => {
    const timer = setTimeout(() => { void worker.terminate(); resolve('froze'); }, ms);
    worker.once('message', (outcome: string) => { clearTimeout(timer); void worker.terminate(); resolve(outcome); });
  });
}

describe('IMAP wire of the listing connection', () => {
  it('cuts a burst of replies arriving in odd chunks into whole responses, literals included', () => {
    const framer = new ResponseFramer();
    const wire = '* STATUS INBOX (MESSAGES 30 UNSEEN 7)\r\n* STATUS {11}\r\nSent "Items (MESSAGES 3 UNSEEN 0)\r\nL2 OK Status completed.\r\n';
    const responses: string[] = [];
    for (let i = 0; i < wire.length; i += 7) responses.push(...framer.push(Buffer.from(wire.slice(i, i + 7))).map((b) => b.toString()));
    assert.deepEqual(responses, ['* STATUS INBOX (MESSAGES 30 UNSEEN 7)', '* STATUS {11}\r\nSent "Items (MESSAGES 3 UNSEEN 0)', 'L2 OK Status completed.']);
  });

  it('reads STATUS replies with quoted, atom and literal mailbox names', () => {
    const counts = ['* STATUS "Sent Items" (MESSAGES 3 UNSEEN 0)', '* STATUS INBOX (UNSEEN 7 MESSAGES 30)', '* STATUS {11}\r\nSent "Items (MESSAGES 1 UNSEEN 1)']
      .map((line) => readStatusReply(parseResponse(Buffer.from(line)) as never));
    assert.deepEqual(counts, [
      { encoded: 'Sent Items', messages: 3, unseen: 0 },
      { encoded: 'INBOX', messages: 30, unseen: 7 },
      { encoded: 'Sent "Items', messages: 1, unseen: 1 },
    ]);
  });

  it('reads a tagged completion with its response code, and an untagged BYE', () => {
    assert.deepEqual(parseResponse(Buffer.from('L1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in')),
      { kind: 'status', tag: 'L1', status: 'OK', code: 'CAPABILITY IMAP4rev1 IDLE', text: 'Logged in' });
    assert.deepEqual(parseResponse(Buffer.from('* BYE Session invalidated - AccessTokenExpired')),
      { kind: 'status', tag: '*', status: 'BYE', code: undefined, text: 'Session invalidated - AccessTokenExpired' });
  });

  it('reads NIL delimiters and escaped quotes in LIST', () => {
    const reply = parseResponse(Buffer.from('* LIST (\\Noselect) NIL "a \\"b\\" \\\\c"'));
    assert.deepEqual(reply, { kind: 'data', name: 'LIST', number: undefined, args: [['\\Noselect'], null, 'a "b" \\c'] });
  });

  it('quotes mailbox names in STATUS and escapes quotes and backslashes', () => {
    assert.equal(statusCommand('Sent Items', true), 'STATUS "Sent Items" (MESSAGES UNSEEN)');
    assert.equal(mailboxArgument('a"b\\c', true), '"a\\"b\\\\c"');
  });

  it('encodes and decodes modified UTF-7 as RFC 3501 shows it', () => {
    assert.equal(encodeMailboxName('~peter/mail/台北/日本語'), '~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    assert.equal(encodeMailboxName('Grüße & Co'), 'Gr&APwA3w-e &- Co');
    assert.equal(decodeMailboxName('Gr&APwA3w-e &- Co'), 'Grüße & Co');
    assert.equal(decodeMailboxName(encodeMailboxName('Entwürfe/😀')), 'Entwürfe/😀');
  });

  it('refuses a negative literal instead of reading backwards forever', async () => {
    // The reader used to land back on the `{` and read the same literal forever: a worker keeps that from freezing the tests.
    assert.match(await parseInWorker('* LIST () "/" {-5}'), /^threw: malformed literal/);
    assert.match(await parseInWorker('* LIST () "/" {-5}\r\nabcde'), /^threw: malformed literal/);
  });

  it('refuses a literal longer than its response, and one of more than ten digits', () => {
    assert.throws(() => parseResponse(Buffer.from('* LIST () "/" {50}\r\nshort')), /longer than its response/);
    assert.throws(() => parseResponse(Buffer.from('* LIST () "/" {12345678901}\r\nx')), /malformed literal/);
  });

  it('gives up on a line without an end at 64 KiB, after looking at each byte once', () => {
    const framer = new ResponseFramer();
    const chunk = Buffer.alloc(1024, 0x78);
    const started = performance.now();
    assert.throws(() => { for (let i = 0; i < 4 * 1024; i++) framer.push(chunk); }, ResponseTooLargeError);
    assert.ok(performance.now() - started < 200, 'took too long');
  });

  it('frames 10 MiB of small responses split mid-line, every one whole', () => {
    const framer = new ResponseFramer({ maxLineBytes: 64 * 1024, maxResponseBytes: 1024 * 1024 });
    const chunk = Buffer.from('* STATUS INBOX (MESSAGES 1 UNSEEN 0)\r\n'.repeat(1700));
    let responses = 0;
    const started = performance.now();
    for (let i = 0; i < 160; i++) responses += framer.push(chunk.subarray(0, 32_768)).length + framer.push(chunk.subarray(32_768)).length;
    assert.equal(responses, 160 * 1700);
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
  });

  it('refuses an announced literal that cannot fit in a response before its bytes arrive', () => {
    assert.throws(() => new ResponseFramer().push(Buffer.from('* LIST () "/" {4294967295}\r\n')), /response over 1048576 bytes/);
  });

  it('shows a non-canonical modified UTF-7 name as it came, so it never looks like another', () => {
    assert.equal(decodeMailboxName('&AGE-'), '&AGE-');
    assert.equal(decodeMailboxName('&AOQ-&AOQ-'), '&AOQ-&AOQ-');
    assert.equal(decodeMailboxName('&AOR-'), '&AOR-');
    assert.equal(decodeMailboxName('&2D0-'), '&2D0-');
    assert.equal(decodeMailboxName('a&b'), 'a&b');
    assert.equal(decodeMailboxName('&AOQA5A-'), 'ää');
  });
});
