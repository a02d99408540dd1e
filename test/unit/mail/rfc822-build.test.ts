/**
 * The message a draft becomes: plain text is a single-part message, Markdown is
 * multipart/alternative with the Markdown as text first and the HTML after it (so a client that
 * can show HTML picks it); the headers are the draft's, and the bytes that stream out are the
 * bytes that are kept.
 */
import * as assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { stopBodyRenderer } from '../../../src/mail/compose/body-renderer';
import { createDraft } from '../../../src/mail/compose/draft';
import { buildRfc822, startRfc822 } from '../../../src/mail/compose/rfc822';

const DATE = new Date('2026-03-02T09:30:00Z');
const MESSAGE_ID = '<0f7c3a2e-1d4b-4e8a-9c6f-2b5d8e1a7c90@contoso.com>';

function draft(text: string, options: { markdown?: boolean; subject?: string } = {}) {
  return createDraft({ from: 'Alice Smith <alice@contoso.com>', to: 'Bob Okafor <bob@contoso.com>', cc: 'carol@contoso.com', subject: options.subject ?? 'Release 1.4' },
    { text, attachments: [], ...(options.markdown ? { markdown: true } : {}) });
}

function headerBlock(raw: Buffer): string {
  return raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
}

describe('A plain-text message', () => {
  it('is a single text part with the draft\'s headers and text', async () => {
    const text = 'Hello Bob,\n\nthe release is out.\n\nAlice\n';
    const message = await buildRfc822(draft(text), { date: DATE, messageId: MESSAGE_ID });
    const parsed = await simpleParser(message.raw);
    assert.deepEqual({
      from: parsed.from?.value,
      to: Array.isArray(parsed.to) ? undefined : parsed.to?.value,
      cc: Array.isArray(parsed.cc) ? undefined : parsed.cc?.value,
      subject: parsed.subject,
      messageId: parsed.messageId,
      date: parsed.date?.toISOString(),
      contentType: parsed.headers.get('content-type'),
      text: parsed.text,
      html: parsed.html,
    }, {
      from: [{ name: 'Alice Smith', address: 'alice@contoso.com' }],
      to: [{ name: 'Bob Okafor', address: 'bob@contoso.com' }],
      cc: [{ name: '', address: 'carol@contoso.com' }],
      subject: 'Release 1.4',
      messageId: MESSAGE_ID,
      date: DATE.toISOString(),
      contentType: { value: 'text/plain', params: { charset: 'utf-8' } },
      text,
      html: false,
    });
  });

  it('has its content headers once, in the message headers, and no MIME boundary', async () => {
    const { raw } = await buildRfc822(draft('Hello\n'), { date: DATE, messageId: MESSAGE_ID });
    const headers = headerBlock(raw);
    assert.deepEqual([headers.match(/^Content-Type:/gim)?.length, headers.match(/^Content-Transfer-Encoding: 7bit$/gim)?.length, /boundary=/i.test(raw.toString('latin1'))],
      [1, 1, false], headers);
    assert.match(headers, /^MIME-Version: 1\.0$/m);
  });

  it('in UTF-8 goes as 8bit, exactly as written but for CRLF line ends', async () => {
    const text = 'Grüße aus Köln,\r\n你好 🚀\nBye\n';
    const { raw } = await buildRfc822(draft(text), { date: DATE, messageId: MESSAGE_ID });
    assert.match(headerBlock(raw), /^Content-Transfer-Encoding: 8bit$/m);
    assert.equal(raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString('utf8'), 'Grüße aus Köln,\r\n你好 🚀\r\nBye\r\n');
  });

  it('with a line over 998 octets arrives as written', async () => {
    const text = `${'A very long line about the café. '.repeat(60)}\nShort line.\n`;
    const { raw } = await buildRfc822(draft(text), { date: DATE, messageId: MESSAGE_ID });
    const parsed = await simpleParser(raw);
    assert.equal(parsed.text, text);
    assert.ok(raw.toString('latin1').split('\r\n').every((line) => line.length <= 998), 'a line of the message is over 998 octets');
  });

  it('of a few hundred kilobytes arrives whole, with no bare LF on the wire', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `Line ${i} — Grüße.\n`).join('');
    const { raw } = await buildRfc822(draft(text), { date: DATE, messageId: MESSAGE_ID });
    assert.equal(/(?<!\r)\n/.test(raw.toString('latin1')), false, 'a bare LF in the message');
    assert.equal((await simpleParser(raw)).text, text);
  });
});

describe('A Markdown message', () => {
  after(() => stopBodyRenderer());

  const SOURCE = '# Release 1.4\n\nThe *new* send command.\n\n- Grüße\n- 你好\n';

  it('is multipart/alternative: the Markdown as text first, then the HTML', async () => {
    const message = await buildRfc822(draft(SOURCE, { markdown: true }), { date: DATE, messageId: MESSAGE_ID });
    const raw = message.raw.toString('latin1');
    assert.match(headerBlock(message.raw), /^Content-Type: multipart\/alternative;/m);
    const text = raw.search(/^Content-Type: text\/plain/m);
    const html = raw.search(/^Content-Type: text\/html/m);
    assert.ok(text > 0 && html > text, `text/plain at ${text}, text/html at ${html}`);
  });

  it('arrives with the Markdown as its text and the rendered document as its HTML', async () => {
    const message = await buildRfc822(draft(SOURCE, { markdown: true, subject: 'Release — 1.4' }), { date: DATE, messageId: MESSAGE_ID });
    const parsed = await simpleParser(message.raw);
    assert.equal(parsed.text, SOURCE);
    assert.match(String(parsed.html), /<title>Release — 1\.4<\/title>[\s\S]*<h1>.*Release 1\.4<\/h1>[\s\S]*<em>new<\/em>[\s\S]*<li>你好<\/li>/);
  });
});

describe('A message being built', () => {
  after(() => stopBodyRenderer());

  it('streams, from the first byte, the bytes it keeps (for the Sent folder and a second attempt)', async () => {
    const message = startRfc822(draft('# Hi\n\nThere.\n', { markdown: true }), { date: DATE, messageId: MESSAGE_ID });
    const first = message.stream();
    const chunks: Buffer[] = [];
    for await (const chunk of first) chunks.push(chunk as Buffer);
    const second: Buffer[] = [];
    for await (const chunk of message.stream()) second.push(chunk as Buffer);
    await message.built;
    const raw = message.bytes();
    assert.deepEqual([Buffer.concat(chunks), Buffer.concat(second)], [raw, raw]);
  });

  it('knows its Message-ID and envelope at once, Bcc in the envelope only', async () => {
    const withBcc = createDraft({ from: 'alice@contoso.com', to: 'bob@contoso.com', bcc: 'eve@contoso.com, bob@contoso.com', subject: 's' }, { text: 'x', attachments: [] });
    const message = startRfc822(withBcc, { messageId: MESSAGE_ID });
    assert.deepEqual({ messageId: message.messageId, envelope: message.envelope }, { messageId: MESSAGE_ID, envelope: { from: 'alice@contoso.com', to: ['bob@contoso.com', 'eve@contoso.com'] } });
    await message.built;
    assert.doesNotMatch(message.bytes().toString('latin1'), /eve@contoso\.com/);
  });
});
