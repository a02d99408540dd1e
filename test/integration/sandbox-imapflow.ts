/**
 * imapflow on the layer's sandbox (its Exchange IMAP front), for tests that read back what
 * their action left in a mailbox: connect, use, log out.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { XOAuth2Credentials } from '../../src/mail/server';
import { sandbox } from './sandbox';

export async function withImapflow<T>(credentials: XOAuth2Credentials, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const { host, port } = sandbox().info.imap.exchange;
  const client = new ImapFlow({ host, port, secure: true, tls: { ca: readFileSync(sandbox().info.caFile) }, auth: credentials, logger: false });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}
