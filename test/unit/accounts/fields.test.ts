import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  checkCaFile, checkClientId, checkEmail, checkHost, checkHttpsOrigin, checkPort, checkTenant, checkThumbprint,
  readPrivateKeyFile,
} from '../../../src/accounts/fields';
import { CLIENT_ID, TENANT_ID, testPki } from './fixtures';

describe('Account fields, one check each', () => {
  it('an email address needs a local part, an @ and a domain with a dot', () => {
    assert.equal(checkEmail('bob@contoso.test'), undefined);
    assert.equal(checkEmail('first.last+tag@mail.contoso.com'), undefined);
    for (const bad of ['bob', 'bob@', '@contoso.com', 'bob@contoso', 'bob smith@contoso.com', 'bob@@contoso.com']) {
      assert.equal(checkEmail(bad), `must be an email address such as someone@contoso.com (got "${bad}")`, bad);
    }
  });

  it('a client id is a GUID, and the message says where Entra shows it', () => {
    assert.equal(checkClientId(CLIENT_ID), undefined);
    assert.match(checkClientId('my-app') ?? '', /^must be the Application \(client\) ID of your app registration in Entra, a GUID .*\(got "my-app"\)$/);
  });

  it('a tenant is organizations, common, consumers, a GUID or a domain', () => {
    for (const good of ['organizations', 'common', 'consumers', 'Consumers', TENANT_ID, 'contoso.onmicrosoft.com', 'contoso.test']) {
      assert.equal(checkTenant(good), undefined, good);
    }
    assert.match(checkTenant('my tenant') ?? '', /^must be organizations, common, consumers, a Directory \(tenant\) ID GUID or a verified domain .*\(got "my tenant"\)$/);
    assert.ok(checkTenant('contoso'));
  });

  it('a port is a whole number from 1 to 65535', () => {
    assert.equal(checkPort(993), undefined);
    assert.equal(checkPort(99999), 'must be a number from 1 to 65535 (got 99999)');
    assert.equal(checkPort(0), 'must be a number from 1 to 65535 (got 0)');
    assert.equal(checkPort('993'), 'must be a number from 1 to 65535 (got "993")');
    assert.ok(checkPort(99.5));
  });

  it('a host is a host name or an IP address', () => {
    for (const good of ['outlook.office365.com', 'localhost', '127.0.0.1', '::1']) assert.equal(checkHost(good), undefined, good);
    assert.match(checkHost('mail server') ?? '', /must be a host name or IP address/);
    assert.ok(checkHost('https://outlook.office365.com'));
  });

  it('an identity platform or resource is an https origin without a path', () => {
    assert.equal(checkHttpsOrigin('https://login.microsoftonline.us', 'x'), undefined);
    assert.equal(checkHttpsOrigin('https://127.0.0.1:8443/', 'x'), undefined);
    assert.match(checkHttpsOrigin('http://login.microsoftonline.com', 'https://login.microsoftonline.com') ?? '', /must be an https:\/\/ address without a path, such as https:\/\/login.microsoftonline.com/);
    assert.ok(checkHttpsOrigin('https://login.microsoftonline.com/organizations', 'x'));
  });

  it('a CA file must be readable and hold a PEM certificate', () => {
    const { caFile, dir, notPem } = testPki();
    assert.equal(checkCaFile(caFile), undefined);
    assert.equal(checkCaFile(join(dir, 'missing.pem')), `cannot be read: ${join(dir, 'missing.pem')} (there is no such file)`);
    assert.equal(checkCaFile(dir), `cannot be read: ${dir} (it is a folder)`);
    assert.match(checkCaFile(notPem) ?? '', /must hold a PEM certificate \("-----BEGIN CERTIFICATE-----"\)/);
    assert.match(checkCaFile('ca.pem') ?? '', /must be the absolute path/);
  });

  it('a certificate thumbprint is SHA-256 hex, and a SHA-1 one is recognised as such', () => {
    assert.equal(checkThumbprint('ab'.repeat(32)), undefined);
    assert.equal(checkThumbprint(Array(32).fill('AB').join(':')), undefined);
    assert.match(checkThumbprint('ab'.repeat(20)) ?? '', /this is a 40-digit SHA-1 thumbprint/);
  });

  it('a private key file is read as PEM, and a certificate is not taken for a key', () => {
    const { caFile, keyFile } = testPki();
    const key = readPrivateKeyFile(keyFile);
    assert.ok('pem' in key && key.pem.startsWith('-----BEGIN PRIVATE KEY-----'));
    const notKey = readPrivateKeyFile(caFile);
    assert.ok('problem' in notKey && /must hold a PEM private key/.test(notKey.problem));
  });
});
