import * as assert from 'node:assert/strict';
import { decodeClaims } from '../../../src/diagnostics/claims';
import { explainFailure, FailureContext, ProtocolFailure } from '../../../src/diagnostics/explain';
import { ProbeError } from '../../../src/diagnostics/probes/probe-error';
import { ExplainedError } from '../../../src/errors';
import type { Protocol } from '../../../src/mail/server';
import {
  ALICE, appOnlyClaims, CLIENT_ID, CONTOSO, delegatedClaims, EXCHANGE_IMAP, EXCHANGE_SMTP, jwt, NOW, PERSONAL, POSTFIX_AUTH_FAILED,
  SERVICE_PRINCIPAL, SHARED,
} from './kit';

/** Exchange Online's refusals of a sign-in, one per protocol, as FACTS.md records them. */
const EXCHANGE_REFUSALS: Record<Protocol, string> = {
  imap: EXCHANGE_IMAP.authFailed,
  pop3: '-ERR Authentication failure: unknown user name or bad password.',
  smtp: '535 5.7.3 Authentication unsuccessful',
};

/** Dovecot's (and Postfix's) generic refusals. */
const DOVECOT_REFUSALS: Record<Protocol, string> = {
  imap: 'NO [AUTHENTICATIONFAILED] Authentication failed.',
  pop3: '-ERR [AUTH] Authentication failed.',
  smtp: POSTFIX_AUTH_FAILED.trim(),
};

const HOSTS: Record<Protocol, { host: string; port: number; security: 'tls' | 'starttls' }> = {
  imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  pop3: { host: 'outlook.office365.com', port: 995, security: 'tls' },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
};

function delegatedContext(protocol: Protocol, claims: Record<string, unknown> = delegatedClaims()): FailureContext {
  return {
    server: HOSTS[protocol], user: ALICE, address: ALICE, mode: 'msal-device-code', clientId: '0d2c1b4a-1111-4aaa-8bbb-000000000001',
    tenant: CONTOSO, token: decodeClaims(jwt(claims)), nowSeconds: NOW,
  };
}

function appOnlyContext(protocol: Protocol, claims: Record<string, unknown> = appOnlyClaims(), mailbox = SHARED): FailureContext {
  return { ...delegatedContext(protocol), user: mailbox, address: mailbox, mode: 'client-credentials', clientId: CLIENT_ID, token: decodeClaims(jwt(claims)) };
}

function refusal(protocol: Protocol, reply: string): ProtocolFailure {
  return { protocol, step: 'authenticate', reply };
}

const PROTOCOLS: Protocol[] = ['imap', 'pop3', 'smtp'];

describe('Explaining a failed step', () => {
  describe('Exchange Online\'s generic refusal, explained from the claims', () => {
    for (const protocol of PROTOCOLS) {
      const reply = EXCHANGE_REFUSALS[protocol];

      it(`${protocol}: "${reply}" with a Graph token is the wrong audience, fixed with Exchange's scope`, () => {
        const error = explainFailure(refusal(protocol, reply), delegatedContext(protocol, delegatedClaims({ aud: 'https://graph.microsoft.com' })));
        assert.ok(error.code === 'wrong-audience' && error.fix.includes('https://outlook.office.com/'), `${error.code}: ${error.fix}`);
      });

      it(`${protocol}: "${reply}" with a token lacking the protocol's scope is a missing permission, fixed in Entra's API permissions`, () => {
        const error = explainFailure(refusal(protocol, reply), delegatedContext(protocol, delegatedClaims({ scp: 'User.Read' })));
        assert.ok(error.code === 'missing-permission' && /API permissions/.test(error.fix) && /consent/.test(error.fix), `${error.code}: ${error.fix}`);
      });

      it(`${protocol}: "${reply}" with an expired token says to sign in again`, () => {
        const error = explainFailure(refusal(protocol, reply), delegatedContext(protocol, delegatedClaims({ exp: NOW - 120 })));
        assert.ok(error.code === 'token-expired' && /Sign In/.test(error.fix) && /clock/.test(error.fix), `${error.code}: ${error.fix}`);
      });

      it(`${protocol}: "${reply}" with another user's token names both users`, () => {
        const error = explainFailure(refusal(protocol, reply), delegatedContext(protocol, delegatedClaims({ upn: 'bob@contoso.test', unique_name: 'bob@contoso.test' })));
        assert.ok(error.code === 'wrong-user' && error.message.includes('bob@contoso.test') && error.fix.includes(ALICE), `${error.code}: ${error.message}`);
      });

      it(`${protocol}: "${reply}" with a fine app-only token gives the filled-in New-ServicePrincipal and Add-MailboxPermission lines`, () => {
        const error = explainFailure(refusal(protocol, reply), appOnlyContext(protocol, appOnlyClaims(), ALICE));
        assert.equal(error.code, 'app-only-not-granted');
        assert.ok(error.fix.includes(`New-ServicePrincipal -AppId ${CLIENT_ID} -ObjectId ${SERVICE_PRINCIPAL}`), error.fix);
        assert.ok(error.fix.includes(`Add-MailboxPermission -Identity "${ALICE}" -User ${SERVICE_PRINCIPAL} -AccessRights FullAccess`), error.fix);
      });

      it(`${protocol}: "${reply}" with an app-only token lacking the role names the application permission`, () => {
        const error = explainFailure(refusal(protocol, reply), appOnlyContext(protocol, appOnlyClaims({ roles: ['Mail.Read'] })));
        const role = { imap: 'IMAP.AccessAsApp', pop3: 'POP.AccessAsApp', smtp: 'SMTP.SendAsApp' }[protocol];
        assert.ok(error.code === 'missing-permission' && error.fix.includes(role) && /admin consent/.test(error.fix), `${error.code}: ${error.fix}`);
      });

      it(`${protocol}: "${reply}" with a personal account's token on the work hosts says to use the Outlook.com preset`, () => {
        const error = explainFailure(refusal(protocol, reply), delegatedContext(protocol, delegatedClaims({ tid: PERSONAL })));
        assert.ok(error.code === 'personal-account-on-work-host' && /Outlook\.com preset/.test(error.fix), `${error.code}: ${error.fix}`);
      });
    }

    it('keeps the server\'s exact words in the detail', () => {
      const error = explainFailure(refusal('imap', EXCHANGE_IMAP.authFailed), delegatedContext('imap', delegatedClaims({ scp: 'User.Read' })));
      assert.equal(error.detail, `authenticate: ${EXCHANGE_IMAP.authFailed}`);
    });

    it('with an opaque token says the claims cannot be read and what to check', () => {
      const context = { ...delegatedContext('smtp'), token: decodeClaims('EwBQA8l6BAAUs5opaque') };
      const error = explainFailure(refusal('smtp', EXCHANGE_SMTP.authFailed), context);
      assert.ok(error.code === 'auth-refused' && /cannot be read/.test(error.message) && /SMTP\.Send/.test(error.fix), `${error.code}: ${error.message}`);
    });

    it('with claims that all look right points at the mailbox settings (Set-CASMailbox)', () => {
      const error = explainFailure(refusal('pop3', EXCHANGE_REFUSALS.pop3), delegatedContext('pop3'));
      assert.ok(error.code === 'auth-refused' && error.fix.includes(`Set-CASMailbox -Identity ${ALICE} -PopEnabled $true`), error.fix);
    });
  });

  describe('Dovecot\'s generic refusal, explained from the claims', () => {
    for (const protocol of PROTOCOLS) {
      it(`${protocol}: "${DOVECOT_REFUSALS[protocol]}" with a token missing the permission is a missing permission`, () => {
        const error = explainFailure(refusal(protocol, DOVECOT_REFUSALS[protocol]), delegatedContext(protocol, delegatedClaims({ scp: 'openid' })));
        assert.equal(error.code, 'missing-permission');
      });
    }
  });

  describe('replies that say it all themselves', () => {
    it('535 5.7.139 … for the Tenant gives Set-TransportConfig', () => {
      const error = explainFailure(refusal('smtp', EXCHANGE_SMTP.disabledForTenant), delegatedContext('smtp'));
      assert.ok(error.code === 'smtp-auth-disabled-tenant' && error.fix.includes('Set-TransportConfig -SmtpClientAuthenticationDisabled $false'), error.fix);
    });

    it('535 5.7.139 … for the Mailbox gives Set-CASMailbox for that mailbox', () => {
      const error = explainFailure(refusal('smtp', EXCHANGE_SMTP.disabledForMailbox), delegatedContext('smtp'));
      assert.ok(error.code === 'smtp-auth-disabled-mailbox' && error.fix.includes(`Set-CASMailbox -Identity ${ALICE} -SmtpClientAuthenticationDisabled $false`), error.fix);
    });

    it('5.7.139 wins over claims that are wrong too', () => {
      const error = explainFailure(refusal('smtp', EXCHANGE_SMTP.disabledForTenant), delegatedContext('smtp', delegatedClaims({ scp: 'User.Read' })));
      assert.equal(error.code, 'smtp-auth-disabled-tenant');
    });

    it('"BAD User is authenticated but not connected." with an app-only token gives Microsoft\'s guidance and the mailbox permission line', () => {
      const error = explainFailure(refusal('imap', EXCHANGE_IMAP.notConnected), appOnlyContext('imap', appOnlyClaims(), ALICE));
      assert.ok(error.code === 'mailbox-not-connected' && /Microsoft's guidance/.test(error.fix) && error.fix.includes(`Add-MailboxPermission -Identity "${ALICE}"`), error.fix);
    });

    it('"BAD User is authenticated but not connected." with a delegated token says the XOAUTH2 user must be the user\'s own mailbox', () => {
      const error = explainFailure(refusal('imap', EXCHANGE_IMAP.notConnected), delegatedContext('imap'));
      assert.ok(error.code === 'mailbox-not-connected' && /own mailbox/.test(error.fix) && /ImapEnabled/.test(error.fix), error.fix);
    });

    it('"* BYE Session invalidated - AccessTokenExpired" says the session ended with the token and recovers by reconnecting', () => {
      const error = explainFailure(refusal('imap', EXCHANGE_IMAP.tokenExpired), delegatedContext('imap'));
      assert.ok(error.code === 'session-token-expired' && /fresh token/.test(error.fix), error.fix);
    });

    it('"BAD Request is throttled. Suggested Backoff Time: N milliseconds" says how long to wait', () => {
      const error = explainFailure(refusal('imap', 'BAD Request is throttled. Suggested Backoff Time: 2500 milliseconds'), delegatedContext('imap'));
      assert.ok(error.code === 'throttled' && error.message.includes('2500 ms') && error.fix.startsWith('Wait 3 s'), `${error.message} ${error.fix}`);
    });
  });

  describe('connection failures', () => {
    const connect = (protocol: Protocol, error: unknown): ProtocolFailure => ({ protocol, step: 'connect', error });

    it('a refused connection is unreachable: server down or wrong port', () => {
      const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      const error = explainFailure(connect('imap', new ProbeError('unreachable', cause.message, undefined, { cause })), delegatedContext('imap'));
      assert.ok(error.code === 'server-unreachable' && /server is down, or the port is wrong/.test(error.message), error.message);
    });

    it('a host that does not resolve says so', () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND imap.nowhere.test'), { code: 'ENOTFOUND' });
      const error = explainFailure(connect('smtp', cause), delegatedContext('smtp'));
      assert.ok(error.code === 'server-unreachable' && /does not resolve/.test(error.message), error.message);
    });

    it('an untrusted certificate without a CA file says to set the account\'s caFile', () => {
      const cause = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
      const error = explainFailure(connect('imap', new ProbeError('tls-untrusted', cause.message, undefined, { cause })), delegatedContext('imap'));
      assert.ok(error.code === 'certificate-untrusted' && /caFile/.test(error.fix) && /never turned off/.test(error.fix), error.fix);
    });

    it('the POP3 client\'s own connect errors are told the same way as the probes\'', () => {
      const pop3Error = new ExplainedError('The certificate of the POP3 server is not trusted.', '…', { code: 'tls-untrusted' });
      assert.equal(explainFailure(connect('pop3', pop3Error), delegatedContext('pop3')).code, 'certificate-untrusted');
    });

    it('a server that is not IMAP on that port is not a mail server', () => {
      const error = explainFailure(connect('imap', new ProbeError('bad-greeting', 'not IMAP', '+OK Dovecot ready.')), delegatedContext('imap'));
      assert.equal(error.code, 'not-a-mail-server');
    });

    it('a token that could not be had is the token source\'s own explanation', () => {
      const source = new ExplainedError('The app needs consent.', 'Ask an admin.', { code: 'AADSTS65001' });
      assert.equal(explainFailure({ protocol: 'imap', step: 'token', error: source }, delegatedContext('imap')), source);
    });
  });
});
