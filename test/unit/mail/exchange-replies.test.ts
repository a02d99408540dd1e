/**
 * Exchange's replies that say what is wrong read the same wherever they surface: Send (SMTP),
 * the Mailboxes view (IMAP session) and Test Connection (diagnostics), from one vocabulary
 * (src/mail/exchange-replies.ts).
 */
import * as assert from 'node:assert/strict';
import { explainFailure as diagnose, FailureContext } from '../../../src/diagnostics/explain';
import { ExplainedError } from '../../../src/errors';
import { throttleBackoff } from '../../../src/mail/exchange-replies';
import { explainFailure as explainImapFailure } from '../../../src/mail/imap/failures';
import { MailServer } from '../../../src/mail/server';
import { explainSmtpFailure } from '../../../src/mail/smtp/explain';
import { EXCHANGE_SMTP } from '../diagnostics/kit';

const ALICE = 'alice@contoso.com';
const SMTP: MailServer = { host: 'smtp.office365.com', port: 587, security: 'starttls' };
const IMAP: MailServer = { host: 'outlook.office365.com', port: 993, security: 'tls' };
const context = (server: MailServer): FailureContext => ({ server, user: ALICE, address: ALICE, mode: 'msal-browser', clientId: 'app', tenant: 'contoso.com' });
const shown = (error: ExplainedError) => [error.code, error.message, error.fix, error.actions];

describe('Exchange\'s replies, one explanation each', () => {
  for (const [scope, reply] of [['tenant', EXCHANGE_SMTP.disabledForTenant], ['mailbox', EXCHANGE_SMTP.disabledForMailbox]] as const) {
    it(`5.7.139 for the ${scope} reads the same in Send and in Test Connection`, () => {
      const send = explainSmtpFailure({ code: 'EAUTH', command: 'AUTH XOAUTH2', response: reply, message: `Invalid login: ${reply}` }, { server: SMTP, user: ALICE, from: ALICE });
      const test = diagnose({ protocol: 'smtp', step: 'authenticate', reply }, context(SMTP));
      assert.deepEqual(shown(test), shown(send));
      assert.equal(send.code, `smtp-auth-disabled-${scope}`);
    });
  }

  it('throttling reads the same in the Mailboxes view and in Test Connection, with the wait Exchange suggests', () => {
    const reply = 'BAD Request is throttled. Suggested Backoff Time: 2500 milliseconds';
    const tree = explainImapFailure(IMAP, 'listing folders', Object.assign(new Error('Command failed'), { responseText: reply }));
    const test = diagnose({ protocol: 'imap', step: 'authenticate', reply }, context(IMAP));
    assert.deepEqual(shown(tree), shown(test));
    assert.ok(tree.message.includes('2500 ms') && tree.fix.startsWith('Wait 3 s'), `${tree.message} ${tree.fix}`);
  });

  it('throttling without a suggested time waits a second before the command is tried again', () => {
    assert.deepEqual([throttleBackoff('NO Request is throttled.'), throttleBackoff('NO Request is throttled. Suggested Backoff Time: 200 milliseconds'), throttleBackoff('NO Mailbox is locked')],
      [1000, 200, undefined]);
  });
});
