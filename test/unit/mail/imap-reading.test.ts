import * as assert from 'node:assert/strict';
import { htmlToText } from '../../../src/mail/imap/html-text';
import { parseMessage, renderMessageDocument } from '../../../src/mail/imap/message-document';
import { hasAttachment, sequenceRange } from '../../../src/mail/imap/message-page';

const DIGEST = '<!DOCTYPE html><html><head><style>p{color:red}</style></head><body><h1>Contoso weekly</h1><p>Three things happened this week:</p>'
  + '<ul><li><b>Release 2.4</b> shipped.</li><li>Lunch &amp; learn on <a href="https://contoso.test/oauth">OAuth2</a>.</li></ul>'
  + '<p>Line one<br>Line&nbsp;two &#8211; &#x263A;</p><script>alert(1)</script></body></html>';

describe('Reading a message', () => {
  it('turns an HTML-only body into paragraphs, list items and links as text (url), without tags or entities', () => {
    assert.equal(htmlToText(DIGEST).text,
      'Contoso weekly\n\nThree things happened this week:\n\n- Release 2.4 shipped.\n- Lunch & learn on OAuth2 (https://contoso.test/oauth).\n\nLine one\nLine two – ☺');
  });

  it('numbers ordered lists (numbers aligned) and does not repeat a link that is its own text', () => {
    assert.equal(htmlToText('<ol><li>one</li><li><a href="https://x.test">https://x.test</a></li></ol>').text, ' 1. one\n 2. https://x.test');
  });

  it('shows images by their alternative text and keeps table cells apart', () => {
    assert.equal(htmlToText('<table><tr><td>Apples</td><td>3</td></tr></table><p><img src="cid:logo" alt="Contoso"> news</p>').text,
      'Apples 3\n\n[Contoso] news');
  });

  it('reads a newsletter of 40,000 list items in one pass (it took 20 s, freezing the extension host)', function () {
    this.timeout(5000);
    const { text } = htmlToText(`<ul>${'<li>item</li>'.repeat(40_000)}</ul>`);
    assert.equal(text.split('\n').length, 40_000);
  });

  it('reads hostile markup in one pass: 160,000 <br>, 40,000 unclosed comments or scripts (old: over 20 s)', function () {
    this.timeout(5000);
    const hostile = [`a${'<br>'.repeat(160_000)}b`, `before${'<!--'.repeat(40_000)}`, `before${'<script>'.repeat(40_000)}`];
    assert.deepEqual(hostile.map((html) => htmlToText(html).text.slice(0, 6)), ['a\n\nb', 'before', 'before']);
  });

  it('shows a note instead of the text of HTML nested deeper than anyone writes (340,000 unclosed <b> took 35 s)', function () {
    this.timeout(5000);
    const deep = [`${'<div>'.repeat(5_000)}deep${'</div>'.repeat(5_000)}`, `${'<b>'.repeat(340_000)}deep`];
    assert.deepEqual(deep.map((html) => htmlToText(html)), deep.map(() => ({
      text: '(HTML part nested too deeply to show as text (over 400 levels); save it to open it in a browser)', converted: false })));
  });

  it('shows a note instead of the text of an HTML part over 1 MB, and offers the part to save', async () => {
    const html = `<p>${'Lorem ipsum dolor sit amet. '.repeat(40_000)}</p>`;
    const source = Buffer.from(['From: a@contoso.test', 'Subject: big', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n'));
    const { document, attachmentContent } = await parseMessage('INBOX', 1, source);
    assert.deepEqual([document.text, document.attachments.map((a) => [a.filename, a.contentType]), attachmentContent[0]?.toString().trim()],
      ['(HTML part too large to show as text: 1.1 MB; save it to open it in a browser)', [['message.html', 'text/html']], html]);
  });

  it('renders headers, a blank line, the body and the attachments of a multipart message with encoded headers', async () => {
    const source = Buffer.from([
      'From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen@fabrikam.test>',
      'To: Alice <alice@contoso.test>',
      'Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgWsO8cmljaA==?=',
      'Date: Sun, 29 Nov 2026 05:17:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hallo <a href="https://f.test">hier</a></p>',
      '--b',
      'Content-Type: application/pdf; name="q3.pdf"',
      'Content-Disposition: attachment; filename="q3.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 tiny').toString('base64'),
      '--b--',
      '',
    ].join('\r\n'));
    const { document, attachmentContent } = await parseMessage('INBOX', 7, source);
    assert.equal(renderMessageDocument(document), [
      'From: Jürgen Müller <juergen@fabrikam.test>',
      'To: Alice <alice@contoso.test>',
      'Date: Sun, 29 Nov 2026 05:17:00 GMT',
      'Subject: Grüße aus Zürich',
      '',
      'Hallo hier (https://f.test)',
      '',
      'Attachments (1):',
      '  1. q3.pdf (application/pdf, 13 B)',
      '',
    ].join('\n'));
    assert.equal(attachmentContent[0]?.toString(), '%PDF-1.4 tiny');
  });
});

describe('Message pages', () => {
  it('asks for the newest 50 by sequence range, never 1:*', () => {
    assert.deepEqual([sequenceRange(5001), sequenceRange(4951), sequenceRange(31), sequenceRange(1)],
      [{ from: 4951, to: 5000 }, { from: 4901, to: 4950 }, { from: 1, to: 30 }, undefined]);
  });

  it('sees an attachment in BODYSTRUCTURE by disposition or by a named non-text part', () => {
    const text = { type: 'text/plain' };
    assert.equal(hasAttachment({ type: 'multipart/mixed', childNodes: [text, { type: 'application/pdf', disposition: 'attachment' }] }), true);
    assert.equal(hasAttachment({ type: 'multipart/mixed', childNodes: [text, { type: 'image/png', parameters: { name: 'a.png' } }] }), true);
    assert.equal(hasAttachment({ type: 'multipart/alternative', childNodes: [text, { type: 'text/html' }] }), false);
  });
});
