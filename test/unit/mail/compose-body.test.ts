/**
 * The body of a document sent as mail: Markdown as an HTML part with its source as the text
 * alternative, other files as text, or the document as an attachment; UTF-8 throughout.
 */
import * as assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { composeFromDocument } from '../../../src/mail/compose/document';
import { createDraft } from '../../../src/mail/compose/draft';
import { buildRfc822 } from '../../../src/mail/compose/rfc822';

const MARKDOWN = `---
to: Bob Okafor <bob@contoso.com>
subject: From front matter
---
Intro line.

# Release *1.4* — “Größe”

- one
- two

<script>alert(1)</script>
`;
const SOURCE = MARKDOWN.slice(MARKDOWN.indexOf('Intro'));

async function roundTrip(draft: ReturnType<typeof createDraft>) {
  const message = await buildRfc822(draft);
  return { message, parsed: await simpleParser(message.raw) };
}

describe('A Markdown document as a message', () => {
  const composed = composeFromDocument({ text: MARKDOWN, languageId: 'markdown', fileName: '/home/u/notes/release.md' });

  it('suggests the first heading as subject', () => {
    assert.equal(composed.suggestedSubject, 'Release 1.4 — “Größe”');
  });

  it('does not send the front matter', () => {
    assert.equal(composed.body.text, SOURCE);
  });

  it('arrives with an HTML part rendered from the Markdown and the Markdown as text', async () => {
    const draft = createDraft({ from: 'alice@contoso.com', ...composed.headers, subject: composed.headers.subject ?? '' }, composed.body);
    const { parsed } = await roundTrip(draft);
    assert.equal(parsed.text?.trimEnd(), SOURCE.trimEnd());
    const html = String(parsed.html);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<h1><a id="[^"]*" class="anchor" aria-hidden="true" href="#[^"]*"><\/a>Release <em>1\.4<\/em> — “Größe”<\/h1>/);
    assert.match(html, /<li>one<\/li>/);
    assert.match(html, /&lt;script&gt;/, 'raw HTML in the Markdown is shown, not run');
    assert.match(html, /<title>From front matter<\/title>/);
  });

  it('takes the heading of the selection when only a selection is sent', () => {
    const start = MARKDOWN.indexOf('- one');
    const part = composeFromDocument({ text: MARKDOWN, languageId: 'markdown', fileName: 'release.md', selection: { start, end: start + '- one\n- two'.length } });
    assert.equal(part.body.text, '- one\n- two');
    assert.equal(part.suggestedSubject, 'release.md');
  });

  it('does not send the blank lines between the front matter and the body (a new draft has one)', () => {
    const draft = MARKDOWN.replace('---\nIntro', '---\n\n  \r\n\nIntro');
    assert.equal(composeFromDocument({ text: draft, languageId: 'markdown', fileName: 'release.md' }).body.text, SOURCE);
  });

  it('keeps the indentation of a body that starts with an indented line', () => {
    const draft = MARKDOWN.replace('---\nIntro', '---\n\n    code()\nIntro');
    assert.equal(composeFromDocument({ text: draft, languageId: 'markdown', fileName: 'release.md' }).body.text, `    code()\n${SOURCE}`);
  });

  it('never sends front matter that a selection covers', () => {
    const part = composeFromDocument({ text: MARKDOWN, languageId: 'markdown', fileName: 'release.md', selection: { start: 0, end: MARKDOWN.indexOf('#') } });
    assert.equal(part.body.text, 'Intro line.\n\n');
  });
});

describe('Other documents as a message', () => {
  it('a plain text file goes as text only, its subject the file name', async () => {
    const composed = composeFromDocument({ text: 'Hello Zoë\n', languageId: 'plaintext', fileName: 'C:\\notes\\hello.txt' });
    assert.equal(composed.suggestedSubject, 'hello.txt');
    const { parsed } = await roundTrip(createDraft({ from: 'alice@contoso.com', to: 'bob@contoso.com', subject: composed.suggestedSubject }, composed.body));
    assert.equal(parsed.text, 'Hello Zoë\n');
    assert.equal(parsed.html, false);
  });

  it('as an attachment: the document is attached under its file name, and the text says so', async () => {
    const composed = composeFromDocument({ text: MARKDOWN, languageId: 'markdown', fileName: 'Untitled-1', asAttachment: true });
    const draft = createDraft({ from: 'alice@contoso.com', to: 'bob@contoso.com', subject: composed.suggestedSubject }, composed.body);
    const { parsed } = await roundTrip(draft);
    assert.equal(parsed.attachments.length, 1);
    const [attachment] = parsed.attachments;
    assert.equal(attachment.filename, 'Untitled-1.md');
    assert.equal(attachment.contentType, 'text/markdown');
    assert.equal(attachment.content.toString('utf8'), SOURCE);
    assert.match(parsed.text ?? '', /Untitled-1\.md is attached/);
    assert.equal(parsed.html, false);
  });
});

describe('Non-ASCII headers', () => {
  it('a subject and names in any script arrive as written', async () => {
    const draft = createDraft({
      from: 'Åsa Öberg <alice@contoso.com>',
      to: '"Okafor, Bøb" <bob@contoso.com>, 张伟 <zhang@contoso.com>',
      subject: 'Grüße — 你好 🚀',
    }, { text: 'x', attachments: [] });
    const { parsed, message } = await roundTrip(draft);
    assert.equal(parsed.subject, 'Grüße — 你好 🚀');
    assert.deepEqual(parsed.from?.value, [{ name: 'Åsa Öberg', address: 'alice@contoso.com' }]);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    assert.deepEqual(to?.value, [{ name: 'Okafor, Bøb', address: 'bob@contoso.com' }, { name: '张伟', address: 'zhang@contoso.com' }]);
    const headers = message.raw.subarray(0, message.raw.indexOf('\r\n\r\n'));
    assert.ok(headers.every((byte) => byte < 0x80), 'headers are 7-bit (RFC 2047 encoded)');
  });

  it('Bcc is in the envelope, not in the headers', async () => {
    const draft = createDraft({ from: 'alice@contoso.com', to: 'bob@contoso.com', bcc: 'eve@contoso.com', subject: 's' }, { text: 'x', attachments: [] });
    const { parsed, message } = await roundTrip(draft);
    assert.deepEqual(message.envelope.to, ['bob@contoso.com', 'eve@contoso.com']);
    assert.equal(parsed.bcc, undefined);
    assert.doesNotMatch(message.raw.toString('latin1'), /eve@contoso\.com/);
  });
});

describe('The size for the confirmation', () => {
  it('is close to the size of the built message', async () => {
    let text = '# Big\n\n';
    while (text.length < 100_000) text += 'Some text with *emphasis*, `code` and ünïcödé.\n\n';
    const composed = composeFromDocument({ text, languageId: 'markdown', fileName: 'big.md' });
    const draft = createDraft({ from: 'alice@contoso.com', to: 'bob@contoso.com', subject: 'Big' }, composed.body);
    const { message } = await roundTrip(draft);
    const ratio = draft.sizeBytes / message.raw.length;
    assert.ok(ratio > 0.85 && ratio < 1.4, `estimate ${draft.sizeBytes} vs actual ${message.raw.length}`);
  });
});
