/**
 * `msal-browser`: the desktop scenario of the guide. MSAL's PublicClientApplication opens the
 * system browser (through VS Code's openExternal) and waits on its loopback redirect
 * (`http://localhost:<port>`, registered as "Mobile and desktop applications").
 */
import { request as httpRequest } from 'node:http';
import type { AuthenticationResult, PublicClientApplication } from '@azure/msal-node';
import type { InteractiveFlow } from './delegated-source';
import { cancelledError } from './interaction';
import { SIGN_IN_FAILED_PAGE, SIGNED_IN_PAGE } from './pages';
import type { AuthPorts } from './ports';

const WHAT = 'the browser sign-in';

/**
 * MSAL's loopback waits forever and cannot be told to stop: answering it as the platform would
 * ("access_denied", with the request's state) makes MSAL end the sign-in and close the listener.
 */
function releaseLoopback(redirectUri: string, state: string): void {
  const target = new URL(redirectUri);
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'Sign-in stopped by Exchange Mail.', state }).toString();
  const req = httpRequest({
    host: '127.0.0.1', port: target.port, path: '/', method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
  }, (res) => res.resume());
  req.on('error', () => undefined);
  req.end(body);
}

export class BrowserFlow implements InteractiveFlow {
  readonly what = WHAT;

  constructor(private readonly app: PublicClientApplication, private readonly ports: AuthPorts, private readonly loginHint: string) {}

  async signIn(scopes: string[], signal: AbortSignal): Promise<AuthenticationResult> {
    let pending: { redirectUri: string; state: string } | undefined;
    let finished = false;
    const onAbort = () => {
      if (pending && !finished) releaseLoopback(pending.redirectUri, pending.state);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.app.acquireTokenInteractive({
        scopes,
        loginHint: this.loginHint,
        successTemplate: SIGNED_IN_PAGE,
        errorTemplate: SIGN_IN_FAILED_PAGE,
        openBrowser: async (url) => {
          const query = new URL(url).searchParams;
          pending = { redirectUri: query.get('redirect_uri') ?? '', state: query.get('state') ?? '' };
          if (signal.aborted) throw cancelledError(WHAT);
          if (!await this.ports.openExternal(url)) throw cancelledError(WHAT);
        },
      });
    } finally {
      finished = true;
      signal.removeEventListener('abort', onAbort);
    }
  }
}
