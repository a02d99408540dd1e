import { Pop3Capabilities, parseCapabilities, UNKNOWN_CAPABILITIES } from '../capabilities';
import { Pop3Connection } from '../connection';

/** CAPA; a server without it (`-ERR`) is taken as knowing only RFC 1939, not as a failure. */
export async function capa(connection: Pop3Connection): Promise<Pop3Capabilities> {
  connection.send('CAPA');
  const status = await connection.readStatus();
  if (status.kind !== 'ok') return UNKNOWN_CAPABILITIES;
  const lines = await connection.readDataLines();
  return parseCapabilities(lines.map((line) => line.toString('utf8')));
}
