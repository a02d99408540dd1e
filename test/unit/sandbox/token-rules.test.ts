/**
 * The token check's rule for shared mailboxes, as Exchange Online applies it: a delegated token
 * opens, over IMAP and POP, its own user's mailbox and the mailboxes that user holds FullAccess
 * on; SMTP signs in only as the token's own user.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTOSO_TENANT_ID, EXCHANGE_DELEGATED_AUDIENCE, Protocol, PROTOCOL_PERMISSIONS } from '../../sandbox/directory';
import { checkToken, Verdict } from '../../sandbox/mail/token-rules';

const KID = 'token-rules-test';
const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';
const SHARED = 'shared@contoso.test';

describe('the sandbox token check: delegated access to shared mailboxes', () => {
  let keysDir: string;
  let key: KeyObject;

  before(() => {
    keysDir = mkdtempSync(join(tmpdir(), 'token-rules-'));
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = pair.privateKey;
    writeFileSync(join(keysDir, `${KID}.pem`), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  });

  after(() => rmSync(keysDir, { recursive: true, force: true }));

  function delegatedToken(upn: string): string {
    const now = Math.floor(Date.now() / 1000);
    const scp = Object.values(PROTOCOL_PERMISSIONS).map((p) => p.delegated).join(' ');
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { aud: EXCHANGE_DELEGATED_AUDIENCE, tid: CONTOSO_TENANT_ID, upn, scp, nbf: now - 60, exp: now + 3600 };
    const signed = `${part({ typ: 'JWT', alg: 'RS256', kid: KID })}.${part(claims)}`;
    return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`;
  }

  const check = (user: string, protocol: Protocol, tokenOf: string): Verdict =>
    checkToken({ user, protocol, mechanism: 'XOAUTH2', token: delegatedToken(tokenOf) }, keysDir);
  const outcome = (verdict: Verdict) => (verdict.accepted ? `accepted: ${verdict.detail}` : `refused: ${verdict.reason}`);

  it("opens the shared mailbox with alice's own token over IMAP and POP, whatever the address's case, because she holds FullAccess", () => {
    assert.deepEqual([outcome(check(SHARED, 'imap', ALICE)), outcome(check('Shared@Contoso.TEST', 'pop3', ALICE))], [
      `accepted: delegated token of ${ALICE} with IMAP.AccessAsUser.All, FullAccess on ${SHARED}`,
      `accepted: delegated token of ${ALICE} with POP.AccessAsUser.All, FullAccess on Shared@Contoso.TEST`,
    ]);
  });

  it("refuses bob's token for the shared mailbox over IMAP and POP: he has no FullAccess", () => {
    const reason = `refused: token is for ${BOB}, but the login is for ${SHARED}: ${BOB} has no FullAccess on ${SHARED}`;
    assert.deepEqual([outcome(check(SHARED, 'imap', BOB)), outcome(check(SHARED, 'pop3', BOB))], [reason, reason]);
  });

  it("refuses alice's token for the shared mailbox over SMTP, FullAccess or not: SMTP signs in as the token's own user", () => {
    assert.equal(outcome(check(SHARED, 'smtp', ALICE)),
      `refused: token is for ${ALICE}, but the login is for ${SHARED}: SMTP signs in only as the token's own user (FullAccess does not apply)`);
  });

  it("refuses alice's token for bob's mailbox, which she holds no FullAccess on", () => {
    assert.equal(check(BOB, 'imap', ALICE).accepted, false);
  });
});
