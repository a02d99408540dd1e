/**
 * The front's connection to Postfix: an SMTP client that speaks only what the front needs
 * (EHLO, STARTTLS, AUTH XOAUTH2, MAIL, RCPT, DATA, RSET, QUIT) and hands back Postfix's replies
 * for the front to translate. Postfix keeps its own TLS requirement, so the relay upgrades too.
 */
import { connect as connectTcp, Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { Endpoint } from '../mail/ports';
import { SmtpLines } from './smtp-lines';

export interface RelayReply {
  code: number;
  /** The enhanced status code (`5.1.1`) when Postfix gave one. */
  enhanced?: string;
  /** Postfix's text, for the front's decisions only: never shown to the client. */
  lines: string[];
}

export class RelayFailed extends Error {}

const REPLY_LINE_BYTES = 4096;
const RELAY_TIMEOUT_MS = 60_000;
const CLIENT_NAME = 'smtp-front.sandbox.contoso.test';

function onceConnected(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once(event, resolve);
    socket.once('error', reject);
  });
}

export class SmtpRelay {
  private constructor(private socket: Socket, private readonly lines: SmtpLines) {}

  /** Connects, reads the greeting and sets the session up (EHLO, STARTTLS, EHLO). */
  static async open(upstream: Endpoint, ca: string): Promise<SmtpRelay> {
    const raw = connectTcp({ host: upstream.host, port: upstream.port });
    raw.setTimeout(RELAY_TIMEOUT_MS, () => raw.destroy());
    const relay = new SmtpRelay(raw, new SmtpLines(raw, REPLY_LINE_BYTES));
    try {
      await onceConnected(raw, 'connect');
      await relay.expect(await relay.reply(), 220);
      await relay.expect(await relay.command(`EHLO ${CLIENT_NAME}`), 250);
      await relay.expect(await relay.command('STARTTLS'), 220);
      const secure = connectTls({ socket: raw, ca, host: upstream.host, minVersion: 'TLSv1.2' });
      relay.lines.switchTo(secure);
      relay.socket = secure;
      await onceConnected(secure, 'secureConnect');
      await relay.expect(await relay.command(`EHLO ${CLIENT_NAME}`), 250);
      return relay;
    } catch (error) {
      relay.close();
      throw error instanceof RelayFailed ? error : new RelayFailed(`Postfix at ${upstream.host}:${upstream.port}: ${(error as Error).message}`);
    }
  }

  async command(line: string): Promise<RelayReply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Sends DATA and the message (dot-stuffed here), and returns the reply to its end. */
  async data(message: Buffer): Promise<RelayReply> {
    const start = await this.command('DATA');
    if (start.code !== 354) return start;
    this.socket.write(dotStuffed(message));
    this.socket.write(message.length === 0 || message.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n');
    return this.reply();
  }

  close(): void {
    if (!this.socket.destroyed) this.socket.end('QUIT\r\n');
    this.socket.destroySoon();
  }

  private async reply(): Promise<RelayReply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.lines.text();
      if (line === undefined) throw new RelayFailed('Postfix closed the connection');
      const match = /^(\d{3})([ -])(.*)$/.exec(line);
      if (!match) throw new RelayFailed('Postfix sent something that is not an SMTP reply');
      lines.push(match[3]!);
      if (match[2] === ' ') {
        const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(match[3]!)?.[1];
        return { code: Number(match[1]), enhanced, lines };
      }
    }
  }

  private async expect(reply: RelayReply, code: number): Promise<void> {
    if (reply.code !== code) throw new RelayFailed(`Postfix answered ${reply.code} where ${code} was expected`);
  }
}

/** RFC 5321 §4.5.2: a line that starts with a dot gets one more. */
function dotStuffed(message: Buffer): Buffer {
  const text = message.toString('latin1');
  const stuffed = (text.startsWith('.') ? '.' : '') + text.replace(/\r\n\./g, '\r\n..');
  return Buffer.from(stuffed, 'latin1');
}
