/**
 * imapflow on a sandbox's Exchange IMAP front, for tests that read back what their action left in
 * a mailbox, straight from the server: connect, use, log out.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { XOAuth2Credentials } from '../../src/mail/server';
import type { SandboxInfo } from './index';

export async function withSandboxImapflow<T>(info: SandboxInfo, credentials: XOAuth2Credentials, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const { host, port } = info.imap.exchange;
  const client = new ImapFlow({ host, port, secure: true, tls: { ca: readFileSync(info.caFile) }, auth: credentials, logger: false });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}
