/**
 * `msal-device-code`: for windows whose browser cannot reach a loopback on this machine (SSH,
 * containers, code-server). The user opens the verification page anywhere and types the code
 * the notification shows; MSAL polls the token endpoint meanwhile.
 */
import type { AuthenticationResult, DeviceCodeRequest, PublicClientApplication } from '@azure/msal-node';
import { ExplainedError } from '../errors';
import type { InteractiveFlow } from './delegated-source';
import type { AuthPorts } from './ports';

export class DeviceCodeFlow implements InteractiveFlow {
  readonly what = 'the device code sign-in';

  constructor(private readonly app: PublicClientApplication, private readonly ports: AuthPorts) {}

  async signIn(scopes: string[], signal: AbortSignal): Promise<AuthenticationResult> {
    const request: DeviceCodeRequest = {
      scopes,
      deviceCodeCallback: (response) => {
        this.ports.showDeviceCode({ userCode: response.userCode, verificationUri: response.verificationUri, message: response.message }, signal);
      },
    };
    // MSAL reads `cancel` before each poll of the token endpoint.
    const stopPolling = () => {
      request.cancel = true;
    };
    signal.addEventListener('abort', stopPolling, { once: true });
    try {
      const result = await this.app.acquireTokenByDeviceCode(request);
      if (!result) {
        throw new ExplainedError('The device code sign-in ended without a token.', 'Sign in again.', { code: 'sign-in-incomplete', actions: ['signIn'] });
      }
      return result;
    } finally {
      signal.removeEventListener('abort', stopPolling);
    }
  }
}
