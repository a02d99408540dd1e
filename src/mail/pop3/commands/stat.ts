import { Pop3Connection } from '../connection';
import { protocolError } from '../failures';

export interface MaildropSize {
  messageCount: number;
  totalBytes: number;
}

/** STAT: `+OK <count> <octets>`. */
export async function stat(connection: Pop3Connection): Promise<MaildropSize> {
  const text = await connection.expectOk('STAT');
  const match = /^(\d+)\s+(\d+)/.exec(text);
  if (!match) throw protocolError(connection.server, 'STAT', connection.redactor.redact(`+OK ${text}`));
  return { messageCount: Number(match[1]), totalBytes: Number(match[2]) };
}
