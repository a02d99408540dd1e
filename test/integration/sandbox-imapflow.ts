/** imapflow on the layer's sandbox (its Exchange IMAP front), for tests that read back what their action left in a mailbox. */
import type { ImapFlow } from 'imapflow';
import { XOAuth2Credentials } from '../../src/mail/server';
import { withSandboxImapflow } from '../sandbox/imapflow-client';
import { sandbox } from './sandbox';

export function withImapflow<T>(credentials: XOAuth2Credentials, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  return withSandboxImapflow(sandbox().info, credentials, use);
}
