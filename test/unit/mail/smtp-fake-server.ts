/**
 * A scripted SMTP submission server on loopback for the send tests: it answers EHLO, STARTTLS,
 * AUTH XOAUTH2 (accepting some tokens and refusing others the way Dovecot or Exchange Online
 * does), MAIL, RCPT and DATA, and records what arrived.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { SecureContext, TLSSocket } from 'node:tls';

export interface Script {
  /** Tokens the server accepts. */
  goodTokens: string[];
  /** How a bad token is refused: Dovecot's challenge first, or Exchange's 535 at once. */
  refusal: 'challenge' | 'direct' | 'disabled-tenant';
  pipelining?: boolean;
  starttls?: boolean;
  /** Domains RCPT TO refuses. */
  refusedDomains?: string[];
  /** What EHLO announces as SIZE. */
  sizeLimit?: number;
}

export interface Recorded {
  connections: number;
  tokens: string[];
  /** Message bodies the server accepted with its final 250. */
  messages: Buffer[];
  /** Body bytes that arrived, even for a message that was never finished. */
  bodyBytes: number;
}

export class FakeSmtpServer {
  readonly recorded: Recorded = { connections: 0, tokens: [], messages: [], bodyBytes: 0 };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly script: Script, private readonly secureContext: SecureContext, private readonly implicitTls: boolean) {
    this.server = createServer((raw) => this.accept(raw));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(raw: Socket): void {
    this.recorded.connections++;
    this.sockets.add(raw);
    raw.on('close', () => this.sockets.delete(raw));
    raw.on('error', () => {});
    let socket: Socket = this.implicitTls ? new TLSSocket(raw, { isServer: true, secureContext: this.secureContext }) : raw;
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let data: Buffer[] = [];
    let awaitingSaslResponse = false;
    let tls = this.implicitTls;
    const reply = (text: string) => socket.write(`${text}\r\n`);
    const ehlo = () => {
      const lines = ['250-fake.contoso.test', `250-SIZE ${this.script.sizeLimit ?? 50_000_000}`, '250-8BITMIME', '250-AUTH XOAUTH2'];
      if (this.script.pipelining) lines.push('250-PIPELINING');
      if (this.script.starttls && !tls) lines.push('250-STARTTLS');
      lines.push('250 SMTPUTF8');
      reply(lines.join('\r\n'));
    };
    const onLine = (line: string) => {
      if (awaitingSaslResponse) {
        awaitingSaslResponse = false;
        reply('535 5.7.8 Error: authentication failed');
        return;
      }
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO') ehlo();
      else if (verb === 'STARTTLS' && !this.script.starttls) reply('502 5.5.2 Command not recognized');
      else if (verb === 'STARTTLS') {
        reply('220 2.0.0 Ready to start TLS');
        socket.removeAllListeners('data');
        socket = new TLSSocket(socket, { isServer: true, secureContext: this.secureContext });
        socket.on('error', () => {});
        socket.on('data', onData);
        tls = true;
      } else if (verb === 'AUTH') {
        const payload = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
        const token = payload.split('\u0001').find((field) => field.startsWith('auth=Bearer '))?.slice('auth=Bearer '.length) ?? '';
        this.recorded.tokens.push(token);
        if (this.script.refusal === 'disabled-tenant') {
          reply('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.');
        } else if (this.script.goodTokens.includes(token)) {
          reply('235 2.7.0 Authentication successful');
        } else if (this.script.refusal === 'challenge') {
          awaitingSaslResponse = true;
          reply(`334 ${Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString('base64')}`);
        } else {
          reply('535 5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com]');
        }
      } else if (verb === 'MAIL') reply('250 2.1.0 Sender OK');
      else if (verb === 'RCPT') {
        const domain = /@([^>]+)>/.exec(line)?.[1] ?? '';
        if (this.script.refusedDomains?.includes(domain)) reply('550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
        else reply('250 2.1.5 Recipient OK');
      } else if (verb === 'DATA') {
        inData = true;
        data = [];
        reply('354 Start mail input; end with <CRLF>.<CRLF>');
      } else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
      } else reply('502 5.5.2 Command not recognized');
    };
    const onData = (chunk: Buffer) => {
      if (inData) {
        data.push(chunk);
        this.recorded.bodyBytes += chunk.length;
        const body = Buffer.concat(data);
        if (body.subarray(-5).toString('latin1') === '\r\n.\r\n') {
          inData = false;
          this.recorded.messages.push(body.subarray(0, -5));
          reply('250 2.6.0 Queued mail for delivery');
        }
        return;
      }
      buffer += chunk.toString('latin1');
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        onLine(line);
        if (inData) {
          // Pipelined clients may have sent the start of the body in the same chunk.
          if (buffer) onData(Buffer.from(buffer, 'latin1'));
          buffer = '';
          return;
        }
      }
    };
    socket.on('data', onData);
    reply('220 fake.contoso.test Microsoft ESMTP MAIL Service ready');
  }
}
