/**
 * What the user sees when the IMAP server goes away under an open session, and what they do
 * not have to do when their token expires mid-session. Exchange profile.
 */
import * as assert from 'node:assert/strict';
import { ExplainedError } from '../../src/errors';
import { ImapSession } from '../../src/mail/imap/session';
import { BULK_FOLDER } from '../sandbox/mail/mailbox-layout';
import { ALICE, cachedCredentials, ImapSandbox, imapSandbox, recordingLog } from './imap-sandbox';
import { TcpProxy } from './imap-tcp-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IMAP faults (exchange profile)', function () {
  this.timeout(60_000);
  let sandbox: ImapSandbox;

  before(async () => {
    sandbox = imapSandbox();
  });

  it('a server stopped under an open session gives an error with Retry, and Retry works once it is back', async () => {
    const proxy = new TcpProxy(sandbox.servers.imap.exchange);
    const port = await proxy.start();
    const session = new ImapSession({ server: { ...sandbox.server('exchange'), port }, credentials: cachedCredentials(sandbox), log: recordingLog() });
    try {
      await session.listFolders();
      await session.messagePage('INBOX');
      await proxy.stop();
      const failures = await Promise.allSettled([session.listFolders(), session.messagePage(BULK_FOLDER)]);
      for (const failure of failures) {
        assert.equal(failure.status, 'rejected');
        const error = (failure as PromiseRejectedResult).reason as ExplainedError;
        assert.ok(error instanceof ExplainedError, String(error));
        assert.deepEqual([error.code, error.actions.includes('retry'), error.message.includes(`127.0.0.1:${port}`)], ['unreachable', true, true]);
      }
      await proxy.start();
      const [tree, page] = await Promise.all([session.listFolders(), session.messagePage(BULK_FOLDER)]);
      assert.deepEqual([tree.get('INBOX')?.openable, page.messages.length], [true, 50]);
    } finally {
      await session.close();
      await proxy.stop();
    }
  });

  it('a server restarted between two commands is reconnected to without an error', async () => {
    const proxy = new TcpProxy(sandbox.servers.imap.exchange);
    const port = await proxy.start();
    const log = recordingLog();
    const session = new ImapSession({ server: { ...sandbox.server('exchange'), port }, credentials: cachedCredentials(sandbox), log });
    try {
      await session.connect();
      await proxy.stop();
      await proxy.start();
      const [tree, page] = await Promise.all([session.listFolders(), session.messagePage('INBOX')]);
      assert.deepEqual([tree.get('Sent Items')?.specialUse, page.messages.length > 0], ['sent', true]);
      assert.ok(log.events.some((e) => /reconnecting/.test(e)));
    } finally {
      await session.close();
      await proxy.stop();
    }
  });

  it('an access token that expires mid-session is replaced by a new one, without the user doing anything', async () => {
    const credentials = cachedCredentials(sandbox, 3);
    const log = recordingLog();
    const session = new ImapSession({ server: sandbox.server('exchange'), credentials, log });
    try {
      await session.listFolders();
      await session.messagePage('INBOX');
      await sleep(3500);
      // Exchange ends the session at the next command once the token has expired; the
      // sandbox's Exchange front does so on demand (Dovecot checks exp only at login).
      sandbox.servers.faults.add({ user: ALICE, fault: { kind: 'imap-token-expired' } });
      const [tree, page] = await Promise.all([session.listFolders(), session.messagePage(BULK_FOLDER)]);
      assert.deepEqual([tree.get('INBOX')?.openable, page.messages.length], [true, 50]);
      assert.ok(credentials.requests.includes(true), `no fresh token was asked for: ${JSON.stringify(credentials.requests)}`);
      assert.deepEqual(sandbox.servers.faults.list(), [], 'the session never met the expired token');
    } finally {
      await session.close();
    }
  });

  it('a token the server refuses even when renewed asks the user to sign in', async () => {
    const session = new ImapSession({
      server: sandbox.server('exchange'),
      credentials: async () => ({ user: 'alice@contoso.test', accessToken: sandbox.mintToken(-60) }),
      log: recordingLog(),
    });
    try {
      await assert.rejects(session.listFolders(), (error: ExplainedError) => error.code === 'auth-failed' && error.actions.includes('signIn'));
    } finally {
      await session.close();
    }
  });

  it('a server whose certificate the account does not trust is explained as such', async () => {
    const session = new ImapSession({ server: { ...sandbox.server('exchange'), ca: undefined }, credentials: cachedCredentials(sandbox), log: recordingLog() });
    try {
      await assert.rejects(session.listFolders(), (error: ExplainedError) => error.code === 'tls-untrusted' && /CA file/.test(error.message));
    } finally {
      await session.close();
    }
  });
});
