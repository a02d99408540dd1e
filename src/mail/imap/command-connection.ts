/**
 * The account's command connection: an imapflow client for everything but folder listing
 * (selecting a folder, paging, reading, flags, append, IDLE). Logs in with XOAUTH2, trusts the
 * account's CA beside the system's, and reports its conversation to the protocol trace.
 */
import { ImapFlow } from 'imapflow';
import { MailServer, XOAuth2Credentials } from '../server';
import { tlsOptions } from './listing-connection';
import { ImapTrace } from './protocol-trace';

export interface CommandConnectionOptions {
  server: MailServer;
  credentials: XOAuth2Credentials;
  trace: ImapTrace;
  /** Keep the connection for IDLE: start it as soon as the connection is idle. */
  idleQuickly?: boolean;
}

export async function openCommandConnection(options: CommandConnectionOptions): Promise<ImapFlow> {
  const { server, credentials, trace } = options;
  trace.registerSecret(credentials.accessToken);
  const { secureContext, servername } = tlsOptions(server);
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    servername,
    tls: { secureContext, rejectUnauthorized: true },
    auth: { user: credentials.user, accessToken: credentials.accessToken },
    logger: trace.imapflowLogger(),
    clientInfo: { name: 'Exchange Mail for VS Code' },
    disableAutoIdle: !options.idleQuickly,
    autoIdleDelay: options.idleQuickly ? 1000 : undefined,
    // Exchange drops idle sessions after 30 minutes; IDLE is renewed well before.
    maxIdleTime: 10 * 60 * 1000,
  });
  // imapflow reports asynchronous failures as events; without a listener Node would throw them.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
