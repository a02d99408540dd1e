import { Pop3Connection } from '../connection';
import { protocolError } from '../failures';

export interface MessageSize {
  /** The message number in this session (1-based). */
  number: number;
  bytes: number;
}

function parse(connection: Pop3Connection, line: string): MessageSize {
  const match = /^(\d+)\s+(\d+)/.exec(line);
  if (!match) throw protocolError(connection.server, 'LIST', connection.redactor.redact(line));
  return { number: Number(match[1]), bytes: Number(match[2]) };
}

/** LIST: every message's size. */
export async function list(connection: Pop3Connection): Promise<MessageSize[]> {
  const { lines } = await connection.expectData('LIST');
  return lines.map((line) => parse(connection, line.toString('utf8')));
}

/** LIST n: one message's size. */
export async function listOne(connection: Pop3Connection, messageNumber: number): Promise<MessageSize> {
  return parse(connection, await connection.expectOk(`LIST ${messageNumber}`));
}
