import * as assert from 'node:assert/strict';
import { parseCapabilities } from '../../../src/mail/pop3/capabilities';
import { LineReader, LineTooLongError } from '../../../src/mail/net/line-reader';
import { isTerminator, parseStatusLine, responseCode, unstuff } from '../../../src/mail/pop3/reply';

const text = (lines: Buffer[]) => lines.map((l) => l.toString('utf8'));

describe('POP3 on the wire', () => {
  describe('reading lines', () => {
    it('joins a line split across packets and cuts at CRLF', () => {
      const reader = new LineReader(100);
      const first = reader.push(Buffer.from('+OK 2 51'));
      const second = reader.push(Buffer.from('20\r\n+OK\r\n1 AAQ'));
      assert.deepEqual([text(first), text(second)], [[], ['+OK 2 5120', '+OK']]);
    });

    it('accepts a bare LF as a line end, as some servers send one', () => {
      assert.deepEqual(text(new LineReader(100).push(Buffer.from('+OK\n.\r\n'))), ['+OK', '.']);
    });

    it('refuses a line longer than the limit, even before its line break arrives', () => {
      const reader = new LineReader(10);
      assert.throws(() => reader.push(Buffer.from('+OK 123456789012')), LineTooLongError);
    });

    it('keeps bytes that are not UTF-8 as they came', () => {
      const latin1 = Buffer.from('Subject: Gr\xfc\xdfe\r\n', 'latin1');
      assert.deepEqual(new LineReader(100).push(latin1)[0], latin1.subarray(0, latin1.length - 2));
    });
  });

  describe('status lines', () => {
    it('tells +OK, -ERR and a SASL continuation apart', () => {
      const parsed = ['+OK 2 5120', '-ERR [AUTH] Authentication failed.', '+ eyJzdGF0dXMiOiI0MDEifQ==', '+ ', '+OK']
        .map(parseStatusLine);
      assert.deepEqual(parsed, [
        { kind: 'ok', text: '2 5120' },
        { kind: 'err', text: '[AUTH] Authentication failed.' },
        { kind: 'continue', text: 'eyJzdGF0dXMiOiI0MDEifQ==' },
        { kind: 'continue', text: '' },
        { kind: 'ok', text: '' },
      ]);
    });

    it('does not take an IMAP or SMTP reply for a POP3 status', () => {
      assert.deepEqual(['* OK IMAP4 ready', '220 smtp ready', 'OK'].map(parseStatusLine), [undefined, undefined, undefined]);
    });

    it('reads the RFC 3206 response code in brackets', () => {
      assert.deepEqual(['[SYS/TEMP] busy', '[auth] failed', 'Authentication failure: unknown user name or bad password.'].map(responseCode),
        ['SYS/TEMP', 'AUTH', undefined]);
    });
  });

  describe('multi-line replies', () => {
    it('removes the stuffed dot from a data line and ends at the lone dot', () => {
      const lines = ['..hidden', '.', '...'].map((l) => Buffer.from(l));
      assert.deepEqual([unstuff(lines[0]!).toString(), isTerminator(lines[1]!), unstuff(lines[2]!).toString()], ['.hidden', true, '..']);
    });

    it('reads STLS, SASL mechanisms, TOP and UIDL from CAPA', () => {
      const capabilities = parseCapabilities(['TOP', 'UIDL', 'STLS', 'SASL PLAIN xoauth2', 'USER']);
      assert.deepEqual(capabilities, { known: true, lines: ['TOP', 'UIDL', 'STLS', 'SASL PLAIN xoauth2', 'USER'], stls: true, sasl: ['PLAIN', 'XOAUTH2'], top: true, uidl: true });
    });
  });
});
