/**
 * One token request in flight per need: callers that ask a token source for the same scopes in
 * the same way while a request is under way wait for that request instead of making their own
 * (at sign-in, the tree's listing, command and Inbox-watch connections all ask at once, and
 * each missed MSAL's cache). A request that carries a cancellation signal is its caller's own.
 */
import { AccountScopes } from './scopes';
import type { AccessToken, AuthSettings, TokenRequest, TokenSource } from './token-source';

export class SharedRequests implements TokenSource {
  private readonly scopes: AccountScopes;
  private readonly inFlight = new Map<string, Promise<AccessToken>>();

  constructor(private readonly source: TokenSource, settings: AuthSettings) {
    this.scopes = new AccountScopes(settings);
  }

  get mode(): TokenSource['mode'] {
    return this.source.mode;
  }

  getToken(request: TokenRequest): Promise<AccessToken> {
    if (request.signal) return this.source.getToken(request);
    const key = JSON.stringify([this.scopes.forProtocol(request.protocol), request.interactive, request.forceRefresh === true]);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.source.getToken(request);
      this.inFlight.set(key, pending);
      const forget = () => {
        if (this.inFlight.get(key) === pending) this.inFlight.delete(key);
      };
      pending.then(forget, forget);
    }
    return pending;
  }

  isSignedIn(): Promise<boolean> {
    return this.source.isSignedIn();
  }

  signOut(): Promise<void> {
    this.inFlight.clear();
    return this.source.signOut();
  }
}
