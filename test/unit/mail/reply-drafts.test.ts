/**
 * Reply, Reply All, Forward and New Message drafts: the front matter "Send Current Document"
 * reads back, one Re:/Fw: however many the subject had, nobody of one's own in Reply All, the
 * thread's ids, and the original quoted or forwarded below.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isExplained } from '../../../src/errors';
import { readAttachmentFiles } from '../../../src/mail/compose/attachment-files';
import { createDraft } from '../../../src/mail/compose/draft';
import { parseFrontMatter, writeFrontMatter } from '../../../src/mail/compose/front-matter';
import {
  forwardDraft, forwardSubject, newMessageDraft, OriginalMessage, parseOriginalReference, quoteText, replyDraft, replyRecipients,
  replyReferences, replySubject,
} from '../../../src/mail/compose/reply';
import { buildRfc822 } from '../../../src/mail/compose/rfc822';

const ALICE = 'alice@contoso.com';
const SHARED = 'support@contoso.com';

const original: OriginalMessage = {
  messageId: '<m3@fabrikam.com>',
  references: ['<m1@contoso.com>', '<m2@fabrikam.com>'],
  subject: 'RE: AW: Q3 budget',
  from: [{ name: 'Priya Raman', address: 'priya@fabrikam.com' }],
  replyTo: [],
  to: [{ name: 'Alice Lindqvist', address: ALICE }, { name: 'Marco Bianchi', address: 'marco@contoso.com' }],
  cc: [{ name: '', address: 'SUPPORT@contoso.com' }, { name: 'Okafor, Bob', address: 'bob@contoso.com' }],
  date: new Date(Date.UTC(2026, 2, 3, 13, 5)),
  text: 'Hi Alice,\nthe figures are attached.\n\nPriya\n',
};
const where = { mailboxId: ALICE, folder: 'Inbox', uid: 42 };
const own = [ALICE, SHARED];
const addresses = (list: { address: string }[]) => list.map((a) => a.address);

describe('Subjects of replies and forwards', () => {
  it('a reply has exactly one "Re:", whatever reply prefixes the subject had', () => {
    assert.deepEqual(['Lunch', 'Re: Lunch', 'RE: re: Lunch', 'AW: Lunch', 'Re[2]: Lunch', 'Re: Fwd: Lunch'].map(replySubject),
      ['Re: Lunch', 'Re: Lunch', 'Re: Lunch', 'Re: Lunch', 'Re: Lunch', 'Re: Fwd: Lunch']);
  });

  it('a forward has exactly one "Fw:", whatever forward prefixes the subject had', () => {
    assert.deepEqual(['Lunch', 'Fwd: Lunch', 'FW: fw: Lunch', 'WG: Lunch', 'Re: Lunch'].map(forwardSubject),
      ['Fw: Lunch', 'Fw: Lunch', 'Fw: Lunch', 'Fw: Lunch', 'Fw: Re: Lunch']);
  });
});

describe('Recipients of a reply', () => {
  it('Reply goes to the sender, or to the Reply-To when there is one', () => {
    assert.deepEqual(addresses(replyRecipients(original, false, own).to), ['priya@fabrikam.com']);
    const listed = { ...original, replyTo: [{ address: 'team@fabrikam.com' }] };
    assert.deepEqual(addresses(replyRecipients(listed, false, own).to), ['team@fabrikam.com']);
  });

  it('Reply All adds the other To and Cc, leaving out the user\'s own addresses and shared mailboxes, each once', () => {
    const { to, cc } = replyRecipients({ ...original, cc: [...original.cc, { address: 'Marco@contoso.com' }] }, true, own);
    assert.deepEqual([addresses(to), addresses(cc)], [['priya@fabrikam.com', 'marco@contoso.com'], ['bob@contoso.com']]);
  });

  it('a reply to one\'s own message (from Sent Items) goes to whom it went to', () => {
    const sent = { ...original, from: [{ address: ALICE }], to: [{ address: 'priya@fabrikam.com' }], cc: [] };
    assert.deepEqual(addresses(replyRecipients(sent, true, own).to), ['priya@fabrikam.com']);
  });
});

describe('The thread of a reply', () => {
  it('References are the original\'s, then its own Message-ID', () => {
    assert.deepEqual(replyReferences(original), ['<m1@contoso.com>', '<m2@fabrikam.com>', '<m3@fabrikam.com>']);
  });
});

describe('Quoting the original', () => {
  it('quotes each line with "> ", blank lines as ">", keeping line ends in the HTML with hard breaks', () => {
    assert.equal(quoteText('Hi Alice,\nthe figures.\n\nPriya\n'), '> Hi Alice,  \n> the figures.\n>\n> Priya');
  });
});

describe('Drafts', () => {
  it('a Reply All draft\'s front matter reads back as the send pipeline sees it, the original quoted under "On …, … wrote:"', () => {
    const { text, cursorOffset } = replyDraft(original, true, { from: SHARED, ownAddresses: own, original: { ...where, mailboxId: `${ALICE}>${SHARED}` }, utcOffsetMinutes: 60 });
    const { headers, bodyOffset } = parseFrontMatter(text);
    assert.deepEqual(headers, {
      from: SHARED,
      to: ['Priya Raman <priya@fabrikam.com>, Marco Bianchi <marco@contoso.com>'],
      cc: ['"Okafor, Bob" <bob@contoso.com>'],
      subject: 'Re: Q3 budget',
      inReplyTo: '<m3@fabrikam.com>',
      references: ['<m1@contoso.com>', '<m2@fabrikam.com>', '<m3@fabrikam.com>'],
      original: `answered 42 ${ALICE}>${SHARED} Inbox`,
    });
    assert.equal(text.slice(bodyOffset),
      '\n\nOn Tue, 3 Mar 2026 at 14:05, Priya Raman <priya@fabrikam.com> wrote:\n\n> Hi Alice,  \n> the figures are attached.\n>\n> Priya\n');
    assert.equal(cursorOffset, bodyOffset, 'the cursor on the empty line after the front matter');
  });

  it('a Forward draft has no recipient, "Fw:", the attachments listed, and the "Forwarded message" block', () => {
    const { text } = forwardDraft(original, { from: ALICE, original: where, attachments: ['/tmp/f/budget-q3.pdf'], utcOffsetMinutes: 0 });
    const { headers, bodyOffset } = parseFrontMatter(text);
    assert.deepEqual(headers, { from: ALICE, subject: 'Fw: RE: AW: Q3 budget', attachments: ['/tmp/f/budget-q3.pdf'], original: `forwarded 42 ${ALICE} Inbox` });
    assert.equal(text.slice(bodyOffset), ['', '', '---------- Forwarded message ----------',
      'From: Priya Raman <priya@fabrikam.com>  ', 'Date: Tue, 3 Mar 2026 at 13:05  ', 'Subject: RE: AW: Q3 budget  ',
      'To: Alice Lindqvist <alice@contoso.com>, Marco Bianchi <marco@contoso.com>  ', 'Cc: SUPPORT@contoso.com, "Okafor, Bob" <bob@contoso.com>',
      '', 'Hi Alice,\nthe figures are attached.\n\nPriya', ''].join('\n'));
  });

  it('a New Message draft has the sender, and to: and subject: to fill in, the cursor after to:', () => {
    const { text, cursorOffset } = newMessageDraft(ALICE);
    assert.equal(text, `---\nfrom: ${ALICE}\nto:\nsubject:\n---\n\n`);
    assert.equal(text.slice(0, cursorOffset), `---\nfrom: ${ALICE}\nto:`);
    assert.deepEqual(parseFrontMatter(text).headers, { from: ALICE });
  });

  it('where the original is reads back from its front matter line, a folder with spaces too', () => {
    assert.deepEqual(parseOriginalReference('forwarded 7 a@b.com>s@b.com Projects/Q4 plans'),
      { mark: 'forwarded', uid: 7, mailboxId: 'a@b.com>s@b.com', folder: 'Projects/Q4 plans' });
    assert.equal(parseOriginalReference('answered x a@b.com Inbox'), undefined);
  });

  it('front matter values YAML would misread are quoted, and read back unchanged', () => {
    const headers = { subject: "Re: 'quoted' [tag] #1", attachments: ['- odd name.txt', 'plain.pdf'] };
    assert.deepEqual(parseFrontMatter(`${writeFrontMatter(headers)}body`).headers, headers);
  });
});

describe('A reply on the wire', () => {
  it('carries In-Reply-To and References, and a file attachment byte for byte', async () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0d, 0x0a]);
    const draft = createDraft({ from: ALICE, to: 'priya@fabrikam.com', subject: 'Re: Q3', inReplyTo: '<m3@fabrikam.com>', references: replyReferences(original) },
      { text: 'Thanks!', markdown: false, attachments: [{ filename: 'budget.pdf', contentType: 'application/pdf', content: bytes }] });
    const raw = (await buildRfc822(draft)).raw.toString('latin1');
    assert.match(raw, /\r\nIn-Reply-To: <m3@fabrikam\.com>\r\n/);
    assert.match(raw, /\r\nReferences: <m1@contoso\.com> <m2@fabrikam\.com> <m3@fabrikam\.com>\r\n/);
    assert.ok(raw.includes(bytes.toString('base64')), 'the attachment in base64');
  });
});

describe('Attachments named in front matter', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'exchange-mail-attach-'));
    writeFileSync(join(folder, 'budget.pdf'), '%PDF-1.4');
    mkdirSync(join(folder, 'figures'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  async function refusal(paths: string[], base: string | undefined): Promise<{ code?: string; message: string }> {
    try {
      await readAttachmentFiles(paths, base);
    } catch (error) {
      assert.ok(isExplained(error), String(error));
      return { code: error.code, message: error.message };
    }
    assert.fail('expected a refusal');
  }

  it('reads files relative to the document or absolute, typed by their extension', async () => {
    const files = await readAttachmentFiles(['budget.pdf', join(folder, 'budget.pdf')], folder);
    assert.deepEqual(files.map((f) => [f.filename, f.contentType, f.content.toString()]),
      [['budget.pdf', 'application/pdf', '%PDF-1.4'], ['budget.pdf', 'application/pdf', '%PDF-1.4']]);
  });

  it('a missing file, a folder, or a relative path in an unsaved document is refused, naming it', async () => {
    assert.deepEqual(await refusal(['budget.pdf', 'missing.xlsx'], folder),
      { code: 'attachment-missing', message: `The attachment "missing.xlsx" does not exist (${join(folder, 'missing.xlsx')}).` });
    assert.equal((await refusal(['figures'], folder)).code, 'attachment-is-folder');
    assert.equal((await refusal(['budget.pdf'], undefined)).code, 'attachment-relative');
  });
});
