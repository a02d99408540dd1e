import { Pop3Connection } from '../connection';

/** QUIT: ends the session (and commits deletions, of which this client makes none), then closes. */
export async function quit(connection: Pop3Connection): Promise<void> {
  try {
    await connection.expectOk('QUIT');
  } finally {
    connection.close();
  }
}
