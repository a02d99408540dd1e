/**
 * imapflow on a sandbox's Exchange IMAP front, for tests that read back what their action left in
 * a mailbox, straight from the server: connect, use, log out.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { ParsedMail, simpleParser } from 'mailparser';
import type { XOAuth2Credentials } from '../../src/mail/server';
import { eventually } from '../eventually';
import type { Sandbox, SandboxInfo } from './index';

export function withSandboxImapflow<T>(info: SandboxInfo, credentials: XOAuth2Credentials, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const { host, port } = info.imap.exchange;
  return withImapflowAt({ host, port, ca: readFileSync(info.caFile, 'utf8') }, credentials, use);
}

/** `use` with a client of `user`'s mailbox of its own, straight to the sandbox's Exchange IMAP (not through the extension). */
export function withMailbox<T>(box: Sandbox, user: string, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const accessToken = box.identity.control.mintAccessToken({ upn: user, unique_name: user }, { user });
  return withSandboxImapflow(box.info, { user, accessToken }, use);
}

/** The message of this subject in `user`'s Inbox once it has arrived, parsed. */
export function arrivedInInbox(box: Sandbox, user: string, subject: string): Promise<ParsedMail> {
  return eventually(`"${subject}" in ${user}'s Inbox`, () => withMailbox(box, user, async (client) => {
    await client.mailboxOpen('INBOX', { readOnly: true });
    const uids = await client.search({ subject }, { uid: true });
    if (!Array.isArray(uids) || uids.length === 0) return undefined;
    const fetched = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
    return fetched && fetched.source ? simpleParser(fetched.source) : undefined;
  }));
}

/** The same on any of the sandbox's IMAP servers, given its address and the CA (PEM) that signed its certificate. */
export async function withImapflowAt<T>(server: { host: string; port: number; ca: string }, credentials: XOAuth2Credentials,
  use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: server.host, port: server.port, secure: true, tls: { ca: server.ca }, auth: credentials, logger: false });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}

/** Which of `paths` hold a message whose subject contains `subject`, read through `client`. */
export async function foldersHolding(client: ImapFlow, subject: string, paths: readonly string[]): Promise<string[]> {
  const holding: string[] = [];
  for (const path of paths) {
    const lock = await client.getMailboxLock(path);
    try {
      const uids = await client.search({ subject }, { uid: true });
      if (Array.isArray(uids) && uids.length) holding.push(path);
    } finally {
      lock.release();
    }
  }
  return holding;
}
