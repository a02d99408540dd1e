/**
 * `web-app`: the guide's web application scenario, run from VS Code. A
 * ConfidentialClientApplication with the app's client secret builds the authorization URL for
 * every protocol of the account at once, the browser comes back to a loopback listener with
 * `?code=`, and the code is redeemed; later tokens come per protocol, silently, for the kept
 * account (delegated-source.ts).
 */
import { randomBytes } from 'node:crypto';
import { AuthenticationResult, ConfidentialClientApplication, CryptoProvider, ServerError } from '@azure/msal-node';
import { ExplainedError } from '../errors';
import type { InteractiveFlow } from './delegated-source';
import { cancelledError } from './interaction';
import { listenForAuthorization } from './loopback';
import type { AuthPorts } from './ports';

const WHAT = 'the web app sign-in';

export class WebAppFlow implements InteractiveFlow {
  readonly what = WHAT;

  constructor(private readonly app: ConfidentialClientApplication, private readonly ports: AuthPorts, private readonly loginHint: string) {}

  async signIn(scopes: string[], signal: AbortSignal): Promise<AuthenticationResult> {
    const state = randomBytes(16).toString('base64url');
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const listener = await listenForAuthorization(state, signal);
    try {
      const url = await this.app.getAuthCodeUrl({
        scopes, redirectUri: listener.redirectUri, state, loginHint: this.loginHint,
        codeChallenge: challenge, codeChallengeMethod: 'S256',
      });
      if (!await this.ports.openExternal(url)) throw cancelledError(WHAT);
      const response = await listener.response;
      if ('error' in response) {
        throw new ServerError(response.error, '', response.error_description, response.suberror, response.error_codes?.[0]?.toString());
      }
      const result = await this.app.acquireTokenByCode({ code: response.code, scopes, redirectUri: listener.redirectUri, codeVerifier: verifier });
      if (!result) throw new ExplainedError('The web app sign-in ended without a token.', 'Sign in again.', { code: 'sign-in-incomplete', actions: ['signIn'] });
      return result;
    } finally {
      listener.close();
    }
  }
}
