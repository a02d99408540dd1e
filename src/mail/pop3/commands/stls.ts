import { Pop3Connection } from '../connection';
import { stlsUnavailable } from '../failures';

/** STLS (RFC 2595): asks for TLS on the plain connection and performs the handshake. */
export async function stls(connection: Pop3Connection): Promise<void> {
  connection.send('STLS');
  const status = await connection.readStatus();
  if (status.kind !== 'ok') throw stlsUnavailable(connection.server, `STLS -> ${status.kind === 'err' ? '-ERR' : '+'} ${status.text}`);
  await connection.upgradeToTls();
}
