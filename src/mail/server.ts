/**
 * What every protocol client needs to reach a mail server and log in with XOAUTH2, without
 * knowing where the token comes from. Plain Node: no `vscode` import anywhere under src/mail/.
 */
export type Protocol = 'imap' | 'pop3' | 'smtp';

export const PROTOCOL_NAMES: Record<Protocol, string> = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' };

/** `tls`: TLS from the first byte (993, 995); `starttls`: plain, then STARTTLS/STLS (587, 110, 143). */
export type Security = 'tls' | 'starttls';

export interface MailServer {
  host: string;
  port: number;
  security: Security;
  /** Extra CA certificates (PEM) to trust beside the system's, from the account's CA file. */
  ca?: string;
}

/** The two halves of SASL XOAUTH2: the user and the bearer token. */
/** `host:port`: how messages and logs name a server. */
export function serverAddress(server: Pick<MailServer, 'host' | 'port'>): string {
  return `${server.host}:${server.port}`;
}

export interface XOAuth2Credentials {
  user: string;
  accessToken: string;
}

/**
 * Gives the credentials for one login. `renew` asks for a token other than the one that was
 * just refused (the server said the token is expired or invalid).
 */
export type CredentialsProvider = (options?: { renew?: boolean }) => Promise<XOAuth2Credentials>;

/** Where protocol conversations and events go; the extension passes its LogOutputChannel. */
export interface MailLog {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** VS Code's LogLevel of the log (0 off, 1 trace, 2 debug…), when it has one. */
  readonly logLevel?: number;
}

export const silentLog: MailLog = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, logLevel: 0 };

/** VS Code's LogLevel.Trace. */
const TRACE = 1;

/**
 * Whether trace lines reach the log: a protocol trace is not redacted and written line by line
 * for a log that drops them (a folder listing is two thousand lines).
 */
export function tracing(log: MailLog): boolean {
  return log.logLevel === undefined || log.logLevel === TRACE;
}
