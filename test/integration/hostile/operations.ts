/**
 * The product's own entry points, as a hostile case calls them: every connection and parser the
 * product owns, with short timeouts through the options it exposes, so that a case ends in
 * about a second whatever the server does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCredentialsSource } from '../../../src/auth/client-credentials-source';
import { IdentityNetwork } from '../../../src/auth/network';
import type { AuthPorts } from '../../../src/auth/ports';
import { secretKeys } from '../../../src/auth/token-source';
import { authenticateImapProbe, connectImapProbe, logoutImapProbe } from '../../../src/diagnostics/probes/imap-probe';
import { authenticateSmtpProbe, connectSmtpProbe, quitSmtpProbe } from '../../../src/diagnostics/probes/smtp-probe';
import { Redactor } from '../../../src/redact';
import { createDraft } from '../../../src/mail/compose/draft';
import { openCommandConnection } from '../../../src/mail/imap/command-connection';
import { FolderLister } from '../../../src/mail/imap/folder-listing';
import { ListedFolder } from '../../../src/mail/imap/folder-model';
import { ListingConnection } from '../../../src/mail/imap/listing-connection';
import type { MessageDocument } from '../../../src/mail/imap/message-document';
import { ImapTrace } from '../../../src/mail/imap/protocol-trace';
import { ImapSession } from '../../../src/mail/imap/session';
import { checkPop3Mailbox, Pop3Options } from '../../../src/mail/pop3';
import { MailServer, silentLog, XOAuth2Credentials } from '../../../src/mail/server';
import { sendMessage } from '../../../src/mail/smtp';
import { throwawayIdentity } from '../../sandbox/certificates';
import { MemorySecrets } from '../../unit/auth/memory-secrets';

/** Silence that ends a wait, and the longest a whole answer may take, in the cases. */
export const SHORT = { silenceMs: 800, deadlineMs: 1500 };

const trace = () => new ImapTrace(silentLog, new Redactor());
const probeOptions = () => ({ log: silentLog, redactor: new Redactor(), connectTimeoutMs: SHORT.silenceMs, replyTimeoutMs: SHORT.silenceMs, replyDeadlineMs: SHORT.deadlineMs });

/** Folder listing over the listing connection (LIST, then the STATUS burst). */
export async function listFolders(server: MailServer, credentials: XOAuth2Credentials): Promise<ListedFolder[]> {
  const connection = await ListingConnection.open({ server, credentials, trace: trace(), timeoutMs: SHORT.silenceMs, deadlineMs: SHORT.deadlineMs });
  try {
    return await new FolderLister(connection, { maxThrottleRounds: 0 }).list();
  } finally {
    await connection.close();
  }
}

/** The command connection's login (imapflow), then LOGOUT. */
export async function commandLogin(server: MailServer, credentials: XOAuth2Credentials): Promise<void> {
  const client = await openCommandConnection({ server, credentials, trace: trace(), timeoutMs: SHORT.silenceMs });
  await client.logout().catch(() => undefined);
}

/** Opening message 1 of INBOX the way the reading tab does: session, command connection, FETCH, parse. */
export async function openMessage(server: MailServer, credentials: XOAuth2Credentials): Promise<MessageDocument> {
  const session = new ImapSession({ server, credentials: async () => credentials, recovery: { reconnects: 0 }, commandDeadlineMs: SHORT.deadlineMs });
  try {
    return await session.openMessage('INBOX', 1);
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** The first page of INBOX (FETCH with ENVELOPE and BODYSTRUCTURE). */
export async function messagePage(server: MailServer, credentials: XOAuth2Credentials): Promise<number> {
  const session = new ImapSession({ server, credentials: async () => credentials, recovery: { reconnects: 0 }, commandDeadlineMs: SHORT.deadlineMs });
  try {
    return (await session.messagePage('INBOX')).messages.length;
  } finally {
    await session.close().catch(() => undefined);
  }
}

export async function imapProbe(server: MailServer, credentials: XOAuth2Credentials): Promise<boolean> {
  const session = await connectImapProbe(server, probeOptions());
  try {
    return (await authenticateImapProbe(session, credentials)).accepted;
  } finally {
    await logoutImapProbe(session).catch(() => undefined);
  }
}

export async function pop3Check(server: MailServer, credentials: XOAuth2Credentials, options: Pop3Options = {}): Promise<number> {
  const summary = await checkPop3Mailbox(server, async () => credentials, silentLog,
    { connectTimeoutMs: SHORT.silenceMs, commandTimeoutMs: SHORT.silenceMs, replyDeadlineMs: SHORT.deadlineMs, ...options });
  return summary.messageCount;
}

export async function smtpSend(server: MailServer, credentials: XOAuth2Credentials): Promise<string> {
  const draft = createDraft({ from: credentials.user, to: 'bob@contoso.test', subject: 'Hostile' }, { text: 'Hello\n', attachments: [] });
  const result = await sendMessage(server, async () => credentials, draft, { connectTimeoutMs: SHORT.deadlineMs, replyTimeoutMs: SHORT.silenceMs, dialogueDeadlineMs: SHORT.deadlineMs });
  return result.response;
}

export async function smtpProbe(server: MailServer, credentials: XOAuth2Credentials): Promise<boolean> {
  const session = await connectSmtpProbe(server, probeOptions());
  try {
    return (await authenticateSmtpProbe(session, credentials)).accepted;
  } finally {
    await quitSmtpProbe(session).catch(() => undefined);
  }
}

/** One POST to the token endpoint through MSAL's network client (node:https with the account's CA). */
export async function tokenRequest(url: string, secret: string): Promise<unknown> {
  const network = new IdentityNetwork({ extraCaPem: throwawayIdentity().ca, timeoutMs: SHORT.silenceMs });
  const response = await network.sendPostRequestAsync(url, {
    body: `grant_type=client_credentials&client_id=app&client_secret=${encodeURIComponent(secret)}&scope=https%3A%2F%2Foutlook.office365.com%2F.default`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return response.body;
}

/** An app-only token through MSAL itself (discovery, then the token endpoint), as a client-credentials account gets one. */
export async function clientCredentialsToken(authorityHost: string, secret: string): Promise<string> {
  const caDir = mkdtempSync(join(tmpdir(), 'hostile-ca-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, throwawayIdentity().ca);
  const secrets = new MemorySecrets();
  const accountId = 'daemon@contoso.test';
  await secrets.store(secretKeys.clientSecret(accountId), secret);
  const ports = { secrets, log: silentLog } as unknown as AuthPorts;
  const source = new ClientCredentialsSource({
    accountId, address: accountId, mode: 'client-credentials', clientId: '00000000-0000-0000-0000-00000000d0e1', tenant: 'contoso.test',
    authorityHost, delegatedResource: 'https://outlook.office.com',
    appOnlyResources: { imapPop: 'https://ps.outlook.com', smtp: 'https://outlook.office365.com' },
    protocols: ['smtp'], caFile, credential: 'secret', vscodeProvider: 'microsoft',
  }, ports, { requestTimeoutMs: SHORT.silenceMs });
  return (await source.getToken({ protocol: 'smtp', interactive: false })).accessToken;
}
