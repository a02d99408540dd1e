/**
 * "Exchange Mail: Check POP3 Mailbox": how many messages, how large, and which is the newest,
 * in one short session that changes nothing in the mailbox.
 */
import { isExplained } from '../../errors';
import { CredentialsProvider, MailLog, MailServer, silentLog } from '../server';
import { stat } from './commands/stat';
import { top } from './commands/top';
import { uidlOne } from './commands/uidl';
import { Pop3Connection, Pop3Options } from './connection';
import { summarizeHeader } from './message-summary';
import { authenticatePop3, connectPop3, quitPop3 } from './steps';

export interface NewestMessage {
  /** Its message number in that session; the highest number is the latest arrival. */
  number: number;
  uid?: string;
  subject?: string;
  from?: string;
}

export interface Pop3MailboxSummary {
  messageCount: number;
  totalBytes: number;
  newest?: NewestMessage;
}

/** UIDL and TOP are optional in POP3: a server without them still gives count and size. */
async function optional<T>(what: string, log: MailLog, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!isExplained(error) || error.code !== 'server-refused') throw error;
    log.debug(`POP3 ${what} not available: ${error.detail ?? error.message}`);
    return undefined;
  }
}

async function describeNewest(connection: Pop3Connection, number: number, log: MailLog): Promise<NewestMessage> {
  const uid = await optional('UIDL', log, () => uidlOne(connection, number));
  const header = await optional('TOP', log, () => top(connection, number, 0));
  const summary = header ? await summarizeHeader(header) : {};
  return { number, uid: uid?.uid, ...summary };
}

export async function checkPop3Mailbox(server: MailServer, credentials: CredentialsProvider, log: MailLog = silentLog,
  options: Omit<Pop3Options, 'log'> = {}): Promise<Pop3MailboxSummary> {
  const connected = await connectPop3(server, { ...options, log });
  await authenticatePop3(connected, credentials);
  const { connection } = connected;
  let summary: Pop3MailboxSummary;
  try {
    const size = await stat(connection);
    const newest = size.messageCount > 0 ? await describeNewest(connection, size.messageCount, log) : undefined;
    summary = { ...size, newest };
  } catch (error) {
    connection.close();
    throw error;
  }
  try {
    await quitPop3(connection);
  } catch (error) {
    // The answer is complete; a failed goodbye does not change it.
    log.warn(`POP3 QUIT failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return summary;
}
