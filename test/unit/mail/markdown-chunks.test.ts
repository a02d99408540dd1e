/**
 * A large document's HTML is rendered in pieces, cut before top-level headings outside code
 * fences: the pieces together are exactly the HTML of the whole, and a document that could
 * render differently in pieces (link reference definitions) or break a line limit (long source
 * lines) is rendered whole.
 */
import * as assert from 'node:assert/strict';
import { htmlBodyPart, htmlBodyPieces } from '../../../src/mail/compose/body-parts';
import { chunkOffsets, MAX_SOURCE_LINE } from '../../../src/mail/compose/markdown-chunks';

const TITLE = 'Release — notes';

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** The part as the pieces make it, cutting wherever it may (every heading). */
function inPieces(text: string): Buffer[] {
  return [...htmlBodyPieces(bytes(text), TITLE, false, 1)];
}

const SECTIONS: Record<string, string> = {
  'fenced code whose comments start with #': '# Build\n\n```sh\n# install\nnpm ci\n## not a heading\n```\n\n# Test\n\nText.\n',
  'a tilde fence closed by a longer one': '# A\n\n~~~\n# inside\n~~~~~\n# B\n\nafter\n',
  'a backtick fence not closed by tildes': '# A\n\n```\n# inside\n~~~\n# still inside\n```\n# B\n',
  'a fence indented by three spaces': '# A\n\n   ```\n# inside\n   ```\n# B\n',
  'four spaces make indented code, not a fence': '# A\n\n    ```\n# B\n\n```\n# inside\n```\n# C\n',
  'a fence left open to the end': '# A\n\n```\n# inside\n# also inside\n',
  'lists, quotes, tables and setext headings before headings': '- one\n- two\n# A\n> quote\n> more\n# B\n| a | b |\n|---|---|\n| 1 | 2 |\n# C\nSetext\n===\n# D\n1. x\n\n   y\n# E\n',
  'indented code before a heading': '    code\n    more\n# A\n',
  'lines that only look like headings': '#hashtag\n####### seven\n#\n# \n## Real\n',
  'CRLF line ends, non-ASCII and inline markup': '# Größe\r\n\r\n**你好** *em* `code` [link](https://contoso.com) www.contoso.com bob@contoso.com\r\n\r\n- [ ] task\r\n- [x] done\r\n# Next\r\n~~gone~~\r\n',
};

describe('A large Markdown document rendered in pieces', () => {
  for (const [kind, text] of Object.entries(SECTIONS)) {
    it(`gives exactly the HTML of the whole: ${kind}`, () => {
      const pieces = inPieces(text);
      assert.deepEqual(Buffer.concat(pieces).toString('utf8'), htmlBodyPart(bytes(text), TITLE, false).toString('utf8'));
    });
  }

  it('is not cut before a heading that a table (which only a blank line ends) takes as a row', () => {
    const text = '# A\n\n| a |\n|---|\n| 1 |\n# B\n\n# C\n';
    assert.deepEqual(chunkOffsets(bytes(text), 1)?.map((at) => text.slice(at, at + 3)), ['# A', '# C', '']);
  });

  it('is cut before top-level headings only, never inside a fence', () => {
    const text = SECTIONS['fenced code whose comments start with #'];
    const cuts = chunkOffsets(bytes(text), 1);
    assert.deepEqual(cuts?.map((at) => text.slice(at, at + 6)), ['# Buil', '# Test', '']);
  });

  it('is cut about every chunk size, so the first pieces can go while the rest renders', () => {
    const section = '## Change\n\nSome *text* with `code` and a [link](https://contoso.com).\n\n```sh\n# a comment\n```\n\n';
    const text = `# Release notes\n\n${section.repeat(20_000)}`;
    const cuts = chunkOffsets(bytes(text), 64 * 1024) ?? [];
    assert.ok(cuts.length > 20, `${cuts.length} cuts`);
    for (let i = 1; i + 1 < cuts.length; i++) assert.ok(cuts[i] - cuts[i - 1] >= 64 * 1024);
    const pieces = [...htmlBodyPieces(bytes(text), TITLE, true, 64 * 1024)];
    assert.equal(pieces.length, cuts.length, 'the head, then one piece per chunk');
    assert.deepEqual(Buffer.concat(pieces), htmlBodyPart(bytes(text), TITLE, true));
  });

  const whole: Record<string, string> = {
    'a link reference definition': '# A\n\n[docs] and more\n# B\n\n[docs]: https://contoso.com/docs\n',
    'an indented link reference definition': '# A\n\n[docs]\n# B\n\n  [docs]: https://contoso.com/docs\n',
    [`a line over ${MAX_SOURCE_LINE} octets`]: `# A\n\n${'word '.repeat(40)}\n# B\n`,
    'a NUL': '# A\n\nnul \0 here\n# B\n',
    'no heading to cut at after the first chunk': '# A\n\ntext\n',
  };
  for (const [kind, text] of Object.entries(whole)) {
    it(`is rendered whole with ${kind}`, () => {
      assert.equal(chunkOffsets(bytes(text), 1), undefined);
      assert.equal(inPieces(text).length, 1);
    });
  }

  it('a document no larger than one chunk is one piece', () => {
    assert.equal(chunkOffsets(bytes('# A\n\ntext\n# B\n')), undefined);
  });

  it(`keeps every HTML line under 998 octets for source lines of ${MAX_SOURCE_LINE} octets, whatever they hold`, () => {
    const fill = (unit: string, prefix = '') => prefix + unit.repeat(Math.floor((MAX_SOURCE_LINE - prefix.length) / unit.length));
    const lines = [
      fill('a@b.co '),
      fill('www.a.co '),
      fill('"'),
      fill('&'),
      fill('<'),
      fill('a@b.co ', '- [ ] '),
      fill('[a](b) '),
      fill('*a* '),
      fill('![a](b) '),
      fill('# a '),
    ];
    for (const line of lines) {
      assert.ok(Buffer.byteLength(line) <= MAX_SOURCE_LINE, line);
      const text = `# A\n\n${line}\n\n\`\`\`\n${line}\n\`\`\`\n\n| ${line} |\n|---|\n| x |\n# B\n\n> ${line.slice(2)}\n`;
      const part = Buffer.concat(inPieces(text)).toString('utf8');
      const longest = Math.max(...part.split('\r\n').map((l) => Buffer.byteLength(l)));
      assert.ok(longest <= 998, `a line of ${longest} octets from ${JSON.stringify(line.slice(0, 20))}…`);
    }
  });
});
