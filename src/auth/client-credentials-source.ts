/**
 * `client-credentials`: the guide's web service scenario. The app authenticates as itself with a
 * client secret or a certificate (both kept in SecretStorage under `secretKeys`) and gets
 * app-only `.default` tokens per protocol; the XOAUTH2 user is the mailbox address, which the
 * tenant admin opened to the app with New-ServicePrincipal and Add-MailboxPermission.
 */
import { createPrivateKey } from 'node:crypto';
import { ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { ExplainedError } from '../errors';
import { accessTokenOf } from './delegated-source';
import { AccountMsalConfig, TokenSourceOptions } from './msal-config';
import type { AuthPorts } from './ports';
import { AccountScopes } from './scopes';
import { AccessToken, AuthSettings, secretKeys, TokenRequest, TokenSource } from './token-source';

function missingSecret(what: string): ExplainedError {
  return new ExplainedError(`No ${what} is stored for this account.`,
    `Run "Exchange Mail: Sign In" for the account and enter the app's ${what}.`, { code: 'credential-missing', actions: ['signIn'] });
}

/** MSAL wants PKCS#8 PEM; a key stored as PKCS#1 ("BEGIN RSA PRIVATE KEY") or beside its certificate is converted. */
function pkcs8(pem: string): string {
  try {
    return createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new ExplainedError('The private key stored for this account cannot be read.',
      'Enter the certificate\'s private key again as PEM (unencrypted PKCS#8 or PKCS#1).', { code: 'credential-unreadable', actions: ['signIn'] });
  }
}

export class ClientCredentialsSource implements TokenSource {
  readonly mode = 'client-credentials' as const;
  private readonly scopes: AccountScopes;
  private parts: Promise<{ msalConfig: AccountMsalConfig; app: ConfidentialClientApplication }> | undefined;

  constructor(private readonly settings: AuthSettings, private readonly ports: AuthPorts, private readonly options: TokenSourceOptions) {
    this.scopes = new AccountScopes(settings);
  }

  async getToken(request: TokenRequest): Promise<AccessToken> {
    const { msalConfig, app } = await this.ready();
    msalConfig.network.reset();
    const scopes = this.scopes.forProtocol(request.protocol);
    try {
      const result = await app.acquireTokenByClientCredential({ scopes, skipCache: request.forceRefresh === true });
      if (!result) throw new Error('no token in the client credentials response');
      this.ports.log.debug(`${this.settings.accountId}: app-only ${request.protocol} token from ${result.fromCache ? 'the cache' : 'the identity platform'}`);
      return accessTokenOf(result, this.settings.address);
    } catch (err) {
      throw msalConfig.explain(err, scopes);
    }
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.credential().catch(() => undefined)) !== undefined;
  }

  async signOut(): Promise<void> {
    if (this.parts) {
      const { app, msalConfig } = await this.parts;
      app.clearCache();
      await msalConfig.cache.clear();
    } else {
      const msalConfig = await AccountMsalConfig.create(this.settings, this.ports, this.options);
      await msalConfig.cache.clear();
      msalConfig.cache.dispose();
    }
    this.ports.log.info(`${this.settings.accountId}: app-only tokens forgotten`);
  }

  private ready(): Promise<{ msalConfig: AccountMsalConfig; app: ConfidentialClientApplication }> {
    this.parts ??= (async () => {
      const credential = await this.credential();
      const msalConfig = await AccountMsalConfig.create(this.settings, this.ports, this.options);
      return { msalConfig, app: new ConfidentialClientApplication(msalConfig.configuration(credential)) };
    })();
    this.parts.catch(() => {
      this.parts = undefined;
    });
    return this.parts;
  }

  private async credential(): Promise<Partial<Configuration['auth']>> {
    const { accountId } = this.settings;
    if (this.settings.credential === 'certificate') {
      const key = await this.ports.secrets.get(secretKeys.certificatePrivateKey(accountId));
      if (!key) throw missingSecret('certificate private key');
      const thumbprint = (this.settings.certificateThumbprint ?? '').replace(/[^0-9a-f]/gi, '');
      if (thumbprint.length !== 64) {
        throw new ExplainedError('The account has no valid SHA-256 certificate thumbprint.',
          'Set the account\'s certificate thumbprint to the SHA-256 thumbprint (64 hex digits) of the certificate uploaded to the app registration.',
          { code: 'certificate-thumbprint-missing', actions: ['openSettings'] });
      }
      return { clientCertificate: { thumbprintSha256: thumbprint, privateKey: pkcs8(key) } };
    }
    const secret = await this.ports.secrets.get(secretKeys.clientSecret(accountId));
    if (!secret) throw missingSecret('client secret');
    return { clientSecret: secret };
  }
}
