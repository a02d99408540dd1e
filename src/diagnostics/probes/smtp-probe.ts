/**
 * A minimal SMTP submission conversation for Test Connection, one step at a time, keeping the
 * server's exact words: greeting, EHLO, STARTTLS and EHLO again (or TLS from the first byte on
 * 465), `AUTH XOAUTH2 <initial response>` (a `334 <base64 JSON>` failure report is answered with
 * an empty line), and QUIT. Nothing is ever sent.
 */
import type { MailServer, XOAuth2Credentials } from '../../mail/server';
import { xoauth2Response } from '../../mail/net/xoauth2';
import { LineChannel, ProbeOptions } from './line-channel';
import { ProbeError } from './probe-error';
import type { ProbeAuthResult } from './imap-probe';

export interface SmtpProbeSession {
  channel: LineChannel;
  greeting: string;
  /** EHLO keywords with their parameters, upper case: `AUTH XOAUTH2 PLAIN`, `STARTTLS`, `SIZE 37748736`. */
  extensions: string[];
}

interface SmtpReply {
  code: number;
  /** The whole reply, its lines joined with a space: `535 5.7.3 Authentication unsuccessful`. */
  text: string;
  lines: string[];
}

/** The name this client gives in EHLO: a literal address, which every server accepts. */
const EHLO_NAME = '[127.0.0.1]';

async function readReply(channel: LineChannel, timeoutMs?: number): Promise<SmtpReply> {
  const lines: string[] = [];
  for (;;) {
    const line = await channel.readLine(timeoutMs);
    const match = /^(\d{3})([ -])(.*)$/.exec(line);
    if (!match) throw new ProbeError('protocol-error', `not an SMTP reply: ${line}`, line);
    lines.push(line);
    if (match[2] === ' ') {
      const text = lines.map((l, i) => (i === 0 ? `${l.slice(0, 3)} ${l.slice(4)}` : l.slice(4))).join(' ');
      return { code: Number(match[1]), text: text.trim(), lines };
    }
  }
}

async function ehlo(channel: LineChannel): Promise<string[]> {
  channel.send(`EHLO ${EHLO_NAME}`);
  const reply = await readReply(channel);
  if (reply.code !== 250) throw new ProbeError('server-refused', `EHLO refused: ${reply.text}`, reply.text);
  return reply.lines.slice(1).map((l) => l.slice(4).trim().toUpperCase());
}

export function smtpAuthMechanisms(extensions: string[]): string[] | undefined {
  const auth = extensions.find((e) => e === 'AUTH' || e.startsWith('AUTH ') || e.startsWith('AUTH='));
  return auth?.slice(5).split(/\s+/).filter(Boolean);
}

/** Connects, reads the 220 greeting, says EHLO, and with `starttls` upgrades and says EHLO again. */
export async function connectSmtpProbe(server: MailServer, options: ProbeOptions): Promise<SmtpProbeSession> {
  const channel = await LineChannel.open('SMTP', server, server.security === 'tls', options);
  try {
    let greeting: SmtpReply;
    try {
      greeting = await readReply(channel, options.connectTimeoutMs ?? 15_000);
    } catch (error) {
      if (error instanceof ProbeError && error.kind === 'protocol-error') throw new ProbeError('bad-greeting', error.message, error.reply);
      throw error;
    }
    if (greeting.code !== 220) throw new ProbeError(greeting.code >= 400 ? 'server-refused' : 'bad-greeting', `greeting: ${greeting.text}`, greeting.text);
    let extensions = await ehlo(channel);
    if (server.security === 'starttls') {
      if (!extensions.includes('STARTTLS')) throw new ProbeError('starttls-unavailable', 'the server does not offer STARTTLS');
      channel.send('STARTTLS');
      const reply = await readReply(channel);
      if (reply.code !== 220) throw new ProbeError('starttls-unavailable', `STARTTLS refused: ${reply.text}`, reply.text);
      await channel.startTls();
      extensions = await ehlo(channel);
    }
    return { channel, greeting: greeting.text, extensions };
  } catch (error) {
    channel.close();
    throw error;
  }
}

/** `AUTH XOAUTH2` with the initial response; 235 accepts, anything else refuses with the server's words. */
export async function authenticateSmtpProbe(session: SmtpProbeSession, credentials: XOAuth2Credentials): Promise<ProbeAuthResult> {
  const { channel } = session;
  const mechanisms = smtpAuthMechanisms(session.extensions);
  if (!mechanisms?.includes('XOAUTH2')) {
    throw new ProbeError('xoauth2-unavailable', `the server offers ${mechanisms?.length ? `AUTH ${mechanisms.join(' ')}` : 'no AUTH'}`);
  }
  const response = xoauth2Response(channel.tokenChannel, credentials);
  channel.registerSecret(credentials.accessToken);
  channel.send(`AUTH XOAUTH2 ${response}`);
  let reply = await readReply(channel);
  if (reply.code === 334) {
    channel.send('');
    reply = await readReply(channel);
  }
  return reply.code === 235 ? { accepted: true, reply: reply.text } : { accepted: false, reply: reply.text };
}

/** QUIT and close; the connection is closed whatever the server answers. */
export async function quitSmtpProbe(session: SmtpProbeSession): Promise<void> {
  try {
    session.channel.send('QUIT');
    await readReply(session.channel);
  } finally {
    session.channel.close();
  }
}
