import * as assert from 'node:assert/strict';
import { checkClaimsFit, ClaimsFitContext, decodeClaims, isAppOnly, TokenClaims } from '../../../src/diagnostics/claims';
import { ALICE, appOnlyClaims, CONTOSO, delegatedClaims, jwt, NOW, PERSONAL, SHARED } from './kit';

function claimsOf(token: string): TokenClaims {
  const decoded = decodeClaims(token);
  assert.ok(decoded.readable, 'expected readable claims');
  return decoded.claims;
}

const delegated = (overrides: Record<string, unknown> = {}) => claimsOf(jwt(delegatedClaims(overrides)));
const appOnly = (overrides: Record<string, unknown> = {}) => claimsOf(jwt(appOnlyClaims(overrides)));
const asAlice: ClaimsFitContext = { address: ALICE, mode: 'msal-device-code', expectedTenant: CONTOSO, host: 'outlook.office365.com', nowSeconds: NOW };
const asDaemon: ClaimsFitContext = { address: SHARED, mode: 'client-credentials', expectedTenant: CONTOSO, host: 'outlook.office365.com', nowSeconds: NOW };
const codes = (claims: TokenClaims, protocol: 'imap' | 'pop3' | 'smtp', context: ClaimsFitContext) => checkClaimsFit(claims, protocol, context).map((w) => w.code);

describe('Token claims', () => {
  describe('decoding', () => {
    it('reads the claims diagnostics need from a delegated Exchange token', () => {
      const claims = delegated();
      assert.deepEqual([claims.aud, claims.scp, claims.upn, claims.tid, claims.idtyp, claims.exp],
        ['https://outlook.office.com', 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send', ALICE, CONTOSO, 'user', NOW + 3600]);
    });

    it('reads the roles and service principal oid of an app-only token', () => {
      const claims = appOnly();
      assert.deepEqual([claims.roles, claims.oid, isAppOnly(claims)], [['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'], '5e000000-4444-4aaa-8bbb-000000000004', true]);
    });

    it('says an opaque token (a personal account\'s) cannot be read, without quoting it', () => {
      const token = 'EwBQA8l6BAAUs5opaqueT0kenOfAPersonalAccount';
      const decoded = decodeClaims(token);
      assert.ok(!decoded.readable && /opaque/.test(decoded.reason) && !decoded.reason.includes(token));
    });

    it('says an encrypted (five-part) token cannot be read', () => {
      const decoded = decodeClaims('a.b.c.d.e');
      assert.ok(!decoded.readable && /encrypted/.test(decoded.reason));
    });

    it('does not throw on a JWT-shaped token whose parts are not JSON', () => {
      assert.equal(decodeClaims('eyJub3Q.garbage!.sig').readable, false);
    });

    it('tells an app-only token without idtyp by its roles and missing scp', () => {
      assert.equal(isAppOnly(appOnly({ idtyp: undefined })), true);
    });
  });

  describe('fit for the protocol and account', () => {
    it('finds nothing wrong with a good delegated token for each protocol', () => {
      assert.deepEqual((['imap', 'pop3', 'smtp'] as const).map((p) => codes(delegated(), p, asAlice)), [[], [], []]);
    });

    it('finds nothing wrong with a good app-only token for the shared mailbox', () => {
      assert.deepEqual(codes(appOnly(), 'imap', asDaemon), []);
    });

    it('flags a Microsoft Graph token (URI audience) as the wrong audience', () => {
      const [warning] = checkClaimsFit(delegated({ aud: 'https://graph.microsoft.com' }), 'imap', asAlice);
      assert.ok(warning?.code === 'wrong-audience' && warning.message.includes('Microsoft Graph'));
    });

    it('flags a Graph token with the GUID audience as the wrong audience', () => {
      assert.ok(codes(delegated({ aud: '00000003-0000-0000-c000-000000000000' }), 'smtp', asAlice).includes('wrong-audience'));
    });

    it('accepts the Exchange audience with a trailing slash and as Exchange\'s app id', () => {
      assert.deepEqual([codes(delegated({ aud: 'https://outlook.office.com/' }), 'imap', asAlice), codes(delegated({ aud: '00000002-0000-0ff1-ce00-000000000000' }), 'imap', asAlice)], [[], []]);
    });

    it('flags a delegated token without POP.AccessAsUser.All for POP3', () => {
      const warnings = checkClaimsFit(delegated({ scp: 'IMAP.AccessAsUser.All SMTP.Send' }), 'pop3', asAlice);
      assert.ok(warnings.some((w) => w.code === 'missing-permission' && w.message.includes('POP.AccessAsUser.All')));
    });

    it('flags an app-only token without SMTP.SendAsApp for SMTP', () => {
      assert.deepEqual(codes(appOnly({ roles: ['IMAP.AccessAsApp'] }), 'smtp', asDaemon), ['missing-permission']);
    });

    it('flags an expired token', () => {
      assert.deepEqual(codes(delegated({ exp: NOW - 600 }), 'imap', asAlice), ['token-expired']);
    });

    it('flags a token that is not valid yet (the clock is behind)', () => {
      assert.deepEqual(codes(delegated({ nbf: NOW + 900 }), 'imap', asAlice), ['token-not-yet-valid']);
    });

    it('flags a delegated token of another user than the XOAUTH2 user', () => {
      const warnings = checkClaimsFit(delegated({ upn: 'bob@contoso.test', unique_name: 'bob@contoso.test' }), 'imap', asAlice);
      assert.ok(warnings.some((w) => w.code === 'wrong-user' && w.message.includes('bob@contoso.test')));
    });

    it('reads the user from preferred_username when there is no upn', () => {
      assert.deepEqual(codes(delegated({ upn: undefined, unique_name: undefined, preferred_username: ALICE }), 'imap', asAlice), []);
    });

    it('flags a personal account on the work hosts', () => {
      assert.ok(codes(delegated({ tid: PERSONAL }), 'imap', { ...asAlice, expectedTenant: 'consumers' }).includes('personal-account-on-work-host'));
    });

    it('flags a work account on the Outlook.com hosts', () => {
      assert.ok(codes(delegated(), 'smtp', { ...asAlice, host: 'smtp-mail.outlook.com' }).includes('work-account-on-personal-host'));
    });

    it('flags a personal account where the account names a work tenant', () => {
      assert.ok(codes(delegated({ tid: PERSONAL }), 'imap', { ...asAlice, host: undefined }).includes('personal-account-for-work-tenant'));
    });

    it('flags a work account where the account names the consumers tenant', () => {
      assert.ok(codes(delegated(), 'imap', { ...asAlice, host: undefined, expectedTenant: 'consumers' }).includes('work-account-for-personal-tenant'));
    });

    it('flags a token of another tenant', () => {
      assert.ok(codes(delegated(), 'imap', { ...asAlice, expectedTenant: '11111111-2222-3333-4444-555555555555' }).includes('wrong-tenant'));
    });

    it('flags an app-only token used by an account that signs in as a user', () => {
      assert.ok(codes(appOnly(), 'imap', asAlice).includes('app-only-for-delegated-account'));
    });
  });
});
