import * as assert from 'node:assert/strict';
import { decodeClaims } from '../../../src/diagnostics/claims';
import { tokenReport } from '../../../src/diagnostics/token-report';
import { ALICE, CONTOSO, delegatedClaims, jwt, NOW } from './kit';

describe('Token details document', () => {
  const input = { protocol: 'imap' as const, account: ALICE, address: ALICE, mode: 'msal-device-code' as const, expectedTenant: CONTOSO, host: 'outlook.office365.com', nowSeconds: NOW };

  it('shows the claims and the expiry in local time, never the token', () => {
    const token = jwt(delegatedClaims());
    const report = tokenReport(decodeClaims(token), input);
    assert.ok(report.includes(`| Expires (exp) | ${new Date((NOW + 3600) * 1000).toLocaleString()} (in 60 min) |`), report);
    assert.ok(report.includes('IMAP.AccessAsUser.All') && !report.includes(token) && !report.includes(token.split('.')[1]!));
  });

  it('lists what does not fit the protocol', () => {
    const report = tokenReport(decodeClaims(jwt(delegatedClaims({ aud: 'https://graph.microsoft.com' }))), input);
    assert.match(report, /⚠ The token is for Microsoft Graph \(https:\/\/graph\.microsoft\.com\).*`wrong-audience`/);
  });

  it('says an opaque token\'s claims cannot be read', () => {
    assert.match(tokenReport(decodeClaims('EwBQA8l6opaque'), input), /claims cannot be read: the token is opaque/);
  });
});
