/**
 * A scripted POP3 server on loopback for the client's unit tests. Each test says how it answers
 * each line (usually from one of the transcripts below, recorded from Exchange Online and
 * Dovecot), and can break the conversation on purpose: hang up mid-reply, go silent, send
 * garbage, upgrade to TLS.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { createSecureContext, SecureContext, TLSSocket } from 'node:tls';
import { MailServer } from '../../../src/mail/server';
import { throwawayIdentity, TlsIdentity } from '../../sandbox/certificates';

export type { TlsIdentity };

let serverContext: SecureContext | undefined;

/** A private CA and a certificate for 127.0.0.1 it issued, made once per test run. */
export const testIdentity = throwawayIdentity;

export interface FakeSession {
  /** Lines the client sent in this session, in order. */
  readonly received: string[];
  /** Sends lines, each followed by CRLF. */
  reply(...lines: string[]): void;
  /** Sends bytes as they are. */
  write(raw: string): void;
  /** Closes the connection after what was written (as after QUIT). */
  end(): void;
  /** Drops the connection at once. */
  hangUp(): void;
  /** Starts TLS as the server side of STLS. */
  startTls(): void;
  /** The next line goes to `handler` instead of the server's usual one (a SASL exchange). */
  takeNextLine(handler: LineHandler): void;
}

/** Answers one line from the client; `session.received` already holds it. */
export type LineHandler = (line: string, session: FakeSession) => void;

export interface FakeServerOptions {
  /** The first line sent; `null` sends nothing. */
  greeting: string | null;
  onLine: LineHandler;
  /** `implicit`: TLS from the first byte (port 995 style, the default); `stls`: plain until a handler calls `startTls()`. */
  tls?: 'implicit' | 'stls';
}

export class FakePop3Server {
  readonly sessions: FakeSession[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, private readonly options: FakeServerOptions) {}

  static async start(options: FakeServerOptions): Promise<FakePop3Server> {
    const server = createServer();
    const fake = new FakePop3Server(server, options);
    server.on('connection', (socket) => fake.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The account's server settings that reach this fake; `trusted: false` leaves out the CA. */
  mailServer({ trusted = true }: { trusted?: boolean } = {}): MailServer {
    return {
      host: '127.0.0.1',
      port: (this.server.address() as AddressInfo).port,
      security: this.options.tls === 'stls' ? 'starttls' : 'tls',
      ca: trusted ? testIdentity().ca : undefined,
    };
  }

  /** Every line the client sent, across sessions. */
  get received(): string[] {
    return this.sessions.flatMap((s) => s.received);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(raw: Socket): void {
    this.sockets.add(raw);
    raw.on('close', () => this.sockets.delete(raw));
    raw.on('error', () => {});
    const { key, cert } = testIdentity();
    serverContext ??= createSecureContext({ key, cert });
    const secureContext = serverContext;
    let socket: Socket = this.options.tls === 'stls' ? raw : new TLSSocket(raw, { isServer: true, secureContext });
    let buffered = '';
    let nextLineHandler: LineHandler | undefined;
    const received: string[] = [];
    const session: FakeSession = {
      received,
      reply: (...lines) => socket.write(lines.map((l) => `${l}\r\n`).join('')),
      write: (text) => socket.write(text),
      end: () => socket.end(),
      hangUp: () => socket.destroy(),
      startTls: () => {
        socket.off('data', onData);
        socket = new TLSSocket(raw, { isServer: true, secureContext });
        socket.on('error', () => {});
        socket.on('data', onData);
      },
      takeNextLine: (handler) => { nextLineHandler = handler; },
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let newline = buffered.indexOf('\r\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 2);
        received.push(line);
        const handler = nextLineHandler ?? this.options.onLine;
        nextLineHandler = undefined;
        handler(line, session);
        newline = buffered.indexOf('\r\n');
      }
    };
    socket.on('error', () => {});
    socket.on('data', onData);
    this.sessions.push(session);
    if (this.options.greeting !== null) session.reply(this.options.greeting);
  }
}

/** Base64 of an XOAUTH2 failure challenge, as Dovecot's and Gmail's servers send it. */
export const XOAUTH2_FAILURE_CHALLENGE = Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString('base64');

export const EXCHANGE = {
  greeting: '+OK The Microsoft Exchange POP3 service is ready. [UABBADMAUAAyADgAMABDAEEAMAAwADAANgAuAEUAVQBSAFAAMgA4ADAALgBQAFIATwBEAC4ATwBVAFQATABPAE8ASwAuAEMATwBNAA==]',
  capa: ['+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER', '.'],
  capaBeforeTls: ['+OK', 'TOP', 'UIDL', 'STLS', 'USER', '.'],
  authAccepted: '+OK User successfully authenticated.',
  authFailed: '-ERR Authentication failure: unknown user name or bad password.',
  quit: '+OK Microsoft Exchange Server POP3 server signing off.',
};

export const DOVECOT = {
  greeting: '+OK Dovecot (Debian) ready.',
  capa: ['+OK', 'CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'USER', 'SASL PLAIN XOAUTH2', '.'],
  capaBeforeTls: ['+OK', 'CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'STLS', 'USER', 'SASL PLAIN', '.'],
  authAccepted: '+OK Logged in.',
  authFailed: '-ERR [AUTH] Authentication failed.',
  quit: '+OK Logging out.',
};

/** Two messages; the newest has a non-ASCII sender and subject, and a body line that needs dot-stuffing. */
export const MAILDROP = {
  stat: '+OK 2 5120',
  uidl: ['+OK', '1 AAQkADAwATM0MDAAMS1iZGY0LTUxNDEtMDACLTAwCgBGAAAD', '2 AAQkADAwATM0MDAAMS1iZGY0LTUxNDEtMDACLTAwCgBGAAAE', '.'],
  uidl2: '+OK 2 AAQkADAwATM0MDAAMS1iZGY0LTUxNDEtMDACLTAwCgBGAAAE',
  top2: ['+OK',
    'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@fabrikam.test>',
    'To: alice@contoso.test',
    'Subject: =?UTF-8?B?UTMgYnVkZ2V0IOKAlCBmaW5hbA==?=',
    'Date: Tue, 14 Oct 2025 09:30:00 +0000',
    'Message-ID: <q3-budget@fabrikam.test>',
    '',
    '.'],
};

/** Answers an XOAUTH2 response (base64), whether it came on the AUTH line or after `+ `. */
export type XOAuth2Handler = (response: string, session: FakeSession) => void;

export const accept = (profile: typeof EXCHANGE): XOAuth2Handler => (_response, session) => session.reply(profile.authAccepted);

/** Exchange's refusal: straight `-ERR`. */
export const refuseAsExchange: XOAuth2Handler = (_response, session) => session.reply(EXCHANGE.authFailed);

/** Dovecot's refusal: the XOAUTH2 failure challenge, then `-ERR [AUTH]` once the client sends its empty line. */
export const refuseAsDovecot: XOAuth2Handler = (_response, session) => {
  session.reply(`+ ${XOAUTH2_FAILURE_CHALLENGE}`);
  session.takeNextLine((line, s) => s.reply(line === '' ? DOVECOT.authFailed : '-ERR [AUTH] Protocol error.'));
};

export interface Transcript {
  profile: typeof EXCHANGE;
  xoauth2?: XOAuth2Handler;
  /** Replaces the usual answer to one command verb (upper case), e.g. `STAT`. */
  overrides?: Record<string, LineHandler>;
}

/**
 * An Exchange-like (or Dovecot-like) server answering from the recorded replies, with overrides
 * per command verb: a test changes only the step it is about.
 */
export function transcriptHandler({ profile, xoauth2 = accept(profile), overrides = {} }: Transcript): LineHandler {
  return (line, session) => {
    const [verb = '', ...args] = line.split(' ');
    const override = overrides[verb.toUpperCase()];
    if (override) return override(line, session);
    switch (verb.toUpperCase()) {
      case 'CAPA': return session.reply(...profile.capa);
      case 'AUTH':
        if (args[0]?.toUpperCase() !== 'XOAUTH2') return session.reply('-ERR Unrecognized authentication type.');
        if (args.length > 1) return xoauth2(args[1]!, session);
        session.takeNextLine(xoauth2);
        return session.reply('+ ');
      case 'STAT': return session.reply(MAILDROP.stat);
      case 'UIDL': return args.length ? session.reply(MAILDROP.uidl2) : session.reply(...MAILDROP.uidl);
      case 'TOP': return session.reply(...MAILDROP.top2);
      case 'QUIT':
        session.reply(profile.quit);
        return session.end();
      default: return session.reply('-ERR Unknown command.');
    }
  };
}
