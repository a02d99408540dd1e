/** Test doubles of the ports VS Code implements: recorded calls, scripted answers. */
import type { AuthPorts, DeviceCodePrompt, GetSessionOptions, ProviderSession, VsCodeAuthentication } from '../../../src/auth/ports';
import type { AuthSettings } from '../../../src/auth/token-source';
import type { MailLog } from '../../../src/mail/server';
import { MemorySecrets } from './memory-secrets';

export interface SessionCall {
  providerId: string;
  scopes: string[];
  options: GetSessionOptions;
}

/** VS Code's authentication API with one scripted provider. */
export class FakeVsCodeAuthentication implements VsCodeAuthentication {
  readonly calls: SessionCall[] = [];
  providers = new Set(['microsoft', 'microsoft-sovereign-cloud']);
  /** The session a silent call finds. */
  existing: ProviderSession | undefined;
  /** What an interactive call does: sign the user in, fail, or wait forever. */
  onInteractive: (call: SessionCall) => Promise<ProviderSession | undefined> = async () => this.existing;

  async getSession(providerId: string, scopes: string[], options: GetSessionOptions): Promise<ProviderSession | undefined> {
    const call = { providerId, scopes, options };
    this.calls.push(call);
    if (options.silent) return this.existing;
    return this.onInteractive(call);
  }

  hasProvider(providerId: string): boolean {
    return this.providers.has(providerId);
  }
}

export class RecordingLog implements MailLog {
  readonly lines: string[] = [];
  trace(message: string): void { this.lines.push(`trace ${message}`); }
  debug(message: string): void { this.lines.push(`debug ${message}`); }
  info(message: string): void { this.lines.push(`info ${message}`); }
  warn(message: string): void { this.lines.push(`warn ${message}`); }
  error(message: string): void { this.lines.push(`error ${message}`); }
}

export interface TestPorts extends AuthPorts {
  secrets: MemorySecrets;
  vscodeAuth: FakeVsCodeAuthentication;
  log: RecordingLog;
  notices: string[];
  opened: string[];
  deviceCodes: DeviceCodePrompt[];
}

export function testPorts(overrides: Partial<AuthPorts> = {}): TestPorts {
  const notices: string[] = [];
  const opened: string[] = [];
  const deviceCodes: DeviceCodePrompt[] = [];
  return {
    secrets: new MemorySecrets(),
    vscodeAuth: new FakeVsCodeAuthentication(),
    log: new RecordingLog(),
    notices,
    opened,
    deviceCodes,
    notify: (message) => notices.push(message),
    openExternal: async (url) => {
      opened.push(url);
      return true;
    },
    showDeviceCode: (prompt) => {
      deviceCodes.push(prompt);
    },
    ...overrides,
  } as TestPorts;
}

export const CLIENT_ID = '0d2c1b4a-1111-4aaa-8bbb-000000000001';

/** Alice's account on Microsoft's global cloud, as src/accounts would map it; `overrides` change what a test is about. */
export function authSettings(overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    accountId: 'alice@contoso.test', address: 'alice@contoso.test', mode: 'msal-browser', clientId: CLIENT_ID, tenant: 'organizations',
    authorityHost: 'https://login.microsoftonline.com', delegatedResource: 'https://outlook.office.com',
    appOnlyResources: { imapPop: 'https://ps.outlook.com', smtp: 'https://outlook.office365.com' },
    protocols: ['imap', 'smtp'], vscodeProvider: 'microsoft', ...overrides,
  };
}
