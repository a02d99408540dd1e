/**
 * Markdown rendered for the HTML part: what arrives is what the Markdown says (raw HTML shown
 * as text, links that would run a script or open a local file left without a target), the
 * same whether rendered as a string or as bytes; and the first heading found for the subject
 * without rendering more of a large document than needed.
 */
import * as assert from 'node:assert/strict';
import { firstMarkdownHeading, renderMarkdown, renderMarkdownBytes } from '../../../src/mail/compose/markdown';

/** Both renderings, the bytes copied out at once (they are valid until the next rendering). */
function renderings(source: string): { string: string; bytes: string } {
  const bytes = Buffer.from(renderMarkdownBytes(source)).toString('utf8');
  return { string: renderMarkdown(source), bytes };
}

function targets(html: string): string[] {
  return [...html.matchAll(/<(?:a href|img src)="([^"]*)"/g)].map((match) => match[1]);
}

describe('Links and images in the HTML part', () => {
  const unsafe: Record<string, string> = {
    'javascript:': '[click](javascript:alert(1))',
    'JaVaScript: in mixed case': '[click](JaVaScript:alert(1))',
    'javascript: as a character reference': '[click](&#106;avascript:alert(1))',
    'javascript: as a hex character reference': '[click](&#x6A;avascript:alert(1))',
    'javascript: with a tab reference inside the scheme': '[click](java&#9;script:alert(1))',
    'javascript: after a blank': '[click](< javascript:alert(1)>)',
    'javascript: as an autolink': '<javascript:alert(1)>',
    'javascript: through a reference definition': '[click][r]\n\n[r]: javascript:alert(1)',
    'vbscript:': '[click](vbscript:msgbox(1))',
    'file:': '[passwords](file:///etc/passwd)',
    'data:text/html': '[click](data:text/html;base64,PHNjcmlwdD4=)',
    'data:image/png as a link, not an image': '[click](data:image/png;base64,iVBORw0KGgo=)',
    'data:image/svg+xml as an image': '![logo](data:image/svg+xml;base64,PHN2Zz4=)',
    'javascript: as an image': '![x](javascript:alert(1))',
    'javascript: after a named tab reference': '[click](&Tab;javascript:alert(1))',
    'javascript: with a named colon reference': '[click](javascript&colon;alert(1))',
    'javascript: after a named line break reference': '[click](&NewLine;javascript:1)',
    'javascript: as an image after a named tab reference': '![x](&Tab;javascript:1)',
    'data:text/html with a named colon reference': '[click](data&colon;text/html,x)',
    'javascript: after many blank references': `[click](${'&#32;'.repeat(16)}javascript:alert(1))`,
    'data:text/html as an image after many tab references': `![x](${'&#9;'.repeat(30)}data:text/html,x)`,
  };

  for (const [kind, source] of Object.entries(unsafe)) {
    it(`${kind} loses its target, as a string and as bytes`, () => {
      const { string, bytes } = renderings(source);
      assert.deepEqual({ string: targets(string), bytes: targets(bytes) }, { string: [''], bytes: [''] }, string);
    });
  }

  const kept: Record<string, [string, string[]]> = {
    'a https link': ['[site](https://contoso.com/a?b=1&c=2)', ['https://contoso.com/a?b=1&amp;c=2']],
    'an in-message anchor': ['[Changes](#changes)', ['#changes']],
    'a mailto link': ['[mail](mailto:bob@contoso.com)', ['mailto:bob@contoso.com']],
    'a PNG image as data': ['![dot](data:image/png;base64,iVBORw0KGgo=)', ['data:image/png;base64,iVBORw0KGgo=']],
    'a JPEG image as data, in capitals': ['![dot](DATA:image/jpeg;base64,/9j/4AAQ)', ['DATA:image/jpeg;base64,/9j/4AAQ']],
    'relative links that start like a scheme': ['[d](data.csv), [v](vbscript.txt), [f](files/javascript.md), [j](javascript-notes.md)',
      ['data.csv', 'vbscript.txt', 'files/javascript.md', 'javascript-notes.md']],
    'a link with an ampersand first': ['[q](&amp;x=1)', ['&amp;x=1']],
  };

  for (const [kind, [source, expected]] of Object.entries(kept)) {
    it(`${kind} keeps its target, as a string and as bytes`, () => {
      const { string, bytes } = renderings(source);
      assert.deepEqual({ string: targets(string), bytes: targets(bytes) }, { string: expected, bytes: expected }, string);
    });
  }

  it('raw HTML is shown as text, not run', () => {
    const { string, bytes } = renderings('Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src="https://evil.example"></iframe>\n');
    assert.deepEqual([string, bytes].map((html) => /<(?:script|img|iframe)/i.test(html)), [false, false], string);
    assert.match(string, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('a document with only safe targets renders the same as bytes and as a string', () => {
    const source = '# Notes\n\nSee [the guide](https://contoso.com/guide) and ![chart](chart.png).\n\n'
      + '| a | b |\n|---|---|\n| ~~old~~ | **new** |\n\n- [x] done\n- [ ] todo\n\nwww.contoso.com and bob@contoso.com, «Grüße» 你好\n';
    const { string, bytes } = renderings(source);
    assert.equal(bytes, string);
    assert.match(string, /<table>[\s\S]*<del>old<\/del>[\s\S]*<input type="checkbox" disabled checked>done/);
  });
});

describe('The first heading of a Markdown document', () => {
  const cases: Record<string, [string, string | undefined]> = {
    'an ATX heading': ['Intro line.\n\n## Release 1.4 ##\n\nText.\n', 'Release 1.4'],
    'a setext heading with ===': ['Release\nnotes\n===\n\nText.\n', 'Release notes'],
    'a setext heading with ---': ['Release notes\n---\n\nText.\n', 'Release notes'],
    'a heading in CRLF lines': ['Release notes\r\n===\r\n\r\nText.\r\n', 'Release notes'],
    'a heading after a thematic break': ['* * *\n---\n\n# After the rules\n', 'After the rules'],
    'a heading after a shell script whose comments start with #': ['```sh\n# install\nnpm ci\n# build\n```\n\n# Building\n', 'Building'],
    'a heading after a code block whose comments are underlined': ['```\nfoo\n---\n```\nReal\n===\n', 'Real'],
    'inline markup stripped': ['# The *new* `send` [command](https://contoso.com) **now**\n', 'The new send command now'],
    'entities decoded': ['# Tom &amp; Jerry &lt;3 &#169; &#x263A;\n', 'Tom & Jerry <3 © ☺'],
    'named entities decoded': ['# Release &mdash; notes &eacute;t&eacute; &copy;\n', 'Release — notes été ©'],
    'a reference link defined further down': ['# See [docs]\n\nText.\n\n[docs]: https://contoso.com/docs\n', 'See docs'],
    'brackets that are no reference': ['# See [draft] notes\n\nText.\n', 'See [draft] notes'],
    'a quoted heading': ['> # Quoted\n', 'Quoted'],
    'no heading': ['Just text.\n\n    # indented code, not a heading\n\n#hashtag\n\n- item\n---\n', undefined],
    'an empty document': ['', undefined],
  };

  for (const [kind, [source, heading]] of Object.entries(cases)) {
    it(`is found: ${kind}`, () => {
      assert.equal(firstMarkdownHeading(source), heading);
    });
  }

  it('is found after more than eight lines that only look like headings', () => {
    const comments = Array.from({ length: 12 }, (_, i) => `# step ${i}\necho ${i}`).join('\n');
    assert.equal(firstMarkdownHeading(`\`\`\`sh\n${comments}\n\`\`\`\n\nThe real one\n---\n`), 'The real one');
  });

  it('is not taken from a code block that looks like headings more than eight times', () => {
    const comments = Array.from({ length: 12 }, (_, i) => `# step ${i}`).join('\n');
    assert.equal(firstMarkdownHeading(`\`\`\`sh\n${comments}\n\`\`\`\n\nNo heading.\n`), undefined);
  });

  it('is found at the top of a document of a few megabytes', () => {
    const section = '## Details\n\nSome *text* with `code`, a [link](https://contoso.com) and ünïcödé.\n\n```sh\n# a comment\n```\n\n';
    const source = `# Annual report\n\n${section.repeat(Math.ceil(3_000_000 / section.length))}`;
    assert.equal(firstMarkdownHeading(source), 'Annual report');
  });

  it('is found after a few megabytes without a heading', () => {
    const paragraph = 'A long paragraph of text, no heading in it.\n\n';
    const source = `${paragraph.repeat(Math.ceil(2_000_000 / paragraph.length))}Finally\n===\n`;
    assert.equal(firstMarkdownHeading(source), 'Finally');
  });
});
