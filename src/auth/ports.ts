/**
 * What src/auth needs from VS Code, as small interfaces the UI implements with the `vscode` API
 * (src/auth never imports `vscode`, so every flow runs in plain Node tests). One port per
 * capability; each says which VS Code API it stands for.
 */
import type { MailLog } from '../mail/server';

export interface Disposable {
  dispose(): void;
}

/**
 * `context.secrets` (SecretStorage). Holds the MSAL token caches, kept account identifiers and
 * the secrets of `secretKeys` in token-source.ts.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** `SecretStorage.onDidChange`: a secret was stored or deleted, in this window or another. */
  onDidChange(listener: (key: string) => void): Disposable;
}

/** What the device-code notification shows (from the identity platform's device code response). */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  /** The platform's own sentence: "To sign in, use a web browser to open the page … and enter the code …". */
  message: string;
}

/** A session of a VS Code authentication provider (`vscode.AuthenticationSession`, the parts used). */
export interface ProviderSession {
  accessToken: string;
  account: { label: string };
}

/** The options of `vscode.authentication.getSession` this extension uses. */
export interface GetSessionOptions {
  /** Ask the user to sign in when there is no session. */
  createIfNone?: boolean;
  /** Never ask; undefined when there is no session. */
  silent?: boolean;
  /** Ask the user to sign in again although a session exists (the server refused its token). */
  forceNewSession?: boolean;
}

/** `vscode.authentication`, the two calls the `vscode` mode makes. */
export interface VsCodeAuthentication {
  /**
   * `vscode.authentication.getSession(providerId, scopes, options)`. Resolves undefined when
   * silent and there is no session. When the user cancels the sign-in, reject with an error
   * named `Canceled` (vscode.CancellationError) or `SignInCancelled` below; any other rejection
   * counts as "the provider failed" and makes the account fall back to MSAL.
   */
  getSession(providerId: string, scopes: string[], options: GetSessionOptions): Promise<ProviderSession | undefined>;
  /**
   * Whether a provider with this id exists in this editor: VSCodium and some code-server builds
   * lack `microsoft`. E.g. `vscode.extensions.getExtension('vscode.microsoft-authentication')`
   * is present (it registers both `microsoft` and `microsoft-sovereign-cloud`).
   */
  hasProvider(providerId: string): boolean;
}

/** For the UI's getSession port: the user cancelled, do not fall back. */
export class SignInCancelled extends Error {
  constructor(message = 'Sign-in cancelled') {
    super(message);
    this.name = 'SignInCancelled';
  }
}

export interface AuthPorts {
  secrets: SecretStore;
  /** `vscode.env.openExternal(Uri.parse(url))`: false when the user declined to open it. */
  openExternal(url: string): Promise<boolean>;
  /**
   * Shows the device code with "Copy and Open" (copy `userCode`, open `verificationUri`).
   * `signal` aborts when the sign-in ended (done, cancelled, timed out): close the notification then.
   */
  showDeviceCode(prompt: DeviceCodePrompt, signal: AbortSignal): void;
  vscodeAuth: VsCodeAuthentication;
  /** `vscode.env.remoteName`: set in a remote window (SSH, container, WSL, code-server), where device code replaces the loopback. */
  remoteName?: string;
  /** A one-time information message (`window.showInformationMessage`), e.g. "falling back to MSAL". */
  notify(message: string): void;
  /** The extension's LogOutputChannel. Never receives a token or secret. */
  log: MailLog;
}
