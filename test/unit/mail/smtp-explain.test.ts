/**
 * A failed send explained from the server's own words (Exchange Online's, then Postfix and
 * Dovecot's) or the socket error: each its own code, a fix the user or admin can act on, and
 * Retry only where trying again can help. Also: when a sent copy goes to the Sent folder.
 */
import * as assert from 'node:assert/strict';
import { explainSmtpFailure, SendContext, SmtpFailure } from '../../../src/mail/smtp/explain';
import { shouldAppendSentCopy } from '../../../src/mail/smtp/sent-copy';

const context: SendContext = {
  server: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
  user: 'alice@contoso.com',
  from: 'alice@contoso.com',
  sizeBytes: 40 * 1024 * 1024,
};

const auth = (response: string): SmtpFailure => ({ code: 'EAUTH', command: 'AUTH XOAUTH2', response, message: `Invalid login: ${response}` });

describe('Explaining a failed send', () => {
  it('5.7.139 for the tenant: the admin command for the organization, and for this mailbox', () => {
    const error = explainSmtpFailure(auth('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR01CA0012.prod.exchangelabs.com]'), context);
    assert.equal(error.code, 'smtp-auth-disabled-tenant');
    assert.match(error.fix, /Set-TransportConfig -SmtpClientAuthenticationDisabled \$false/);
    assert.match(error.fix, /Set-CASMailbox -Identity alice@contoso\.com -SmtpClientAuthenticationDisabled \$false/);
  });

  it('5.7.139 for the mailbox: Set-CASMailbox filled in with the address', () => {
    const error = explainSmtpFailure(auth('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.'), context);
    assert.equal(error.code, 'smtp-auth-disabled-mailbox');
    assert.match(error.fix, /Set-CASMailbox -Identity alice@contoso\.com -SmtpClientAuthenticationDisabled \$false/);
    assert.doesNotMatch(error.fix, /Set-TransportConfig/);
  });

  for (const reply of ['535 5.7.3 Authentication unsuccessful', '535 5.7.8 Error: authentication failed']) {
    it(`a refused token (${reply}): check SMTP.Send and the user, sign in again`, () => {
      const error = explainSmtpFailure({ ...auth(reply), tokenRenewed: true }, context);
      assert.equal(error.code, 'smtp-token-refused');
      assert.match(error.fix, /SMTP\.Send/);
      assert.match(error.fix, /issued for alice@contoso\.com/);
      assert.deepEqual(error.actions, ['signIn', 'retry']);
      assert.ok(error.message.includes(reply));
    });
  }

  it('a refused recipient is named with the reply', () => {
    const error = explainSmtpFailure({ code: 'EABORT', message: 'aborted', refusedRecipients: [
      { address: 'dan@fabrikam.example', reply: '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain' }] }, context);
    assert.equal(error.code, 'recipient-refused');
    assert.equal(error.message, 'The server refused the recipient dan@fabrikam.example: 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain. Nothing was sent.');
    assert.deepEqual(error.actions, []);
  });

  it("Exchange's SendAsDenied after DATA", () => {
    const error = explainSmtpFailure({ code: 'EMESSAGE', command: 'DATA', message: 'Message failed',
      response: '554 5.2.252 SendAsDenied; alice@contoso.com not allowed to send as bob@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied' },
    { ...context, from: 'bob@contoso.com' });
    assert.equal(error.code, 'send-as-denied');
    assert.match(error.fix, /signed-in mailbox alice@contoso\.com/);
    assert.match(error.fix, /Send As/);
  });

  it("Postfix's sender-login mismatch at MAIL FROM", () => {
    const error = explainSmtpFailure({ code: 'EENVELOPE', command: 'MAIL FROM', message: 'Mail command failed',
      response: '553 5.7.1 <bob@contoso.test>: Sender address rejected: not owned by user alice@contoso.test' }, context);
    assert.equal(error.code, 'send-as-denied');
  });

  it('the size limit (552 5.3.4), with the message size', () => {
    const error = explainSmtpFailure({ code: 'EENVELOPE', command: 'MAIL FROM', message: 'Mail command failed',
      response: '552 5.3.4 Message size exceeds fixed maximum message size' }, context);
    assert.equal(error.code, 'message-too-large');
    assert.match(error.message, /40\.0 MB/);
    assert.deepEqual(error.actions, []);
  });

  it('the size limit found before uploading (the server announced SIZE)', () => {
    const error = explainSmtpFailure({ code: 'EMESSAGE', message: 'Message size larger than allowed 10240000' }, context);
    assert.equal(error.code, 'message-too-large');
  });

  for (const code of ['ECONNREFUSED', 'ETIMEDOUT']) {
    it(`an unreachable server (${code}) names host and port and offers Retry`, () => {
      const error = explainSmtpFailure({ code: code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ESOCKET', causeCode: code, message: `connect ${code}` }, context);
      assert.equal(error.code, 'server-unreachable');
      assert.match(error.message, /smtp\.office365\.com:587/);
      assert.deepEqual(error.actions, ['retry', 'openSettings']);
    });
  }

  it('an untrusted certificate names the CA file setting', () => {
    const error = explainSmtpFailure({ code: 'ETLS', command: 'STARTTLS', causeCode: 'SELF_SIGNED_CERT_IN_CHAIN',
      message: 'Error initiating TLS - self-signed certificate in certificate chain' }, context);
    assert.equal(error.code, 'certificate-untrusted');
    assert.match(error.fix, /caFile/);
  });

  it('STARTTLS not offered', () => {
    const error = explainSmtpFailure({ code: 'ETLS', command: 'STARTTLS', response: '502 5.5.2 Command not recognized',
      message: 'Error upgrading connection with STARTTLS: 502 5.5.2 Command not recognized' }, context);
    assert.equal(error.code, 'starttls-unavailable');
    assert.match(error.fix, /587 with STARTTLS/);
  });

  it('a temporary refusal offers Retry', () => {
    const error = explainSmtpFailure({ code: 'EMESSAGE', command: 'DATA', response: '451 4.7.500 Server busy. Please try again later.', message: 'Message failed' }, context);
    assert.equal(error.code, 'server-busy');
    assert.deepEqual(error.actions, ['retry']);
  });
});

describe('A copy in the Sent folder', () => {
  for (const host of ['smtp.office365.com', 'smtp-mail.outlook.com', 'SMTP.Office365.com', 'eur.smtp.outlook.com']) {
    it(`is left to Exchange Online itself on ${host} (auto)`, () => {
      assert.equal(shouldAppendSentCopy('auto', host), false);
    });
  }

  it('is appended for other servers (auto)', () => {
    assert.equal(shouldAppendSentCopy('auto', '127.0.0.1'), true);
    assert.equal(shouldAppendSentCopy('auto', 'mail.notoutlook.com'), true);
  });

  it('follows always and never whatever the server', () => {
    assert.equal(shouldAppendSentCopy('always', 'smtp.office365.com'), true);
    assert.equal(shouldAppendSentCopy('never', '127.0.0.1'), false);
  });

  it('auto keeps no copy behind any host name when the reply to the message is Exchange Online\'s', () => {
    const exchange = '250 2.0.0 OK <0a1b@contoso.test> [Hostname=BYAPR17MB2920.namprd17.prod.outlook.com]';
    assert.deepEqual([shouldAppendSentCopy('auto', 'mail.contoso.com', exchange), shouldAppendSentCopy('auto', 'mail.contoso.com', '250 2.0.0 Ok: queued as 4F2A1'),
      shouldAppendSentCopy('always', 'mail.contoso.com', exchange)], [false, true, true]);
  });
});
