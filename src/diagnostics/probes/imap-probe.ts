/**
 * A minimal IMAP conversation for Test Connection, one step at a time, keeping the server's exact
 * words: connect (TLS or STARTTLS) with greeting and CAPABILITY, AUTHENTICATE XOAUTH2 (SASL-IR
 * when advertised) followed by one harmless STATUS (Exchange only says "User is authenticated but
 * not connected" at the first command after a successful login), and LOGOUT. Each line is read
 * by the product's IMAP response parser (mail/imap/response-parser).
 */
import { ImapResponse, parseResponse } from '../../mail/imap/response-parser';
import type { MailServer, XOAuth2Credentials } from '../../mail/server';
import { xoauth2Response } from '../../mail/net/xoauth2';
import { LineChannel, ProbeOptions } from './line-channel';
import { ProbeError } from './probe-error';

export interface ImapProbeSession {
  channel: LineChannel;
  greeting: string;
  capabilities: string[];
  nextTag: number;
}

export type ProbeAuthResult =
  | { accepted: true; reply: string }
  /** `reply` is the server's refusal without the tag, e.g. `NO AUTHENTICATE failed.`, or an untagged `* BYE …`. */
  | { accepted: false; reply: string };

/** An untagged reply, as the server wrote it and as the parser read it. */
interface Untagged {
  line: string;
  response: ImapResponse;
}

interface Tagged {
  status: 'OK' | 'NO' | 'BAD';
  /** The line without its tag: `NO AUTHENTICATE failed.` */
  text: string;
  untagged: Untagged[];
}

function tag(session: ImapProbeSession): string {
  return `A${session.nextTag++}`;
}

/** One line read by the IMAP response parser (mail/imap); undefined for a line it cannot read, which is not IMAP. */
function parseLine(line: string): ImapResponse | undefined {
  try {
    return parseResponse(Buffer.from(line, 'utf8'));
  } catch {
    return undefined;
  }
}

const isBye = (response: ImapResponse) => response.kind === 'status' && response.tag === '*' && response.status === 'BYE';

/** Reads up to the tagged reply of `t`; a `* BYE` followed by a hang-up is a refusal too. */
async function readTagged(session: ImapProbeSession, t: string, onContinuation?: (line: string) => void): Promise<Tagged> {
  const untagged: Untagged[] = [];
  for (;;) {
    let line: string;
    try {
      line = await session.channel.readLine();
    } catch (error) {
      // The server's last word is kept whole: `* BYE Session invalidated - AccessTokenExpired`.
      const bye = untagged.find((u) => isBye(u.response));
      if (bye && error instanceof ProbeError && error.kind === 'connection-dropped') return { status: 'NO', text: bye.line, untagged };
      throw error;
    }
    const response = parseLine(line);
    if (!response) throw new ProbeError('protocol-error', `not an IMAP reply to ${t}: ${line}`, line);
    if (response.kind === 'continuation') {
      if (!onContinuation) throw new ProbeError('protocol-error', `unexpected continuation: ${line}`, line);
      onContinuation(line);
      continue;
    }
    if (response.kind === 'data' || response.tag === '*') {
      untagged.push({ line, response });
      continue;
    }
    if (response.tag !== t || response.status === 'BYE' || response.status === 'PREAUTH') {
      throw new ProbeError('protocol-error', `not an IMAP reply to ${t}: ${line}`, line);
    }
    const text = `${response.status} ${response.code === undefined ? '' : `[${response.code}] `}${response.text}`.trim();
    return { status: response.status, text, untagged };
  }
}

function capabilitiesFrom(untagged: Untagged[]): string[] | undefined {
  const data = untagged.map((u) => u.response).find((r) => r.kind === 'data' && r.name === 'CAPABILITY');
  return data?.kind === 'data' ? data.args.filter((a): a is string => typeof a === 'string').map((c) => c.toUpperCase()) : undefined;
}

async function capability(session: ImapProbeSession): Promise<string[]> {
  const t = tag(session);
  session.channel.send(`${t} CAPABILITY`);
  const reply = await readTagged(session, t);
  if (reply.status !== 'OK') throw new ProbeError('server-refused', `CAPABILITY refused: ${reply.text}`, reply.text);
  return capabilitiesFrom(reply.untagged) ?? [];
}

/** Connects, reads the greeting and the capabilities (after STARTTLS for `starttls`). */
export async function connectImapProbe(server: MailServer, options: ProbeOptions): Promise<ImapProbeSession> {
  const channel = await LineChannel.open('IMAP', server, server.security === 'tls', options);
  try {
    const greeting = await channel.readLine(options.connectTimeoutMs ?? 15_000);
    const greeted = parseLine(greeting);
    if (greeted && isBye(greeted)) throw new ProbeError('server-refused', `the server refused the connection: ${greeting}`, greeting);
    if (greeted?.kind !== 'status' || greeted.tag !== '*' || (greeted.status !== 'OK' && greeted.status !== 'PREAUTH')) {
      throw new ProbeError('bad-greeting', `not an IMAP greeting: ${greeting}`, greeting);
    }
    const session: ImapProbeSession = { channel, greeting, capabilities: [], nextTag: 1 };
    session.capabilities = await capability(session);
    if (server.security === 'starttls') {
      if (!session.capabilities.includes('STARTTLS')) throw new ProbeError('starttls-unavailable', 'the server does not offer STARTTLS');
      const t = tag(session);
      channel.send(`${t} STARTTLS`);
      const reply = await readTagged(session, t);
      if (reply.status !== 'OK') throw new ProbeError('starttls-unavailable', `STARTTLS refused: ${reply.text}`, reply.text);
      await channel.startTls();
      session.capabilities = await capability(session);
    }
    return session;
  } catch (error) {
    channel.close();
    throw error;
  }
}

/**
 * AUTHENTICATE XOAUTH2, answering a failure continuation (`+ <base64 JSON>`) with an empty line
 * as the mechanism asks; after an OK, one STATUS INBOX to see whether the mailbox opens.
 */
export async function authenticateImapProbe(session: ImapProbeSession, credentials: XOAuth2Credentials): Promise<ProbeAuthResult> {
  const { channel, capabilities } = session;
  if (!capabilities.includes('AUTH=XOAUTH2')) {
    throw new ProbeError('xoauth2-unavailable', `the server offers ${capabilities.filter((c) => c.startsWith('AUTH=')).join(' ') || 'no SASL mechanism'}`);
  }
  const response = xoauth2Response(channel.tokenChannel, credentials);
  channel.registerSecret(credentials.accessToken);
  const t = tag(session);
  const initialResponse = capabilities.includes('SASL-IR');
  channel.send(initialResponse ? `${t} AUTHENTICATE XOAUTH2 ${response}` : `${t} AUTHENTICATE XOAUTH2`);
  let responded = initialResponse;
  const reply = await readTagged(session, t, () => {
    channel.send(responded ? '' : response);
    responded = true;
  });
  if (reply.status !== 'OK') return { accepted: false, reply: reply.text };
  const check = tag(session);
  channel.send(`${check} STATUS INBOX (MESSAGES)`);
  const status = await readTagged(session, check);
  if (status.status !== 'OK') return { accepted: false, reply: status.text };
  return { accepted: true, reply: reply.text };
}

/** LOGOUT and close; the connection is closed whatever the server answers. */
export async function logoutImapProbe(session: ImapProbeSession): Promise<void> {
  try {
    const t = tag(session);
    session.channel.send(`${t} LOGOUT`);
    await readTagged(session, t);
  } finally {
    session.channel.close();
  }
}
