import * as assert from 'node:assert/strict';
import { ExplainedError } from '../../../src/errors';
import { silentLog, XOAuth2Credentials } from '../../../src/mail/server';
import { ConnectionSlot } from '../../../src/mail/imap/connection-slot';
import { CommandFailedError, ConnectionLostError, explainFailure, LoginRefusedError } from '../../../src/mail/imap/failures';
import { RecoveryPolicy, withRecovery } from '../../../src/mail/imap/recovery';

const SERVER = { host: 'outlook.office365.com', port: 993, security: 'tls' as const };

class FakeConnection {
  usable = true;
  constructor(readonly token: string) {}
  close(): void {
    this.usable = false;
  }
}

/** Tokens "t1", "t2", …; `renew` is recorded so tests see when a fresh one was asked for. */
function fakeAccount(refuse: (token: string) => boolean = () => false) {
  let issued = 0;
  const requests: boolean[] = [];
  const opened: FakeConnection[] = [];
  const credentials = async (options?: { renew?: boolean }): Promise<XOAuth2Credentials> => {
    requests.push(Boolean(options?.renew));
    return { user: 'alice@contoso.test', accessToken: `t${++issued}` };
  };
  const slot = new ConnectionSlot<FakeConnection>('command', async (c) => {
    if (refuse(c.accessToken)) throw new LoginRefusedError('NO AUTHENTICATE failed.');
    const connection = new FakeConnection(c.accessToken);
    opened.push(connection);
    return connection;
  }, credentials, silentLog);
  return { slot, requests, opened };
}

function policy(waits: number[] = []): RecoveryPolicy {
  return { reconnects: 1, throttleWaits: 3, maxBackoffMs: 30_000, sleep: async (ms) => { waits.push(ms); } };
}

const explain = (step: string, error: unknown) => explainFailure(SERVER, step, error);

function exchangeBye(): Error {
  return Object.assign(new Error('Connection not available'), { code: 'NoConnection', reason: 'Session invalidated - AccessTokenExpired' });
}

describe('IMAP session recovery', () => {
  it('"User is authenticated but not connected" is explained as a mailbox Exchange cannot open, not as a lost network, and not retried', async () => {
    const { slot, opened } = fakeAccount();
    let calls = 0;
    const failure = withRecovery(slot, 'listing folders', async () => {
      calls++;
      throw new CommandFailedError('CAPABILITY', 'BAD', 'User is authenticated but not connected.');
    }, explain, silentLog, policy());
    const error = await failure.then(() => undefined, (e: unknown) => e as ExplainedError);
    assert.deepEqual([error?.code, calls, opened.length, /network/i.test(`${error?.message} ${error?.fix}`)], ['mailbox-not-connected', 1, 1, false]);
  });

  it('recognises "not connected" also when imapflow wraps it in a closed-connection error', () => {
    const wrapped = Object.assign(new Error('Connection not available'), { code: 'NoConnection',
      cause: Object.assign(new Error('Command failed'), { responseText: 'User is authenticated but not connected.' }) });
    assert.equal(explainFailure(SERVER, 'connecting', wrapped).code, 'mailbox-not-connected');
  });

  it('after BYE AccessTokenExpired reconnects with a new token and retries the command, without the user', async () => {
    const { slot, requests } = fakeAccount();
    let calls = 0;
    const result = await withRecovery(slot, 'listing folders', async (c) => {
      if (calls++ === 0) throw exchangeBye();
      return c.token;
    }, explain, silentLog, policy());
    assert.deepEqual([result, requests], ['t2', [false, true]]);
  });

  it('after a dropped connection reconnects with the same kind of token request', async () => {
    const { slot, requests } = fakeAccount();
    let calls = 0;
    await withRecovery(slot, 'paging', async () => {
      if (calls++ === 0) throw new ConnectionLostError('the server closed the connection');
    }, explain, silentLog, policy());
    assert.deepEqual(requests, [false, false]);
  });

  it('gives up after one reconnect with an error that offers Retry', async () => {
    const { slot } = fakeAccount();
    await assert.rejects(withRecovery(slot, 'paging', async () => { throw new ConnectionLostError('gone'); }, explain, silentLog, policy()),
      (error: ExplainedError) => error.code === 'connection-lost' && error.actions.includes('retry'));
  });

  it('waits the back-off a throttled reply suggests, then succeeds', async () => {
    const { slot } = fakeAccount();
    const waits: number[] = [];
    let calls = 0;
    const throttledError = Object.assign(new Error('throttled'), { responseText: 'Request is throttled. Suggested Backoff Time: 1200 milliseconds' });
    const result = await withRecovery(slot, 'paging', async () => {
      if (calls++ === 0) throw throttledError;
      return 'page';
    }, explain, silentLog, policy(waits));
    assert.deepEqual([result, waits], ['page', [1200]]);
  });

  it('renews a refused token once, and asks the user to sign in when the new one is refused too', async () => {
    const { slot, requests } = fakeAccount(() => true);
    await assert.rejects(withRecovery(slot, 'connecting', async () => 'never', explain, silentLog, policy()),
      (error: ExplainedError) => error.code === 'auth-failed' && error.actions.includes('signIn'));
    assert.deepEqual(requests, [false, true]);
  });

  it('a refused cached token followed by a good new one just works', async () => {
    const { slot } = fakeAccount((token) => token === 't1');
    assert.equal(await withRecovery(slot, 'connecting', async (c) => c.token, explain, silentLog, policy()), 't2');
  });

  it('reuses one connection across commands', async () => {
    const { slot, opened } = fakeAccount();
    for (let i = 0; i < 3; i++) await withRecovery(slot, 'paging', async () => undefined, explain, silentLog, policy());
    assert.equal(opened.length, 1);
  });

  it('names host:port when the server cannot be reached, and the CA file when its certificate is not trusted', () => {
    const refused = explainFailure(SERVER, 'connecting', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const untrusted = explainFailure(SERVER, 'connecting', Object.assign(new Error('self-signed'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }));
    assert.deepEqual([refused.code, refused.message.includes('outlook.office365.com:993'), untrusted.code, /CA file/.test(untrusted.message)],
      ['unreachable', true, 'tls-untrusted', true]);
  });
});
