import * as assert from 'node:assert/strict';
import { parseMessage } from '../../../src/mail/imap/message-document';
import { safeFileName } from '../../../src/mail/received-file-name';

/** A message with one attachment per name, each name sent RFC 2231-encoded as UTF-8. */
function messageWithAttachments(names: string[]): Buffer {
  const parts = names.flatMap((name) => [
    '--b',
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('bytes').toString('base64'),
  ]);
  return Buffer.from(['From: a@contoso.test', 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', 'see attached', ...parts, '--b--', ''].join('\r\n'));
}

describe('Received file names', () => {
  it('a received attachment name cannot hide its extension, name a device or a path, or end in dots', async () => {
    const received = ['invoice\u202Efdp.exe', 'CON', 'nul.txt', 'COM1.pdf', 'report.pdf. . .', '../../.bashrc', 'a\u0007b\u007f.txt', 'dir\\evil.bat'];
    const { document } = await parseMessage('INBOX', 1, messageWithAttachments(received));
    assert.deepEqual(document.attachments.map((a) => a.filename),
      ['invoice_fdp.exe', '_CON', '_nul.txt', '_COM1.pdf', 'report.pdf', '__.._.bashrc', 'a_b_.txt', 'dir_evil.bat']);
  });

  it('cuts a name over 255 bytes on a character boundary and keeps its extension', () => {
    const name = safeFileName(`${'ü'.repeat(200)}.pdf`, 'attachment.bin');
    assert.deepEqual([Buffer.byteLength(name), name.endsWith('ü.pdf'), name.startsWith('üü')], [254, true, true]);
  });

  it('falls back to a made-up name when nothing of the received one is left', () => {
    assert.deepEqual([safeFileName(undefined, 'attachment-1.pdf'), safeFileName(' . . ', 'attachment-1.pdf')], ['attachment-1.pdf', 'attachment-1.pdf']);
  });

  it('hides zero-width and bidi isolate characters, and keeps ordinary accented names as they are', () => {
    assert.deepEqual([safeFileName('pay\u200Bment\u2066.txt', 'x'), safeFileName('Grüße aus Zürich.docx', 'x')], ['pay_ment_.txt', 'Grüße aus Zürich.docx']);
  });
});
