import { XOAuth2Credentials } from '../../server';
import { Pop3Connection } from '../connection';
import { protocolError } from '../failures';
import { describeFailureChallenge, xoauth2Response } from '../../xoauth2';

export type AuthResult =
  | { accepted: true; text: string }
  /** `text` is the server's `-ERR` text; `challenge` the decoded failure continuation, if one came. */
  | { accepted: false; text: string; challenge?: string };

/** RFC 5034: an AUTH command with its initial response must fit in 255 octets, CRLF included. */
const MAX_AUTH_LINE = 255;
const STEP = 'AUTH XOAUTH2';

/**
 * One AUTH XOAUTH2 attempt. The response goes on the AUTH line when it fits there (rarely: real
 * tokens are far longer), otherwise after the server's empty `+ ` challenge. A `+ <base64 JSON>`
 * after the response is XOAUTH2's failure report: answered with an empty line, as the mechanism
 * requires, after which the server sends its `-ERR`.
 */
export async function authXoauth2(connection: Pop3Connection, credentials: XOAuth2Credentials): Promise<AuthResult> {
  connection.redactor.register(credentials.accessToken);
  const response = xoauth2Response(connection.tokenChannel, credentials);
  const withInitialResponse = `AUTH XOAUTH2 ${response}`;
  if (Buffer.byteLength(withInitialResponse) + 2 <= MAX_AUTH_LINE) {
    connection.send(withInitialResponse, STEP);
  } else {
    connection.send('AUTH XOAUTH2', STEP);
    const challenge = await connection.readStatus();
    if (challenge.kind === 'err') return { accepted: false, text: challenge.text };
    if (challenge.kind === 'ok') throw protocolError(connection.server, STEP, `+OK ${challenge.text}`);
    connection.send(response, STEP);
  }
  const reply = await connection.readStatus();
  if (reply.kind === 'ok') return { accepted: true, text: reply.text };
  if (reply.kind === 'err') return { accepted: false, text: reply.text };
  connection.send('', STEP);
  const final = await connection.readStatus();
  if (final.kind === 'continue') throw protocolError(connection.server, STEP, `+ ${final.text}`);
  const challenge = reply.text ? describeFailureChallenge(reply.text) : undefined;
  return final.kind === 'ok' ? { accepted: true, text: final.text } : { accepted: false, text: final.text, challenge };
}
