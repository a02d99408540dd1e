import * as assert from 'node:assert/strict';
import { redact, Redactor, REDACTED_PRIVATE_KEY, REDACTED_SECRET, REDACTED_TOKEN, REDACTED_XOAUTH2 } from '../../src/redact';
import { ImapTrace } from '../../src/mail/imap/protocol-trace';
import { SmtpDialogue } from '../../src/mail/smtp/dialogue';
import { smtpTraceLogger } from '../../src/mail/smtp/trace';
import { capturingLog } from './diagnostics/kit';

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const OPAQUE = 'EwBwA8l6BAAUs5+HQn0N7h2FxWzLEUpPnd9Ug0ABAXvLzGhS';
const XOAUTH2 = Buffer.from(`user=alice@contoso.test\x01auth=Bearer ${OPAQUE}\x01\x01`).toString('base64');
const OAUTHBEARER = Buffer.from(`n,a=alice@contoso.test,\x01host=outlook.office365.com\x01auth=Bearer ${JWT}\x01\x01`).toString('base64');

describe('Redacting traces and log lines', () => {
  it('hides the initial response of POP3 and SMTP AUTH XOAUTH2', () => {
    assert.equal(redact(`AUTH XOAUTH2 ${XOAUTH2}`), 'AUTH XOAUTH2 [redacted XOAUTH2]');
  });

  it('keeps the list of mechanisms a server offers (EHLO\'s AUTH line)', () => {
    assert.equal(redact('SMTP S: 250-AUTH LOGIN XOAUTH2'), 'SMTP S: 250-AUTH LOGIN XOAUTH2');
    assert.equal(redact('SMTP S: 250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER'), 'SMTP S: 250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER');
  });

  it('hides the initial response of a tagged IMAP AUTHENTICATE', () => {
    assert.equal(redact(`A1 AUTHENTICATE XOAUTH2 ${XOAUTH2}`), 'A1 AUTHENTICATE XOAUTH2 [redacted XOAUTH2]');
  });

  it('hides an XOAUTH2 payload sent alone after the server\'s "+" challenge', () => {
    assert.equal(redact(XOAUTH2), REDACTED_XOAUTH2);
  });

  it('hides an OAUTHBEARER payload sent alone', () => {
    assert.equal(redact(OAUTHBEARER), REDACTED_XOAUTH2);
  });

  it('hides the password in AUTH PLAIN', () => {
    const plain = Buffer.from('\0alice@contoso.test\0hunter2').toString('base64');
    assert.equal(redact(`AUTH PLAIN ${plain}`), 'AUTH PLAIN [redacted PLAIN]');
  });

  it('keeps the server\'s XOAUTH2 failure challenge, which holds no secret and explains the failure', () => {
    const challenge = `+ ${Buffer.from('{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/.default"}').toString('base64')}`;
    assert.equal(redact(challenge), challenge);
  });

  it('hides a bearer token in an HTTP header', () => {
    assert.equal(redact(`Authorization: Bearer ${OPAQUE}`), `Authorization: Bearer ${REDACTED_TOKEN}`);
  });

  it('hides a JWT wherever it appears', () => {
    assert.equal(redact(`token ${JWT} refused`), `token ${REDACTED_TOKEN} refused`);
  });

  it('hides refresh tokens and client secrets in form bodies and JSON', () => {
    const form = redact('grant_type=refresh_token&refresh_token=0.AXoAsecret-refresh&client_secret=web~sandbox-secret-3333');
    const json = redact('{"access_token":"opaque-access","expires_in":3599}');
    assert.deepEqual([form, json], [
      `grant_type=refresh_token&refresh_token=${REDACTED_SECRET}&client_secret=${REDACTED_SECRET}`,
      `{"access_token":"${REDACTED_SECRET}","expires_in":3599}`,
    ]);
  });

  it('hides a registered secret in any text, longest first', () => {
    const redactor = new Redactor();
    redactor.register('web~sandbox-secret');
    redactor.register('web~sandbox-secret-3333');
    assert.equal(redactor.redact('secret web~sandbox-secret-3333 was rejected'), `secret ${REDACTED_SECRET} was rejected`);
  });

  it('leaves ordinary protocol lines, host names and server ids alone', () => {
    const lines = [
      '+OK The Microsoft Exchange POP3 service is ready. [UABBADMAUAAyADgAMABDAEEAMAAwADAANgAuAEUAVQBSAFAAMgA4ADAALgBQAFIATwBEAC4ATwBVAFQATABPAE8ASwAuAEMATwBNAA==]',
      '1 AAQkADAwATM0MDAAMS1iZGY0LTUxNDEtMDACLTAwCgBGAAAD',
      'connecting to outlook.office365.com:995',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant',
      'AUTH XOAUTH2 =',
    ];
    assert.deepEqual(lines.map((l) => redact(l)), lines);
  });

  it('hides an authorization code in a redirect URL, a form body and JSON', () => {
    const lines = [
      'GET /?code=0.AXoA-auth-code_123&state=s1&session_state=x HTTP/1.1',
      'grant_type=authorization_code&code=0.AXoA-auth-code_123&redirect_uri=http%3A%2F%2Flocalhost',
      '{"code":"0.AXoA-auth-code_123","state":"s1"}',
    ];
    assert.deepEqual(lines.map((l) => redact(l).includes('0.AXoA')), [false, false, false]);
  });

  it('hides a device code in the polling form and in the device-code reply', () => {
    const form = redact('grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=GAQABAAEAAAD--DLA3VO7Qrdd');
    const json = redact('{"user_code":"ABCD-EFGH","device_code":"GAQABAAEAAAD--DLA3VO7Qrdd","expires_in":900}');
    assert.deepEqual([form.includes('GAQAB'), json.includes('GAQAB')], [false, false]);
  });

  it('hides the secrets of an MSAL cache, also JSON escaped inside another string', () => {
    const cache = '{"RefreshToken":{"k":{"credential_type":"RefreshToken","secret":"0.AXoA-rt\\/tail"}}}';
    const escaped = '"body":"{\\"refresh_token\\":\\"0.AXoA-rt\\/tail\\",\\"access_token\\":\\"EwBwA8\\",\\"expires_in\\":3599}"';
    assert.deepEqual([redact(cache), redact(escaped)], [
      `{"RefreshToken":{"k":{"credential_type":"RefreshToken","secret":"${REDACTED_SECRET}"}}}`,
      `"body":"{\\"refresh_token\\":\\"${REDACTED_SECRET}\\",\\"access_token\\":\\"${REDACTED_SECRET}\\",\\"expires_in\\":3599}"`,
    ]);
  });

  it('hides a PEM private key, whole or cut off before its END line', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    assert.deepEqual([redact(`key: ${key} done`), redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA')],
      [`key: ${REDACTED_PRIVATE_KEY} done`, REDACTED_PRIVATE_KEY]);
  });

  it('hides a token that straddles the IMAP and SMTP traces\' 2,000-character cut', () => {
    const imapLog = capturingLog();
    const imap = new ImapTrace(imapLog, new Redactor());
    imap.registerSecret(OPAQUE);
    imap.server(`* 1 FETCH (BODY[] "${'x'.repeat(1970)} ${OPAQUE}")`);
    const smtpLog = capturingLog();
    const smtpRedactor = new Redactor();
    smtpRedactor.register(OPAQUE);
    smtpTraceLogger(smtpLog, smtpRedactor, new SmtpDialogue()).debug({ tnx: 'client' }, `${'x'.repeat(1990)} ${OPAQUE}`);
    const shown = [...imapLog.lines, ...smtpLog.lines].join('\n');
    assert.equal(shown.includes(OPAQUE.slice(0, 6)), false);
  });

  it('redacts a megabyte of adversarial text in one pass', function () {
    this.timeout(10_000);
    const megabyte = (piece: string) => piece.repeat(Math.ceil(1024 * 1024 / piece.length));
    const hostile = ['-eyJ', 'eyJ.', 'Bearer ', 'AUTH XOAUTH2 ', 'refresh_token=', '\\', '"code":', '?code=', 'secret\\',
      '-----BEGIN PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----x-----END PRIVATE KEY-----', 'A', ' ', 'dXNlcj1h'];
    const redactor = new Redactor();
    redactor.register(OPAQUE);
    assert.deepEqual(hostile.map((piece) => typeof redactor.redact(megabyte(piece))), hostile.map(() => 'string'));
  });
});