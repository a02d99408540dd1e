import * as assert from 'node:assert/strict';
import { SharedRequests } from '../../../src/auth/shared-requests';
import type { AccessToken, TokenRequest, TokenSource } from '../../../src/auth/token-source';
import { authSettings } from './fakes';

/** A source that answers when told to, counting the requests it got. */
class SlowSource implements TokenSource {
  readonly mode = 'client-credentials' as const;
  readonly requests: TokenRequest[] = [];
  private waiting: (() => void)[] = [];

  getToken(request: TokenRequest): Promise<AccessToken> {
    this.requests.push(request);
    const n = this.requests.length;
    return new Promise((resolve) => this.waiting.push(() => resolve({ accessToken: `t${n}`, user: 'shared@contoso.test', expiresOn: new Date(), scopes: [] })));
  }

  answer(): void {
    this.waiting.splice(0).forEach((go) => go());
  }

  async isSignedIn() { return true; }
  async signOut() {}
}

describe('token requests: one in flight per need', () => {
  it('three connections asking at once for the same token make one request and get the same token', async () => {
    const source = new SlowSource();
    const shared = new SharedRequests(source, authSettings({ mode: 'client-credentials' }));
    const asked = [1, 2, 3].map(() => shared.getToken({ protocol: 'imap', interactive: false }));
    source.answer();
    const tokens = await Promise.all(asked);
    assert.deepEqual([source.requests.length, tokens.map((t) => t.accessToken)], [1, ['t1', 't1', 't1']]);
  });

  it('app-only IMAP and POP3 share a scope and so a request; SMTP, a refresh and a later need each make their own', async () => {
    const source = new SlowSource();
    const shared = new SharedRequests(source, authSettings({ mode: 'client-credentials' }));
    const first = [
      shared.getToken({ protocol: 'imap', interactive: false }), shared.getToken({ protocol: 'pop3', interactive: false }),
      shared.getToken({ protocol: 'smtp', interactive: false }), shared.getToken({ protocol: 'imap', interactive: false, forceRefresh: true }),
    ];
    source.answer();
    await Promise.all(first);
    const later = shared.getToken({ protocol: 'imap', interactive: false });
    source.answer();
    await later;
    assert.equal(source.requests.length, 4);
  });

  it('a request the caller can cancel is its own', async () => {
    const source = new SlowSource();
    const shared = new SharedRequests(source, authSettings());
    const asked = [shared.getToken({ protocol: 'imap', interactive: true, signal: new AbortController().signal }), shared.getToken({ protocol: 'imap', interactive: true })];
    source.answer();
    await Promise.all(asked);
    assert.equal(source.requests.length, 2);
  });
});
