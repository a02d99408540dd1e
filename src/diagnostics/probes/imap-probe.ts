/**
 * A minimal IMAP conversation for Test Connection, one step at a time, keeping the server's exact
 * words: connect (TLS or STARTTLS) with greeting and CAPABILITY, AUTHENTICATE XOAUTH2 (SASL-IR
 * when advertised) followed by one harmless STATUS (Exchange only says "User is authenticated but
 * not connected" at the first command after a successful login), and LOGOUT.
 */
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

interface Tagged {
  status: 'OK' | 'NO' | 'BAD';
  /** The line without its tag: `NO AUTHENTICATE failed.` */
  text: string;
  untagged: string[];
}

function tag(session: ImapProbeSession): string {
  return `A${session.nextTag++}`;
}

/** Reads up to the tagged reply of `t`; a `* BYE` followed by a hang-up is a refusal too. */
async function readTagged(session: ImapProbeSession, t: string, onContinuation?: (line: string) => void): Promise<Tagged> {
  const untagged: string[] = [];
  for (;;) {
    let line: string;
    try {
      line = await session.channel.readLine();
    } catch (error) {
      // The server's last word is kept whole: `* BYE Session invalidated - AccessTokenExpired`.
      const bye = untagged.find((u) => /^\* BYE\b/i.test(u));
      if (bye && error instanceof ProbeError && error.kind === 'connection-dropped') return { status: 'NO', text: bye, untagged };
      throw error;
    }
    if (line.startsWith('* ')) {
      untagged.push(line);
      continue;
    }
    if (line.startsWith('+')) {
      if (!onContinuation) throw new ProbeError('protocol-error', `unexpected continuation: ${line}`, line);
      onContinuation(line);
      continue;
    }
    const match = /^(\S+) (OK|NO|BAD)\b ?(.*)$/i.exec(line);
    if (!match || match[1] !== t) throw new ProbeError('protocol-error', `not an IMAP reply to ${t}: ${line}`, line);
    const status = match[2]!.toUpperCase() as Tagged['status'];
    return { status, text: `${status} ${match[3] ?? ''}`.trim(), untagged };
  }
}

function capabilitiesFrom(lines: string[]): string[] | undefined {
  const line = lines.find((l) => /^\* CAPABILITY /i.test(l));
  return line?.slice('* CAPABILITY '.length).split(' ').filter(Boolean).map((c) => c.toUpperCase());
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
    if (/^\* BYE\b/i.test(greeting)) throw new ProbeError('server-refused', `the server refused the connection: ${greeting}`, greeting);
    if (!/^\* (OK|PREAUTH)\b/i.test(greeting)) throw new ProbeError('bad-greeting', `not an IMAP greeting: ${greeting}`, greeting);
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
