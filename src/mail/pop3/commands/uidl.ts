import { Pop3Connection } from '../connection';
import { protocolError } from '../failures';

export interface MessageUid {
  /** The message number in this session (1-based). */
  number: number;
  /** The server's unique id, stable across sessions. */
  uid: string;
}

function parse(connection: Pop3Connection, line: string): MessageUid {
  const match = /^(\d+)\s+(\S+)/.exec(line);
  if (!match) throw protocolError(connection.server, 'UIDL', connection.redactor.redact(line));
  return { number: Number(match[1]), uid: match[2]! };
}

/** UIDL: every message's unique id. */
export async function uidl(connection: Pop3Connection): Promise<MessageUid[]> {
  const { lines } = await connection.expectData('UIDL');
  return lines.map((line) => parse(connection, line.toString('utf8')));
}

/** UIDL n: one message's unique id. */
export async function uidlOne(connection: Pop3Connection, messageNumber: number): Promise<MessageUid> {
  return parse(connection, await connection.expectOk(`UIDL ${messageNumber}`));
}
