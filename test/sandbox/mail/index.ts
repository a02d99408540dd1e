/**
 * The sandbox's mail servers: a local stand-in for Exchange Online's IMAP, POP3 and SMTP that
 * accept only valid OAuth2 bearer tokens over SASL XOAUTH2. Dovecot keeps the mailboxes and serves
 * IMAP (two profiles) and POP3 over implicit TLS, the exchange IMAP profile and POP3 behind the
 * Exchange fronts; submission is the Exchange SMTP front, which relays to Postfix on an internal
 * port; every login is judged by the token check against the sandbox directory.
 * See test/sandbox/README.md.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxCertificates } from '../certificates';
import { MailActivity } from '../exchange/activity';
import { MailFaults } from '../exchange/faults';
import { startImapFront } from '../exchange/imap-front';
import { startPop3Front } from '../exchange/pop3-front';
import { startSmtpFront } from '../exchange/smtp-front';
import { DovecotPaths, MailUser, startDovecot } from './dovecot';
import { ensureMailPackages, missingMailPackages } from './install';
import { TokenCheckSettings } from './token-check';
import { endpoint, Endpoint, freePorts } from './ports';
import { MESSAGE_SIZE_LIMIT, startPostfix } from './postfix';
import { seedMailboxes } from './seed';
import { saveToSentItems } from './sent-items';

export { ensureMailPackages };
export type { Endpoint };

export interface MailServersOptions {
  /** Everything (configs, mail storage, logs, sockets) lives under stateDir/mail. */
  stateDir: string;
  certificates: SandboxCertificates;
  /** Directory of PEM RSA public keys named `<kid>.pem`: tokens signed by these are genuine. */
  signingKeysDir: string;
  /** Also seed alice's 1,000 extra folders for benchmarks (off by default). */
  benchFolders?: boolean;
  /** Fixed ports (the demo's settings stay valid across restarts); free ones when absent. */
  ports?: MailPorts;
}

export interface MailPorts {
  imapExchange: number;
  imapModern: number;
  pop3: number;
  smtp: number;
}

export interface MailServers {
  /** `exchange` is the Exchange IMAP front before a Dovecot instance on an internal port; `modern` is Dovecot itself. */
  imap: { exchange: Endpoint; modern: Endpoint };
  /** The Exchange POP3 front; Dovecot's POP3 listens behind it on an internal port. */
  pop3: Endpoint;
  /** The Exchange SMTP front; Postfix listens behind it on an internal port. */
  smtp: Endpoint;
  /** Exchange Online's failures on demand, shared by the fronts. */
  faults: MailFaults;
  /** Logins and LOGOUTs the Exchange IMAP front saw, per user. */
  activity: MailActivity;
  /** Where the token check writes why it refused (or accepted) each token. */
  logFile: string;
  /** Everything the servers keep: configs, `mailboxes/<address>/Maildir`, logs, sockets. */
  dir: string;
  /** Stops every process it started and waits until the ports are free. */
  stop(): Promise<void>;
}

/**
 * Mail is stored as this unprivileged user: Dovecot refuses to open mailboxes as root, and
 * `mail` exists on every Debian system (base-passwd).
 */
function mailUser(): MailUser {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('mail:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('the system has no "mail" user to own the sandbox mailboxes');
  return { name: 'mail', uid: Number(uid), gid: Number(gid) };
}

/**
 * The mail user (Dovecot), `postfix` (smtpd, lmtp client) must reach files and sockets below
 * the state directory; a private temp directory (0700) would stop them at the door. Search
 * permission alone lets them through without listing anything.
 */
function letDaemonsThrough(stateDir: string, mailDir: string): void {
  const mode = statSync(stateDir).mode & 0o7777;
  if ((mode & 0o001) === 0) chmodSync(stateDir, mode | 0o001);
  chmodSync(mailDir, 0o755);
}

export async function startMailServers(options: MailServersOptions): Promise<MailServers> {
  if (process.getuid?.() !== 0) {
    throw new Error('The sandbox mail servers must be started as root: Postfix only runs as root, and Dovecot switches to the mail user.');
  }
  const missing = await missingMailPackages();
  if (missing.length > 0) {
    throw new Error(`Missing Debian packages ${missing.join(', ')}: call ensureMailPackages() first (it installs them as root).`);
  }
  const tokenCheckScript = join(__dirname, 'token-check.js');
  if (!existsSync(tokenCheckScript)) throw new Error(`${tokenCheckScript} is missing: compile the project first (npx tsc -p .)`);

  const mailDir = join(options.stateDir, 'mail');
  for (const sub of ['config', 'log', 'run']) mkdirSync(join(mailDir, sub), { recursive: true });
  letDaemonsThrough(options.stateDir, mailDir);

  const user = mailUser();
  const paths: DovecotPaths = {
    mailDir,
    mailboxesDir: join(mailDir, 'mailboxes'),
    lmtpSocket: join(mailDir, 'run', 'lmtp'),
    saslSocket: join(mailDir, 'run', 'auth-postfix'),
  };
  seedMailboxes({ mailboxesDir: paths.mailboxesDir, benchFolders: options.benchFolders ?? false, uid: user.uid, gid: user.gid });

  const logFile = join(mailDir, 'log', 'token-check.log');
  writeFileSync(logFile, '', { flag: 'a' });
  const settings: TokenCheckSettings = { signingKeysDir: options.signingKeysDir, logFile };
  const settingsFile = join(mailDir, 'config', 'token-check.json');
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  const tokenCheck = { node: process.execPath, script: tokenCheckScript, settingsFile };

  // Postfix and Dovecot's exchange IMAP and POP3 listen on internal ports, behind the Exchange fronts.
  const [postfixPort, dovecotExchangePort, dovecotPop3Port, ...free] = await freePorts(options.ports ? 3 : 7);
  const [exchangePort, modernPort, pop3Port, smtpPort] = options.ports
    ? [options.ports.imapExchange, options.ports.imapModern, options.ports.pop3, options.ports.smtp]
    : free as [number, number, number, number];
  const faults = new MailFaults();
  const activity = new MailActivity();
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    const running = started.splice(0);
    await Promise.all(running.map((s) => s.stop()));
  };
  try {
    // Postfix reaches Dovecot's sockets only when a client authenticates or mail is delivered,
    // so all three start at once.
    const results = await Promise.allSettled([
      startDovecot({ profile: 'exchange', configFile: join(mailDir, 'config', 'dovecot-exchange.conf'), imapPort: dovecotExchangePort!, pop3Port: dovecotPop3Port!,
        logFile: join(mailDir, 'log', 'dovecot-exchange.log') }, paths, options.certificates, user, tokenCheck),
      startDovecot({ profile: 'modern', configFile: join(mailDir, 'config', 'dovecot-modern.conf'), imapPort: modernPort,
        logFile: join(mailDir, 'log', 'dovecot-modern.log') }, paths, options.certificates, user, tokenCheck),
      startPostfix({ mailDir, submissionPort: postfixPort!, lmtpSocket: paths.lmtpSocket, saslSocket: paths.saslSocket,
        logFile: join(mailDir, 'log', 'postfix.log'), certificates: options.certificates }),
    ]);
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    started.push(await startSmtpFront({
      upstream: endpoint(postfixPort!), certificates: options.certificates, faults, port: smtpPort, maxSendSize: MESSAGE_SIZE_LIMIT,
      keepSentCopy: (mailbox, message) => saveToSentItems(paths.mailboxesDir, user, mailbox, message),
    }));
    started.push(await startImapFront({ upstream: endpoint(dovecotExchangePort!), certificates: options.certificates, faults, activity, port: exchangePort }));
    started.push(await startPop3Front({ upstream: endpoint(dovecotPop3Port!), certificates: options.certificates, port: pop3Port }));
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    imap: { exchange: endpoint(exchangePort), modern: endpoint(modernPort) },
    pop3: endpoint(pop3Port),
    smtp: endpoint(smtpPort),
    faults,
    activity,
    logFile,
    dir: mailDir,
    stop: stopAll,
  };
}
