/**
 * What the diagnostics tests share: tokens with chosen claims (unsigned: diagnostics never
 * verify), a token source that hands out a given token, and Exchange Online's and Dovecot's
 * recorded IMAP and SMTP conversations for the scripted servers of ../mail/pop3-fake-server.
 */
import type { AccessToken, AuthSettings, TokenRequest, TokenSource } from '../../../src/auth/token-source';
import { ExplainedError } from '../../../src/errors';
import type { MailLog } from '../../../src/mail/server';
import { FakePop3Server, FakeSession, LineHandler, XOAUTH2_FAILURE_CHALLENGE } from '../mail/pop3-fake-server';

export const ALICE = 'alice@contoso.test';
export const SHARED = 'shared@contoso.test';
export const CONTOSO = '5f3c2b1a-8d7e-4c6b-9a1f-2e3d4c5b6a70';
export const PERSONAL = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const CLIENT_ID = '0d2c1b4a-4444-4aaa-8bbb-000000000004';
export const SERVICE_PRINCIPAL = '5e000000-4444-4aaa-8bbb-000000000004';
export const NOW = Math.floor(Date.now() / 1000);

/** A JWT with these claims; the signature is a placeholder. */
export function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'test' })}.${part(claims)}.c2lnbmF0dXJlLW9mLXRoZS10ZXN0LXRva2Vu`;
}

const DELEGATED_SCP = 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send';

/** A delegated Exchange token for alice, as Entra issues it, with `overrides` applied (undefined removes a claim). */
export function delegatedClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return strip({
    aud: 'https://outlook.office.com', iss: `https://sts.windows.net/${CONTOSO}/`, iat: NOW - 60, nbf: NOW - 60, exp: NOW + 3600,
    appid: '0d2c1b4a-1111-4aaa-8bbb-000000000001', idtyp: 'user', oid: 'a11ce000-0000-4000-8000-000000000001',
    scp: DELEGATED_SCP, tid: CONTOSO, upn: ALICE, unique_name: ALICE, name: 'Alice Lindqvist', ...overrides,
  });
}

/** An app-only Exchange token of the daemon app, with `overrides` applied. */
export function appOnlyClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return strip({
    aud: 'https://outlook.office365.com', iss: `https://sts.windows.net/${CONTOSO}/`, iat: NOW - 60, nbf: NOW - 60, exp: NOW + 3600,
    appid: CLIENT_ID, app_displayname: 'Exchange Mail (daemon, secret)', idtyp: 'app', oid: SERVICE_PRINCIPAL, sub: SERVICE_PRINCIPAL,
    roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'], tid: CONTOSO, ...overrides,
  });
}

function strip(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
}

export function authSettings(overrides: Partial<AuthSettings> = {}): AuthSettings {
  const address = overrides.address ?? ALICE;
  return {
    accountId: address, address, mode: 'msal-device-code', clientId: '0d2c1b4a-1111-4aaa-8bbb-000000000001', tenant: CONTOSO,
    authorityHost: 'https://login.microsoftonline.com', delegatedResource: 'https://outlook.office.com',
    appOnlyResources: { imapPop: 'https://ps.outlook.com', smtp: 'https://outlook.office365.com' },
    protocols: ['imap', 'pop3', 'smtp'], vscodeProvider: 'microsoft', ...overrides,
  };
}

/** A token source that hands out one fixed token (or fails with `error`) and records the requests. */
export class FixedTokenSource implements TokenSource {
  readonly requests: TokenRequest[] = [];
  constructor(readonly mode: AuthSettings['mode'], private readonly token: string, private readonly user: string, private readonly error?: ExplainedError) {}

  async getToken(request: TokenRequest): Promise<AccessToken> {
    this.requests.push(request);
    if (this.error) throw this.error;
    return { accessToken: this.token, user: this.user, expiresOn: new Date(Date.now() + 3600_000), scopes: [] };
  }

  async isSignedIn(): Promise<boolean> {
    return true;
  }

  async signOut(): Promise<void> {}
}

export function capturingLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => { lines.push(message); };
  return { lines, trace: keep, debug: keep, info: keep, warn: keep, error: keep };
}

// ---- Recorded conversations --------------------------------------------------------------

export const EXCHANGE_IMAP = {
  greeting: '* OK The Microsoft Exchange IMAP4 service is ready. [TQBOADIAUABSADAANQBDAEEAMAAwADEANQAuAG4AYQBtAHAAcgBkADAANQAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]',
  capability: '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+',
  authenticated: 'OK AUTHENTICATE completed.',
  authFailed: 'NO AUTHENTICATE failed.',
  notConnected: 'BAD User is authenticated but not connected.',
  tokenExpired: '* BYE Session invalidated - AccessTokenExpired',
  throttled: 'BAD Request is throttled. Suggested Backoff Time: 172 milliseconds',
  bye: '* BYE Microsoft Exchange Server IMAP4 server signing off.',
};

export const DOVECOT_IMAP = {
  greeting: '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=XOAUTH2 AUTH=OAUTHBEARER] Dovecot (Debian) ready.',
  capability: '* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=XOAUTH2 AUTH=OAUTHBEARER',
  authFailed: 'NO [AUTHENTICATIONFAILED] Authentication failed.',
};

export interface ImapScript {
  profile?: { greeting: string; capability: string };
  /** The tagged reply to AUTHENTICATE (without the tag), or a function for anything else. */
  authenticate?: string | ((tag: string, session: FakeSession) => void);
  /** The tagged reply to STATUS (without the tag), or a raw line starting with `*` sent before hanging up. */
  status?: string;
  /** Send a Dovecot-style failure continuation before the tagged refusal. */
  challenge?: boolean;
}

/** An IMAP server answering from the script: Exchange's replies unless told otherwise. */
export function imapHandler(script: ImapScript = {}): LineHandler {
  const profile = script.profile ?? EXCHANGE_IMAP;
  return (line, session) => {
    const [tag = '', verb = ''] = line.split(' ');
    switch (verb.toUpperCase()) {
      case 'CAPABILITY': return session.reply(profile.capability, `${tag} OK CAPABILITY completed.`);
      case 'AUTHENTICATE': {
        const answer = script.authenticate ?? EXCHANGE_IMAP.authenticated;
        if (typeof answer === 'function') return answer(tag, session);
        if (script.challenge) {
          session.reply(`+ ${XOAUTH2_FAILURE_CHALLENGE}`);
          return session.takeNextLine((empty, s) => s.reply(empty === '' ? `${tag} ${answer}` : `${tag} BAD expected an empty line`));
        }
        return session.reply(`${tag} ${answer}`);
      }
      case 'STATUS': {
        const answer = script.status ?? 'OK STATUS completed.';
        if (answer.startsWith('*')) {
          session.reply(answer);
          return session.end();
        }
        return answer.startsWith('OK') ? session.reply('* STATUS INBOX (MESSAGES 3)', `${tag} ${answer}`) : session.reply(`${tag} ${answer}`);
      }
      case 'LOGOUT':
        session.reply(EXCHANGE_IMAP.bye, `${tag} OK LOGOUT completed.`);
        return session.end();
      default: return session.reply(`${tag} BAD Command Error. 10`);
    }
  };
}

export const EXCHANGE_SMTP = {
  greeting: '220 SN4PR0501CA0054.outlook.office365.com Microsoft ESMTP MAIL Service ready at Tue, 14 Oct 2025 09:30:00 +0000',
  ehloBeforeTls: ['250-SN4PR0501CA0054.outlook.office365.com Hello [203.0.113.7]', '250-SIZE 157286400', '250-PIPELINING', '250-DSN',
    '250-ENHANCEDSTATUSCODES', '250-STARTTLS', '250-8BITMIME', '250-BINARYMIME', '250-CHUNKING', '250 SMTPUTF8'],
  ehloAfterTls: ['250-SN4PR0501CA0054.outlook.office365.com Hello [203.0.113.7]', '250-SIZE 157286400', '250-PIPELINING', '250-DSN',
    '250-ENHANCEDSTATUSCODES', '250-AUTH LOGIN XOAUTH2', '250-8BITMIME', '250-BINARYMIME', '250-CHUNKING', '250 SMTPUTF8'],
  authenticated: '235 2.7.0 Authentication successful',
  authFailed: '535 5.7.3 Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com 2025-10-14T09:30:01.000Z]',
  disabledForTenant: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0054.namprd05.prod.outlook.com]',
  disabledForMailbox: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0054.namprd05.prod.outlook.com]',
  quit: '221 2.0.0 Service closing transmission channel',
};

export const POSTFIX_AUTH_FAILED = '535 5.7.8 Error: authentication failed: ';

export interface SmtpScript {
  /** The reply to AUTH XOAUTH2. */
  auth?: string;
  /** Send Dovecot's `334 <base64 JSON>` failure report first, and `auth` after the client's empty line. */
  challenge?: boolean;
}

/** An SMTP submission server speaking Exchange's lines; STARTTLS upgrades the fake's socket. */
export function smtpHandler(script: SmtpScript = {}): LineHandler {
  let secure = false;
  return (line, session) => {
    const verb = line.split(' ')[0]!.toUpperCase();
    switch (verb) {
      case 'EHLO': return session.reply(...(secure ? EXCHANGE_SMTP.ehloAfterTls : EXCHANGE_SMTP.ehloBeforeTls));
      case 'STARTTLS':
        session.reply('220 2.0.0 SMTP server ready');
        secure = true;
        return session.startTls();
      case 'AUTH': {
        const answer = script.auth ?? EXCHANGE_SMTP.authenticated;
        if (script.challenge) {
          session.reply(`334 ${XOAUTH2_FAILURE_CHALLENGE}`);
          return session.takeNextLine((empty, s) => s.reply(empty === '' ? answer : '501 5.5.2 expected an empty line'));
        }
        return session.reply(answer);
      }
      case 'QUIT':
        session.reply(EXCHANGE_SMTP.quit);
        return session.end();
      default: return session.reply('500 5.3.3 Unrecognized command');
    }
  };
}

export async function imapServer(script: ImapScript = {}): Promise<FakePop3Server> {
  return FakePop3Server.start({ greeting: (script.profile ?? EXCHANGE_IMAP).greeting, onLine: imapHandler(script), tls: 'implicit' });
}

export async function smtpServer(script: SmtpScript = {}): Promise<FakePop3Server> {
  return FakePop3Server.start({ greeting: EXCHANGE_SMTP.greeting, onLine: smtpHandler(script), tls: 'stls' });
}
