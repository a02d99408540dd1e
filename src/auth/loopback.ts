/**
 * The redirect target of the web-app sign-in: an HTTP listener on 127.0.0.1 that receives the
 * authorization response in the query (`?code=…&state=…`, the mode `getAuthCodeUrl` uses) and
 * answers the browser with a short page. It listens for one sign-in only and closes after it.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SIGN_IN_FAILED_PAGE, SIGNED_IN_PAGE } from './pages';

/** What came back to the redirect URI: a code, or the platform's OAuth error. */
export type AuthorizationResponse =
  | { code: string }
  | { error: string; error_description?: string; error_codes?: number[]; suberror?: string };

export interface AuthorizationListener {
  /** `http://localhost:<port>`: what the app registration lists ("http://localhost", any port). */
  redirectUri: string;
  /** Settles with the first response carrying the expected state; rejects when `signal` aborts. */
  response: Promise<AuthorizationResponse>;
  close(): void;
}

export async function listenForAuthorization(state: string, signal: AbortSignal): Promise<AuthorizationListener> {
  let settle: (response: AuthorizationResponse) => void = () => undefined;
  let fail: (reason: unknown) => void = () => undefined;
  const response = new Promise<AuthorizationResponse>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = url.searchParams;
    if (req.method !== 'GET' || (!query.has('code') && !query.has('error'))) {
      // favicon.ico and the like
      res.writeHead(404).end();
      return;
    }
    if (query.getAll('state').length !== 1 || query.get('state') !== state) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This sign-in response is not for the sign-in in progress.');
      return;
    }
    const code = query.get('code');
    const error = query.get('error');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(code ? SIGNED_IN_PAGE : SIGN_IN_FAILED_PAGE);
    if (code) {
      settle({ code });
    } else {
      const codes = (query.get('error_codes') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
      settle({ error: error ?? 'invalid_request', error_description: query.get('error_description') ?? undefined,
        error_codes: codes.length ? codes : undefined, suberror: query.get('suberror') ?? undefined });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  const onAbort = () => fail(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  response.then(() => undefined, () => undefined).finally(() => {
    signal.removeEventListener('abort', onAbort);
    close();
  });
  const port = (server.address() as AddressInfo).port;
  return { redirectUri: `http://localhost:${port}`, response, close };
}
