/**
 * The text parts of a message: a text whose lines allow it goes as it is (CRLF line ends),
 * anything else in quoted-printable or base64, and a strict reader gets back exactly what was
 * written, whichever way it went and however it was cut into pieces.
 */
import * as assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { asIsBytes, base64Lines, crlfText, encodedBody, encodedPart, QuotedPrintableEncoder, quotedPrintable } from '../../../src/mail/compose/mime-part';

function crlf(text: string): Buffer {
  return Buffer.from(text.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');
}

/** RFC 2045 6.7 read strictly: fails on anything a lenient reader would have to guess about. */
function decodeQuotedPrintable(encoded: Buffer): Buffer {
  const lines = encoded.toString('latin1').split('\r\n');
  const out: number[] = [];
  lines.forEach((line, index) => {
    assert.ok(line.length <= 76, `line ${index} has ${line.length} characters: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /[^\t\x20-\x7e]/, `line ${index} has a character that is not printable ASCII: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /[ \t]$/, `line ${index} ends in a blank: ${JSON.stringify(line)}`);
    let soft = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] !== '=') {
        out.push(line.charCodeAt(i));
      } else if (i === line.length - 1) {
        soft = true;
      } else {
        const hex = line.slice(i + 1, i + 3);
        assert.match(hex, /^[0-9A-F]{2}$/, `line ${index} has a bad escape: ${JSON.stringify(line)}`);
        out.push(parseInt(hex, 16));
        i += 2;
      }
    }
    if (!soft && index < lines.length - 1) out.push(13, 10);
  });
  return Buffer.from(out);
}

const TEXTS: Record<string, string> = {
  'ASCII': 'Hello Bob,\nthe release is out.\n\nAlice\n',
  'Latin-1 letters in UTF-8': 'Grüße aus Köln — café crème, naïve façade, ½ £ ©\n',
  'CJK and emoji': '你好，世界。日本語のテキスト。한국어 🚀\n',
  'equals signs': 'a=b, c == d, =3D is not an escape here\n=\n==',
  'blanks before line ends and at the end': 'space \ntab\t\r\nboth \t\rspaces   \n\t\nlast space ',
  'a tab at the very end': 'ends with a tab\t',
  'mixed line ends': 'lf\ncrlf\r\ncr\rtwo lf\n\ntwo crlf\r\n\r\ntwo cr\r\rcr lf lf\r\n\nend',
  'long lines': `${'x'.repeat(300)}\n${'word '.repeat(60)}\n${'é'.repeat(100)}\n${'='.repeat(80)}`,
};

describe('Quoted-printable', () => {
  for (const [kind, text] of Object.entries(TEXTS)) {
    it(`gives back the text with CRLF line ends (${kind})`, () => {
      assert.deepEqual(decodeQuotedPrintable(quotedPrintable(Buffer.from(text, 'utf8'))), crlf(text));
    });
  }

  it('keeps every line within 76 characters wherever a blank, an escape or a line end falls', () => {
    for (let length = 68; length <= 80; length++) {
      for (const tail of [' ', '\t', '=', 'é', ' x', '\tx', ' \r\n', '\t\n', 'x\r', 'é '.repeat(3)]) {
        const text = `${'a'.repeat(length)}${tail}${'b'.repeat(length)}${tail}`;
        assert.deepEqual(decodeQuotedPrintable(quotedPrintable(Buffer.from(text, 'utf8'))), crlf(text), JSON.stringify(text));
      }
    }
  });

  it('writes printable ASCII as it is and everything else as =XX', () => {
    assert.equal(quotedPrintable(Buffer.from('Café = 1\x00', 'utf8')).toString('latin1'), 'Caf=C3=A9 =3D 1=00');
  });

  it('encoded in two calls over one input (cut anywhere, between CR and LF too) is the same as in one', () => {
    for (const text of [...Object.values(TEXTS), 'a\r\nb', 'x \r\n', 'line\r\r\n']) {
      const input = Buffer.from(text, 'utf8');
      const whole = quotedPrintable(input);
      for (let cut = 0; cut <= input.length; cut++) {
        const encoder = new QuotedPrintableEncoder();
        const twice = Buffer.concat([encoder.encode(input, 0, cut), encoder.encode(input, cut)]);
        assert.equal(twice.toString('latin1'), whole.toString('latin1'), `${JSON.stringify(text)} cut at ${cut}`);
      }
    }
  });

  it('a CRLF cut between two separate pieces is still one line end', () => {
    const encoder = new QuotedPrintableEncoder();
    const pieces = Buffer.concat([encoder.encode(Buffer.from('first\r')), encoder.encode(Buffer.from('\nsecond'))]);
    assert.equal(pieces.toString('latin1'), 'first\r\nsecond');
  });

  it('separate pieces (cut anywhere, inside a character too) decode to the whole text', () => {
    for (const text of Object.values(TEXTS)) {
      const input = Buffer.from(text, 'utf8');
      for (let cut = 0; cut <= input.length; cut++) {
        const encoder = new QuotedPrintableEncoder();
        const pieces = Buffer.concat([encoder.encode(input.subarray(0, cut)), encoder.encode(input.subarray(cut))]);
        assert.deepEqual(decodeQuotedPrintable(pieces), crlf(text), `${JSON.stringify(text)} cut at ${cut}`);
      }
    }
  });
});

describe('Base64 lines', () => {
  it('are 76 characters but the last, and decode to the input', () => {
    const input = Buffer.from('你好世界'.repeat(100), 'utf8');
    const lines = base64Lines(input).toString('latin1').split('\r\n');
    assert.ok(lines.slice(0, -1).every((line) => line.length === 76) && lines[lines.length - 1].length <= 76);
    assert.deepEqual(Buffer.from(lines.join(''), 'base64'), input);
  });
});

describe('A text as it is', () => {
  it('has CRLF for every LF, CR and CRLF', () => {
    assert.equal(asIsBytes([Buffer.from('a\nb\rc\r\nd\n\ne\r\rf\r')])?.toString('latin1'), 'a\r\nb\r\nc\r\nd\r\n\r\ne\r\n\r\nf\r\n');
  });

  it('takes a line of 998 octets, line end not counted', () => {
    const line = 'é'.repeat(499);
    assert.equal(asIsBytes([Buffer.from(`${line}\r\n${line}`, 'utf8')])?.toString('utf8'), `${line}\r\n${line}`);
  });

  it('is refused with a line of 999 octets', () => {
    assert.equal(asIsBytes([Buffer.from(`short\n${'a'.repeat(999)}\nshort`)]), undefined);
  });

  it('is refused with a NUL', () => {
    assert.equal(asIsBytes([Buffer.from('a\x00b')]), undefined);
  });

  it('is the same in pieces as in one, cut anywhere (between CR and LF too)', () => {
    const text = Buffer.from('one\r\ntwo\rthree\nfour\r\n\r\nfünf\r', 'utf8');
    const whole = asIsBytes([text]);
    for (let cut = 0; cut <= text.length; cut++) {
      assert.deepEqual(asIsBytes([text.subarray(0, cut), text.subarray(cut)]), whole, `cut at ${cut}`);
    }
  });

  it('a line too long across two pieces is still too long', () => {
    assert.equal(asIsBytes([Buffer.from('a'.repeat(500)), Buffer.from('a'.repeat(499))]), undefined);
  });

  it('fits when its lines do, counted in octets (crlfText)', () => {
    const accepted = ['', 'a\n'.repeat(10), `${'é'.repeat(499)}\r\n`, `${'a'.repeat(998)}\n${'😀'.repeat(249)}`, 'one\r\ntwo\nthree\rfour',
      `${'a'.repeat(600)}\r${'b'.repeat(600)}\r\nend`];
    const refused = [`${'é'.repeat(499)}a`, `ok\n${'a'.repeat(999)}`, '😀'.repeat(250), 'nul\x00', `a\r\n${'b'.repeat(999)}\r\n`];
    for (const text of accepted) assert.deepEqual(crlfText(Buffer.from(text)), asIsBytes([Buffer.from(text)]), JSON.stringify(text.slice(0, 20)));
    assert.deepEqual(refused.map((text) => crlfText(Buffer.from(text))), refused.map(() => undefined));
  });

  it('text with CRLF line ends goes as it is, not copied (crlfText)', () => {
    const bytes = Buffer.from('Grüße\r\nfrom\r\nthe team\r\n');
    assert.equal(crlfText(bytes), bytes);
  });

  it('text with LF line ends gets CRLF (crlfText)', () => {
    assert.equal(crlfText(Buffer.from('a\nb\n\nc'))?.toString(), 'a\r\nb\r\n\r\nc');
  });
});

describe('The encoding of a text part', () => {
  const kinds: { kind: string; text: string; encoding: string }[] = [
    { kind: 'ASCII with short lines', text: 'Hello Bob,\r\nsee you.\n', encoding: '7bit' },
    { kind: 'UTF-8 with short lines', text: 'Grüße, 你好\n', encoding: '8bit' },
    { kind: 'mostly Latin with a long line', text: `${'The café is open today. '.repeat(60)}\nBye\n`, encoding: 'quoted-printable' },
    { kind: 'mostly CJK with a long line', text: `${'你好世界'.repeat(300)}\nBye\n`, encoding: 'base64' },
    { kind: 'ASCII with a NUL', text: 'a\x00b\n', encoding: 'quoted-printable' },
  ];

  for (const { kind, text, encoding } of kinds) {
    it(`${kind}: goes as ${encoding} and a mail reader gets the text back`, async () => {
      const pieces = [Buffer.from(text, 'utf8')];
      const ascii = Buffer.byteLength(text, 'utf8') === text.length;
      assert.equal(encodedBody(pieces, ascii).encoding, encoding);
      const parsed = await simpleParser(encodedPart(pieces, 'text/plain; charset=utf-8', ascii));
      assert.equal(parsed.text, text.replace(/\r\n|\r/g, '\n'));
    });
  }

  it('is base64 once more than a quarter of the bytes are not ASCII, quoted-printable up to a quarter', () => {
    // 'é' is two bytes of UTF-8: 2 in 7 bytes is over a quarter, 2 in 8 is a quarter.
    const overQuarter = [Buffer.from('abcdeé'.repeat(200), 'utf8')];
    const quarter = [Buffer.from('abcdefé'.repeat(200), 'utf8')];
    assert.deepEqual([encodedBody(overQuarter, false).encoding, encodedBody(quarter, false).encoding], ['base64', 'quoted-printable']);
  });

  it('in quoted-printable, pieces cut inside a character decode to the text', () => {
    const text = `${'Smørrebrød på bordet. '.repeat(60)}\n`;
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.indexOf(Buffer.from('ø')) + 1;
    const { encoding, bytes: body } = encodedBody([bytes.subarray(0, cut), bytes.subarray(cut)], false);
    assert.equal(encoding, 'quoted-printable');
    assert.equal(decodeQuotedPrintable(body).toString('utf8'), text.replace(/\n/g, '\r\n'));
  });
});
