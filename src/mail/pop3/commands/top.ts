import { Pop3Connection } from '../connection';

/** TOP n m: the message's header and the first `bodyLines` lines of its body, as raw bytes (CRLF lines). */
export async function top(connection: Pop3Connection, messageNumber: number, bodyLines = 0): Promise<Buffer> {
  const { lines } = await connection.expectData(`TOP ${messageNumber} ${bodyLines}`);
  return Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\r\n')]));
}
