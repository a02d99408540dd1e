import * as assert from 'node:assert/strict';
import { parseSearchQuery, SearchQuery, toImapSearch } from '../../../src/mail/imap/search-query';

const parsed = (text: string): SearchQuery => {
  const result = parseSearchQuery(text);
  assert.ok(result.query, result.problem);
  return result.query;
};
const problem = (text: string) => parseSearchQuery(text).problem;

describe('Search Mailbox query', () => {
  it('the issue\'s example becomes FROM, SUBJECT, SINCE, UNSEEN and TEXT, with the attachment filter apart', () => {
    const query = parsed('from:bob subject:"release 1.4" since:2026-11-01 unread has:attachment words');
    assert.deepEqual(toImapSearch(query.terms),
      { from: 'bob', subject: 'release 1.4', since: new Date(Date.UTC(2026, 10, 1)), seen: false, text: 'words' });
    assert.equal(query.attachment, true);
  });

  it('two words are both required: the second goes one level down as an AND', () => {
    assert.deepEqual(toImapSearch(parsed('budget review').terms), { text: 'budget', or: [{ text: 'review' }] });
  });

  it('a quoted word is text even when it is a flag word; is: names flags explicitly', () => {
    assert.deepEqual(toImapSearch(parsed('"unread" is:flagged').terms), { text: 'unread', flagged: true });
  });

  it('non-ASCII terms are kept as typed (imapflow sends them as UTF-8 literals)', () => {
    assert.deepEqual(toImapSearch(parsed('subject:Grüße from:"Jürgen Müller"').terms), { subject: 'Grüße', from: 'Jürgen Müller' });
  });

  it('only has:attachment searches everything and filters', () => {
    const query = parsed('has:attachment');
    assert.deepEqual([toImapSearch(query.terms), query.attachment], [{ all: true }, true]);
  });

  it('an unbalanced quote is named before anything is sent', () => {
    assert.match(problem('subject:"release 1.4') ?? '', /quote opened at character 9 is not closed/);
    assert.match(problem('say"hi') ?? '', /quote in "say"hi" is not closed/);
  });

  it('an unknown key is named, with the known ones', () => {
    assert.match(problem('form:bob') ?? '', /Unknown search key "form:"\. Known keys: from:/);
  });

  it('a date that is not one is named, impossible days included', () => {
    assert.match(problem('since:yesterday') ?? '', /"since:yesterday" is not a date: write it as YYYY-MM-DD/);
    assert.match(problem('before:2026-02-30') ?? '', /"before:2026-02-30" is not a date/);
  });

  it('an empty query, a key without value and an unknown is:/has: each say what to type', () => {
    assert.match(problem('   ') ?? '', /Type something to search for/);
    assert.match(problem('from:') ?? '', /"from:" needs a value/);
    assert.match(problem('is:important') ?? '', /is:unread, is:read/);
    assert.match(problem('has:pdf') ?? '', /only has:attachment/);
  });
});
