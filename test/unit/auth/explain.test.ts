import * as assert from 'node:assert/strict';
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { ExplainContext, explainAuthError, needsSignIn } from '../../../src/auth/explain';
import type { AuthMode } from '../../../src/auth/token-source';

const CLIENT_ID = '0d2c1b4a-1111-4aaa-8bbb-000000000001';

function context(mode: AuthMode = 'msal-browser', extra: Partial<ExplainContext> = {}): ExplainContext {
  return { mode, clientId: CLIENT_ID, tenant: 'organizations', authorityHost: 'https://login.microsoftonline.com', ...extra };
}

/** Entra's JSON error reply, as the token endpoint sends it. */
function entraReply(error: string, code: number, text: string, suberror?: string): Record<string, unknown> {
  const reply: Record<string, unknown> = {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: 2b1c0e4e-8f40-4c4a-9a43-5f0e3d9a1b00 Correlation ID: 6f1d1f4a-3c2b-4a5e-9d7c-0b1a2c3d4e5f Timestamp: 2025-03-04 10:11:12Z`,
    error_codes: [code],
    timestamp: '2025-03-04 10:11:12Z',
    trace_id: '2b1c0e4e-8f40-4c4a-9a43-5f0e3d9a1b00',
    correlation_id: '6f1d1f4a-3c2b-4a5e-9d7c-0b1a2c3d4e5f',
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
  if (suberror) reply.suberror = suberror;
  return reply;
}

/** What MSAL makes of that reply (ResponseHandler.validateTokenResponse). */
function asMsalError(reply: Record<string, unknown>): AuthError {
  const codes = reply.error_codes as number[];
  const message = `Error(s): ${codes.join(',')} - Timestamp: ${reply.timestamp as string} - Description: ${reply.error_description as string} - Correlation ID: x - Trace ID: y`;
  const interaction = ['interaction_required', 'consent_required', 'login_required'].includes(reply.error as string)
    || ['consent_required', 'basic_action', 'bad_token'].includes(reply.suberror as string);
  return interaction
    ? new InteractionRequiredAuthError(reply.error as string, 'c', reply.error_description as string, reply.suberror as string, '', '', '', String(codes[0]))
    : new ServerError(reply.error as string, 'c', message, reply.suberror as string, String(codes[0]), 400);
}

const CASES: Array<{ code: number; error: string; text: string; suberror?: string; mode?: AuthMode; says: RegExp; fix: RegExp }> = [
  { code: 50011, error: 'invalid_request', text: 'The redirect URI \'http://localhost:53123\' specified in the request does not match the redirect URIs configured for the application.',
    says: /redirect URI/, fix: /Mobile and desktop applications.*http:\/\/localhost/ },
  { code: 65001, error: 'invalid_grant', suberror: 'consent_required', text: 'The user or administrator has not consented to use the application with ID \'x\' named \'y\'.',
    says: /consent/, fix: /Grant admin consent.*https:\/\/login\.microsoftonline\.com\/organizations\/adminconsent\?client_id=0d2c1b4a-1111-4aaa-8bbb-000000000001/ },
  { code: 70043, error: 'invalid_grant', text: 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.',
    says: /sign-in frequency/, fix: /Sign In/ },
  { code: 700082, error: 'invalid_grant', text: 'The refresh token has expired due to inactivity.',
    says: /not used for a long time.*inactivity/, fix: /Sign In/ },
  { code: 53003, error: 'invalid_grant', mode: 'msal-device-code', text: 'Access has been blocked by Conditional Access policies.',
    says: /blocks sign-in by device code/, fix: /authMode to "msal-browser"/ },
  { code: 7000218, error: 'invalid_client', mode: 'msal-device-code', text: 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.',
    says: /public client flows/, fix: /Allow public client flows.*msal-browser/ },
  { code: 700016, error: 'unauthorized_client', text: 'Application with identifier \'x\' was not found in the directory \'Contoso\'.',
    says: new RegExp(`client id ${CLIENT_ID}`), fix: /Application \(client\) ID/ },
  { code: 50020, error: 'invalid_request', text: 'User account \'carol@outlook.test\' from identity provider \'live.com\' does not exist in tenant \'Contoso\'.',
    says: /kind of account/, fix: /personal accounts.*consumers/ },
  { code: 70011, error: 'invalid_scope', text: 'The provided value for the input parameter \'scope\' is not valid.',
    says: /refused the requested scopes/, fix: /IMAP\.AccessAsUser\.All/ },
  { code: 700027, error: 'invalid_client', mode: 'client-credentials', text: 'Client assertion failed signature validation.',
    says: /certificate/, fix: /Upload the certificate/ },
  { code: 7000215, error: 'invalid_client', mode: 'client-credentials', text: 'Invalid client secret provided.',
    says: /client secret is not valid/, fix: /new client secret.*Value/ },
  { code: 50173, error: 'invalid_grant', text: 'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
    says: /sign in again/, fix: /Sign In/ },
];

describe('explain: identity platform failures told with their fix', () => {
  for (const c of CASES) {
    it(`AADSTS${c.code} from the token endpoint says what is wrong and how to fix it`, () => {
      const explained = explainAuthError(asMsalError(entraReply(c.error, c.code, c.text, c.suberror)), context(c.mode));
      assert.equal(explained.code, `AADSTS${c.code}`);
      assert.match(explained.message, c.says);
      assert.match(explained.fix, c.fix);
    });
  }

  it('Entra\'s bare JSON reply is explained the same way as MSAL\'s error for it', () => {
    const reply = entraReply('invalid_client', 7000218, 'The request body must contain the following parameter.');
    assert.equal(explainAuthError(reply, context('msal-device-code')).message, explainAuthError(asMsalError(reply), context('msal-device-code')).message);
  });

  it('AADSTS50011 for the web app points at the "Web" platform', () => {
    assert.match(explainAuthError(entraReply('invalid_request', 50011, 'redirect'), context('web-app')).fix, /platform "Web"/);
  });

  it('a refused device-code poll (MSAL keeps only "invalid_client") is explained from the platform\'s last reply', () => {
    const lastErrorReply = { error: 'invalid_client', error_codes: [7000218], error_description: 'AADSTS7000218: The request body must contain …' };
    const polled = new AuthError('post_request_failed', 'c', 'invalid_client');
    assert.equal(explainAuthError(polled, context('msal-device-code', { network: { lastErrorReply } })).code, 'AADSTS7000218');
  });

  it('a revoked refresh token (plain invalid_grant) says "sign in again" and offers Sign In', () => {
    const explained = explainAuthError(new ServerError('invalid_grant', 'c', 'Error(s): - Description: refresh token revoked'), context());
    assert.deepEqual([explained.message, explained.actions], ['The sign-in has expired or was revoked: sign in again.', ['signIn']]);
  });

  it('an unreachable identity platform says so, naming the host', () => {
    const failure = { host: 'login.microsoftonline.com', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', certificate: false };
    const explained = explainAuthError(new AuthError('endpoints_resolution_error', 'c'), context('msal-browser', { network: { lastFailure: failure } }));
    assert.match(explained.message, /Cannot reach the identity platform at login\.microsoftonline\.com \(ECONNREFUSED\)/);
  });

  it('an untrusted certificate of the identity platform points at the account\'s CA file', () => {
    const failure = { host: '127.0.0.1:8443', code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain', certificate: true };
    const explained = explainAuthError(new AuthError('network_error', 'c'), context('msal-browser', { network: { lastFailure: failure } }));
    assert.match(explained.fix, /extra CA file/);
  });

  it('the detail for the log keeps Entra\'s text without its trace lines', () => {
    const explained = explainAuthError(entraReply('unauthorized_client', 700016, 'Application was not found.'), context());
    assert.equal(explained.detail, 'unauthorized_client: AADSTS700016: Application was not found.');
  });

  it('a revoked or consent-missing silent attempt can be mended by signing in; an unknown app cannot', () => {
    assert.deepEqual([
      needsSignIn(asMsalError(entraReply('invalid_grant', 50173, 'revoked'))),
      needsSignIn(asMsalError(entraReply('invalid_grant', 65001, 'consent', 'consent_required'))),
      needsSignIn(asMsalError(entraReply('unauthorized_client', 700016, 'unknown app'))),
    ], [true, true, false]);
  });
});
