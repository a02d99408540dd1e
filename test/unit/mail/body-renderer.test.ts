/**
 * The body parts of a message while the connection is set up: the HTML of a Markdown message
 * is made on a worker thread, byte for byte what this thread would make, and a stopped worker
 * neither loses a message it was making nor keeps the next one from being made.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { renderHtmlPart, stopBodyRenderer } from '../../../src/mail/compose/body-renderer';
import { asciiMarkdown, htmlBodyPart, textBodyPart, textPartPieces } from '../../../src/mail/compose/body-parts';
import type { TransferEncoding } from '../../../src/mail/compose/mime-part';

const MARKDOWN = '# Release 1.4\n\nThe *new* send command, [docs](https://contoso.com/docs).\n\n- Grüße\n- 你好\n\n```sh\n# build\nnpm ci\n```\n';
const ASCII_MARKDOWN = '# Notes\n\nPlain **ASCII** text.\n';

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The HTML part, rendered on the worker, in one Buffer. */
async function rendered(markdown: string, title: string): Promise<Buffer> {
  return collect(renderHtmlPart(markdown, title));
}

/** The text part's body and the encoding its headers were asked for. */
async function textBody(text: string): Promise<{ encoding?: TransferEncoding; bytes: Buffer }> {
  let encoding: TransferEncoding | undefined;
  const bytes = await collect(textPartPieces(text, (chosen) => {
    encoding = chosen;
    return Buffer.alloc(0);
  }));
  return { encoding, bytes };
}

describe('The body renderer', () => {
  after(() => stopBodyRenderer());

  it('finds its worker script beside it (else every HTML part would be made on this thread)', () => {
    const renderer = require.resolve('../../../src/mail/compose/body-renderer');
    assert.ok(existsSync(join(dirname(renderer), 'body-worker.js')), `no body-worker.js beside ${renderer}`);
  });

  for (const [kind, markdown, title] of [['UTF-8', MARKDOWN, 'Release — “1.4”'], ['ASCII', ASCII_MARKDOWN, 'Notes']]) {
    it(`makes on its worker the same HTML part as this thread does (${kind})`, async () => {
      const html = await rendered(markdown, title);
      assert.deepEqual(html, htmlBodyPart(markdown, title, asciiMarkdown(markdown)));
    });
  }

  it('makes the parts of several messages at once, each its own', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `# Message ${i}\n\n${'Text. '.repeat(i * 1000)}\n`);
    const parts = await Promise.all(texts.map((text, i) => rendered(text, `Subject ${i}`)));
    assert.deepEqual(parts, texts.map((text, i) => htmlBodyPart(text, `Subject ${i}`, true)));
  });

  it('still makes a message after the worker was stopped (a new worker starts)', async () => {
    await rendered(ASCII_MARKDOWN, 'Before');
    await stopBodyRenderer();
    const html = await rendered(MARKDOWN, 'After');
    assert.deepEqual(html, htmlBodyPart(MARKDOWN, 'After', false));
  });

  it('finishes on this thread a message the worker was making when it was stopped', async () => {
    const pending = rendered(MARKDOWN, 'Stopped');
    // The job reaches the worker on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    await stopBodyRenderer();
    assert.deepEqual(await pending, htmlBodyPart(MARKDOWN, 'Stopped', false));
  });

  it('the HTML part arrives as the document the Markdown describes', async () => {
    const part = await rendered(MARKDOWN, 'Release — “1.4”');
    const parsed = await simpleParser(part ?? Buffer.alloc(0));
    assert.match(String(parsed.html), /<title>Release — “1\.4”<\/title>[\s\S]*<em>new<\/em>[\s\S]*<li>你好<\/li>/);
  });
});

describe('The text part', () => {
  it('goes as it is, 7bit for ASCII, with CRLF line ends', async () => {
    const body = await textBody('one\ntwo\r\nthree\rfour\n');
    assert.equal(body.encoding, '7bit');
    assert.equal(body.bytes.toString('latin1'), 'one\r\ntwo\r\nthree\r\nfour\r\n');
  });

  it('goes as it is, 8bit for UTF-8', async () => {
    const body = await textBody('Grüße\n你好\n');
    assert.equal(body.encoding, '8bit');
    assert.equal(body.bytes.toString('utf8'), 'Grüße\r\n你好\r\n');
  });

  it('of more than one piece (a large text) keeps every line and character whole', async () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `Line ${i}: Grüße, 你好, 🚀 and a CRLF\r\n`).join('');
    assert.equal((await textBody(text)).bytes.toString('utf8'), text);
  });

  it('with a line over 998 octets is encoded, and arrives as written', async () => {
    const text = `${'The café is open. '.repeat(100)}\nBye\n`;
    assert.equal((await textBody(text)).encoding, 'quoted-printable');
    const parsed = await simpleParser(await collect(textBodyPart(text)));
    assert.equal(parsed.text, text);
  });
});
