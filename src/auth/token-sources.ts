/**
 * The one place that picks how an account gets its tokens: its auth mode, and for the `vscode`
 * mode the MSAL flow it falls back to (device code in a remote window, where a loopback on this
 * machine is out of the browser's reach; the browser otherwise).
 */
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { BrowserFlow } from './browser-flow';
import { ClientCredentialsSource } from './client-credentials-source';
import { DelegatedTokenSource } from './delegated-source';
import { DeviceCodeFlow } from './device-code-flow';
import { ExplainedError } from '../errors';
import { TokenSourceOptions } from './msal-config';
import type { AuthPorts } from './ports';
import { ProviderWithFallback } from './provider-fallback';
import { SharedRequests } from './shared-requests';
import { AuthSettings, secretKeys, TokenSource } from './token-source';
import { VsCodeSessionSource } from './vscode-session';
import { WebAppFlow } from './web-app-flow';

export type { TokenSourceOptions } from './msal-config';

function browserSource(settings: AuthSettings, ports: AuthPorts, options: TokenSourceOptions): TokenSource {
  return new DelegatedTokenSource('msal-browser', settings, ports, options, (msalConfig) => {
    const app = new PublicClientApplication(msalConfig.configuration());
    return { app, flow: new BrowserFlow(app, ports, settings.address) };
  });
}

function deviceCodeSource(settings: AuthSettings, ports: AuthPorts, options: TokenSourceOptions): TokenSource {
  return new DelegatedTokenSource('msal-device-code', settings, ports, options, (msalConfig) => {
    const app = new PublicClientApplication(msalConfig.configuration());
    return { app, flow: new DeviceCodeFlow(app, ports) };
  });
}

function webAppSource(settings: AuthSettings, ports: AuthPorts, options: TokenSourceOptions): TokenSource {
  return new DelegatedTokenSource('web-app', settings, ports, options, async (msalConfig) => {
    const clientSecret = await ports.secrets.get(secretKeys.clientSecret(settings.accountId));
    if (!clientSecret) {
      throw new ExplainedError('No client secret is stored for this account.',
        'Run "Exchange Mail: Sign In" for the account and enter the web app\'s client secret.', { code: 'credential-missing', actions: ['signIn'] });
    }
    const app = new ConfidentialClientApplication(msalConfig.configuration({ clientSecret }));
    return { app, flow: new WebAppFlow(app, ports, settings.address) };
  });
}

/**
 * The token source of one account. Creating it costs nothing: MSAL and secrets are touched on
 * first use. Concurrent requests for the same token share one request (./shared-requests).
 */
export function createTokenSource(settings: AuthSettings, ports: AuthPorts, options: TokenSourceOptions = {}): TokenSource {
  return new SharedRequests(sourceFor(settings, ports, options), settings);
}

function sourceFor(settings: AuthSettings, ports: AuthPorts, options: TokenSourceOptions): TokenSource {
  switch (settings.mode) {
    case 'vscode': {
      const remote = !!ports.remoteName;
      return new ProviderWithFallback(
        settings.accountId,
        new VsCodeSessionSource(settings, ports, options),
        () => (remote ? deviceCodeSource : browserSource)(settings, ports, options),
        remote ? 'device code sign-in' : 'browser sign-in',
        ports,
      );
    }
    case 'msal-browser':
      return browserSource(settings, ports, options);
    case 'msal-device-code':
      return deviceCodeSource(settings, ports, options);
    case 'web-app':
      return webAppSource(settings, ports, options);
    case 'client-credentials':
      return new ClientCredentialsSource(settings, ports, options);
  }
}
