/**
 * The account's command connection: an imapflow client for everything but folder listing
 * (selecting a folder, paging, reading, flags, append, IDLE). Logs in with XOAUTH2, trusts the
 * account's CA beside the system's, and reports its conversation to the protocol trace.
 */
import { ImapFlow } from 'imapflow';
import { MailServer, serverAddress, XOAuth2Credentials } from '../server';
import { tlsOptions } from '../net/connect';
import { bearerTokenFor, channelOf } from '../net/xoauth2';
import { ImapTrace } from './protocol-trace';

export interface CommandConnectionOptions {
  server: MailServer;
  credentials: XOAuth2Credentials;
  trace: ImapTrace;
  /** Keep the connection for IDLE: start it as soon as the connection is idle. */
  idleQuickly?: boolean;
  /** Connecting, the greeting, and silence under a command, each (imapflow's defaults: 90 s, 16 s, 5 min). */
  timeoutMs?: number;
}

/** Largest response imapflow may buffer: above Exchange Online's 150 MB message limit would be pointless, and the size of a message is what a FETCH BODY[] carries. */
const MAX_RESPONSE_BYTES = 160 * 1024 * 1024;
/** Longest line outside literals: Exchange's long lines are FETCH summaries of a few KiB. */
const MAX_LINE_BYTES = 1024 * 1024;

export async function openCommandConnection(options: CommandConnectionOptions): Promise<ImapFlow> {
  const { server, credentials, trace } = options;
  trace.registerSecret(credentials.accessToken);
  const tls = tlsOptions(server);
  const client: ImapFlow = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    // STARTTLS is required, never opportunistic: without it imapflow would log in in clear.
    doSTARTTLS: server.security === 'starttls' ? true : undefined,
    servername: tls.servername,
    tls,
    auth: {
      user: credentials.user,
      // Read by imapflow when it authenticates: the token rule checks the socket at that moment.
      get accessToken() {
        return bearerTokenFor(channelOf((client as unknown as { socket?: unknown }).socket, `IMAP server ${serverAddress(server)}`), credentials);
      },
    },
    logger: trace.imapflowLogger(),
    clientInfo: { name: 'Exchange Mail for VS Code' },
    disableAutoIdle: !options.idleQuickly,
    autoIdleDelay: options.idleQuickly ? 1000 : undefined,
    // Exchange drops idle sessions after 30 minutes; IDLE is renewed well before.
    maxIdleTime: 10 * 60 * 1000,
    maxLineLength: MAX_LINE_BYTES,
    maxResponseSize: MAX_RESPONSE_BYTES,
    maxLiteralSize: MAX_RESPONSE_BYTES,
    ...(options.timeoutMs ? { connectionTimeout: options.timeoutMs, greetingTimeout: options.timeoutMs, socketTimeout: options.timeoutMs } : {}),
  });
  // imapflow reports asynchronous failures as events; without a listener Node would throw them.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
