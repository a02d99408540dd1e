/**
 * Postfix behind the Exchange SMTP front (../exchange/smtp-front), on an internal loopback port:
 * STARTTLS required, SASL XOAUTH2 checked by Dovecot's auth (and so by the token check),
 * delivery over LMTP into the Dovecot mailboxes. Send-as is the front's decision, after DATA as
 * Exchange makes it, so Postfix takes any sender from an authenticated client. A recipient
 * outside the sandbox's domains is refused at RCPT, and the transports that could reach another
 * machine are `error:`, so nothing ever leaves.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SandboxCertificates } from '../certificates';
import { TENANTS, USERS } from '../directory';
import { groupAlive, startGroup, stopGroup, stopRecordedGroup } from './process-group';
import { waitUntilFree, waitUntilListening } from './ports';

const run = promisify(execFile);

export interface PostfixOptions {
  mailDir: string;
  submissionPort: number;
  lmtpSocket: string;
  saslSocket: string;
  logFile: string;
  certificates: SandboxCertificates;
}

export interface RunningPostfix {
  pgid: number;
  stop(): Promise<void>;
}

const SANDBOX_DOMAINS = TENANTS.flatMap((t) => t.domains);

/** Exchange Online's default message size limit (35 MB), which Postfix's default (10 MB) undercuts. */
export const MESSAGE_SIZE_LIMIT = 36_700_160;

function inlineMap(entries: [string, string][]): string {
  return `inline:{ ${entries.map(([k, v]) => `${k}=${v}`).join(', ')} }`;
}

function mainCf(options: PostfixOptions, dirs: { queue: string; data: string; recipients: string }): string {
  const mailboxes = USERS.map((u) => u.upn);
  return `# Written by test/sandbox/mail/postfix.ts.
compatibility_level = 3.6
queue_directory = ${dirs.queue}
data_directory = ${dirs.data}
mail_owner = postfix
setgid_group = postdrop
myhostname = sandbox.contoso.test
mydomain = contoso.test
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
alias_maps =
alias_database =
biff = no
smtputf8_enable = yes
message_size_limit = ${MESSAGE_SIZE_LIMIT}
smtpd_banner = $myhostname Microsoft ESMTP MAIL Service ready (Exchange Mail sandbox)
maillog_file = ${options.logFile}
maillog_file_prefixes = ${options.mailDir}

# Only the sandbox's domains are delivered, into Dovecot; every other way out is an error.
virtual_mailbox_domains = ${SANDBOX_DOMAINS.join(' ')}
virtual_mailbox_maps = ${inlineMap(mailboxes.map((m) => [m, 'mailbox']))}
virtual_transport = lmtp:unix:${options.lmtpSocket}
local_transport = error:local delivery is off in the sandbox
default_transport = error:the sandbox never sends mail off this machine
relay_transport = error:the sandbox never sends mail off this machine

smtpd_tls_cert_file = ${options.certificates.serverCertFile}
smtpd_tls_key_file = ${options.certificates.serverKeyFile}
smtpd_tls_security_level = encrypt
smtpd_tls_auth_only = yes
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${options.saslSocket}
smtpd_sasl_service = smtp
smtpd_sasl_mechanism_filter = xoauth2
smtpd_sasl_security_options = noanonymous
smtpd_sasl_authenticated_header = no

smtpd_delay_reject = no
smtpd_client_restrictions =
smtpd_helo_restrictions =
smtpd_sender_restrictions = permit_sasl_authenticated, reject
smtpd_relay_restrictions = check_recipient_access regexp:${dirs.recipients}, permit_sasl_authenticated, reject
smtpd_recipient_restrictions = reject_unlisted_recipient, permit_sasl_authenticated, reject
`;
}

/** Every service runs unchrooted: the chroot would hide the Dovecot sockets and the certificates. */
function masterCf(port: number): string {
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'lmtp unix - - n - - lmtp',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `# Written by test/sandbox/mail/postfix.ts: submission on loopback and the internal services it needs.\n${services.join('\n')}\n`;
}

function recipientRules(): string {
  const domains = SANDBOX_DOMAINS.map((d) => d.replace(/\./g, '\\.')).join('|');
  // Exchange's wording for a recipient it will not relay to.
  return `/@(${domains})$/ DUNNO\n/./ 550 5.7.54 Unable to relay recipient in non-accepted domain (the sandbox delivers only to ${SANDBOX_DOMAINS.join(' and ')})\n`;
}

export async function startPostfix(options: PostfixOptions): Promise<RunningPostfix> {
  const root = join(options.mailDir, 'postfix');
  const dirs = { config: join(root, 'etc'), queue: join(root, 'queue'), data: join(root, 'data'), recipients: join(root, 'etc', 'recipients.regexp') };
  for (const dir of [dirs.config, dirs.queue, dirs.data]) mkdirSync(dir, { recursive: true });
  // Postfix keeps its locks and caches here as the postfix user.
  const postfixUser = await run('id', ['-u', 'postfix']);
  const postfixGroup = await run('id', ['-g', 'postfix']);
  chownSync(dirs.data, Number(postfixUser.stdout), Number(postfixGroup.stdout));
  const groupFile = join(options.mailDir, 'run', 'postfix.pgid');
  await stopRecordedGroup(groupFile);

  const files: [string, string][] = [
    [join(dirs.config, 'main.cf'), mainCf(options, dirs)],
    [join(dirs.config, 'master.cf'), masterCf(options.submissionPort)],
    [dirs.recipients, recipientRules()],
  ];
  // Postfix programs wait, 0.3 s at a time, until a configuration file is a little older than
  // the present (a guard against reading a half-written file): date them in the past.
  const written = new Date(Date.now() - 60_000);
  for (const [file, text] of files) {
    writeFileSync(file, text);
    utimesSync(file, written, written);
  }
  // Creates the queue's subdirectories with the owners Postfix insists on (once per state directory: 0.5 s).
  if (!existsSync(join(dirs.queue, 'active'))) await run('postfix', ['-c', dirs.config, 'check']);

  // The master itself, not `postfix start`: postfix-script would move it into a session of its
  // own, out of the process group this module stops. -d keeps it attached (no fork, no setsid).
  const daemonDirectory = (await run('postconf', ['-c', dirs.config, '-h', 'daemon_directory'])).stdout.trim();
  const pgid = startGroup(join(daemonDirectory, 'master'), ['-c', dirs.config, '-d'], join(options.mailDir, 'log', 'postfix-master.log'), groupFile);
  try {
    await waitUntilListening(options.submissionPort, 'Postfix submission', () => groupAlive(pgid));
  } catch (error) {
    await stopGroup(pgid);
    throw new Error(`${(error as Error).message}; see ${options.logFile}`, { cause: error });
  }
  return {
    pgid,
    async stop() {
      await stopRecordedGroup(groupFile);
      await waitUntilFree(options.submissionPort);
    },
  };
}
