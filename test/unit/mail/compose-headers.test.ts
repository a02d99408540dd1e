/**
 * Headers of a document sent as mail: front matter at the top, addresses as people type them,
 * each checked before anything connects, a bad one named with its header.
 */
import * as assert from 'node:assert/strict';
import { isExplained } from '../../../src/errors';
import { formatAddress, parseAddressList } from '../../../src/mail/compose/addresses';
import { createDraft, validateRecipients } from '../../../src/mail/compose/draft';
import { parseFrontMatter } from '../../../src/mail/compose/front-matter';

function explainedCode(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(isExplained(error), `expected an ExplainedError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  assert.fail('expected an error');
}

describe('Front matter of a document', () => {
  it('gives to, cc, bcc, subject and from, in flow lists, block lists and plain values', () => {
    const text = [
      '---',
      'to: [Bob Okafor <bob@contoso.com>, "Okafor, Bob" <bob2@contoso.com>]',
      'cc:',
      '  - carol@contoso.com',
      '  - "Dan <dan@contoso.com>"',
      'bcc: eve@contoso.com',
      'subject: "Release: 1.4"',
      'from: alice@contoso.com',
      '# a comment',
      'tags: [ignored]',
      '---',
      '# Body',
    ].join('\n');
    const { headers } = parseFrontMatter(text);
    assert.deepEqual(headers, {
      to: ['Bob Okafor <bob@contoso.com>', '"Okafor, Bob" <bob2@contoso.com>'],
      cc: ['carol@contoso.com', 'Dan <dan@contoso.com>'],
      bcc: ['eve@contoso.com'],
      subject: 'Release: 1.4',
      from: 'alice@contoso.com',
    });
  });

  it('is stripped: the body starts after the closing line (CRLF documents too)', () => {
    const text = '---\r\nto: bob@contoso.com\r\n---\r\n# Body\r\n';
    const { bodyOffset } = parseFrontMatter(text);
    assert.equal(text.slice(bodyOffset), '# Body\r\n');
  });

  it('is not seen in a document that only starts with a horizontal rule', () => {
    const text = '---\nJust a paragraph after a rule.\n\n---\nMore.\n';
    assert.deepEqual(parseFrontMatter(text), { headers: {}, bodyOffset: 0 });
  });

  it('is not seen without a closing line', () => {
    assert.deepEqual(parseFrontMatter('---\nto: bob@contoso.com\n# Body\n'), { headers: {}, bodyOffset: 0 });
  });
});

describe('Address lists', () => {
  it('reads names, quoted names with commas, and comma or semicolon separators', () => {
    const list = parseAddressList('Bob Okafor <bob@contoso.com>; "Okafor, Bob" <b@contoso.com>, carol@contoso.com;', 'To');
    assert.deepEqual(list, [
      { name: 'Bob Okafor', address: 'bob@contoso.com' },
      { name: 'Okafor, Bob', address: 'b@contoso.com' },
      { address: 'carol@contoso.com' },
    ]);
  });

  it('keeps UTF-8 display names and accepts internationalized domains', () => {
    const list = parseAddressList(['Åsa Öberg <asa@bücher.example>', '"Zoë, 张" <zoe@contoso.com>'], 'Cc');
    assert.deepEqual(list, [
      { name: 'Åsa Öberg', address: 'asa@bücher.example' },
      { name: 'Zoë, 张', address: 'zoe@contoso.com' },
    ]);
  });

  it('names the bad address and the header it is in', () => {
    const error = explainedCode(() => parseAddressList('alice@contoso.com, bob@', 'To'));
    assert.equal(error.message, '"bob@" is not a valid email address (in To)');
    assert.equal(error.code, 'invalid-address');
  });

  for (const bad of ['bob', '@contoso.com', 'bob@@contoso.com', 'bob@contoso..com', 'bob smith@contoso.com', 'bob@-contoso.com']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.match(explainedCode(() => parseAddressList(bad, 'Cc')).message, /^".*" is not a valid email address \(in Cc\)$/);
    });
  }

  it('refuses a bad address inside angle brackets, naming the address', () => {
    assert.equal(explainedCode(() => parseAddressList('Bob <bob@contoso>x', 'Bcc')).message,
      '"Bob <bob@contoso>x" is not a valid email address (in Bcc)');
    assert.equal(explainedCode(() => parseAddressList('Bob <bob.contoso.com>', 'Bcc')).message,
      '"bob.contoso.com" is not a valid email address (in Bcc)');
  });

  it('formats a name that needs quotes with quotes', () => {
    assert.equal(formatAddress({ name: 'Okafor, Bob', address: 'b@contoso.com' }), '"Okafor, Bob" <b@contoso.com>');
    assert.equal(formatAddress({ name: 'Åsa Öberg', address: 'asa@contoso.com' }), 'Åsa Öberg <asa@contoso.com>');
  });
});

describe('Recipients are validated before sending', () => {
  it('an empty To is its own error', () => {
    const error = explainedCode(() => validateRecipients({ to: ' , ', cc: 'carol@contoso.com' }));
    assert.equal(error.code, 'no-recipient');
  });

  it('a draft cannot be made with a bad Cc', () => {
    const error = explainedCode(() => createDraft({ from: 'alice@contoso.com', to: 'bob@contoso.com', cc: 'carol@', subject: 's' },
      { text: 'x', attachments: [] }));
    assert.equal(error.message, '"carol@" is not a valid email address (in Cc)');
  });

  it('a draft has one sender', () => {
    assert.equal(explainedCode(() => createDraft({ from: 'a@contoso.com, b@contoso.com', to: 'bob@contoso.com', subject: 's' },
      { text: 'x', attachments: [] })).code, 'invalid-address');
  });
});
