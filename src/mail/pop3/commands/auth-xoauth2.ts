import { XOAuth2Credentials } from '../../server';
import { Pop3Connection } from '../connection';
import { protocolError } from '../failures';
import { describeFailureChallenge, xoauth2Response } from '../../net/xoauth2';

export type AuthResult =
  | { accepted: true; text: string }
  /** `text` is the server's `-ERR` text; `challenge` the decoded failure continuation, if one came. */
  | { accepted: false; text: string; challenge?: string };

const STEP = 'AUTH XOAUTH2';

/**
 * One AUTH XOAUTH2 attempt, always in two steps: `AUTH XOAUTH2`, the server's empty `+ `
 * challenge, then the response. Exchange Online refuses the response on the AUTH line (RFC 5034
 * allows it) with `-ERR Protocol error. Connection is closed. 10`. A `+ <base64 JSON>` after the
 * response is XOAUTH2's failure report: answered with an empty line, as the mechanism requires,
 * after which the server sends its `-ERR`.
 */
export async function authXoauth2(connection: Pop3Connection, credentials: XOAuth2Credentials): Promise<AuthResult> {
  connection.redactor.register(credentials.accessToken);
  const response = xoauth2Response(connection.tokenChannel, credentials);
  connection.send('AUTH XOAUTH2', STEP);
  const ready = await connection.readStatus();
  if (ready.kind === 'err') return { accepted: false, text: ready.text };
  if (ready.kind === 'ok') throw protocolError(connection.server, STEP, `+OK ${ready.text}`);
  connection.send(response, STEP);
  const reply = await connection.readStatus();
  if (reply.kind === 'ok') return { accepted: true, text: reply.text };
  if (reply.kind === 'err') return { accepted: false, text: reply.text };
  connection.send('', STEP);
  const final = await connection.readStatus();
  if (final.kind === 'continue') throw protocolError(connection.server, STEP, `+ ${final.text}`);
  const challenge = reply.text ? describeFailureChallenge(reply.text) : undefined;
  return final.kind === 'ok' ? { accepted: true, text: final.text } : { accepted: false, text: final.text, challenge };
}
