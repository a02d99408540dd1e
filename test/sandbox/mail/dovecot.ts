/**
 * Dovecot as Exchange Online's IMAP and POP3, from a private configuration (`dovecot -c FILE`,
 * no systemd, nothing under /etc).
 *
 * Two IMAP profiles need two Dovecot instances: Dovecot's settings filters select by IP or
 * protocol, never by port, so one instance cannot show Exchange's capabilities on one port and
 * its own on another. Both instances open the same Maildirs (Maildir is made for concurrent
 * access), so both profiles show the same mailboxes. The `exchange` instance also serves POP3,
 * LMTP delivery and the SASL socket Postfix authenticates through.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxCertificates } from '../certificates';
import { SPECIAL_FOLDERS } from './mailbox-layout';
import { writePassdbScript, TokenCheckCommand } from './passdb-lua';
import { groupAlive, startGroup, stopGroup, stopRecordedGroup } from './process-group';
import { waitUntilFree, waitUntilListening } from './ports';

export type ImapProfile = 'exchange' | 'modern';

/** What Exchange Online advertises, before and after login; Dovecot adds the AUTH= list before login. */
export const EXCHANGE_IMAP_CAPABILITY = 'IMAP4 IMAP4rev1 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';
const EXCHANGE_AUTH_CAPABILITY = 'AUTH=PLAIN AUTH=XOAUTH2';

export interface MailUser {
  name: string;
  uid: number;
  gid: number;
}

export interface DovecotInstance {
  profile: ImapProfile;
  configFile: string;
  imapPort: number;
  /** Only the exchange instance serves POP3. */
  pop3Port?: number;
  logFile: string;
}

export interface DovecotPaths {
  mailDir: string;
  mailboxesDir: string;
  /** LMTP socket Postfix delivers to, and SASL socket Postfix authenticates through. */
  lmtpSocket: string;
  saslSocket: string;
}

function quoteValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function specialUseBlocks(): string {
  return SPECIAL_FOLDERS
    .map((f) => `  mailbox ${quoteValue(f.name)} {\n    special_use = ${f.specialUse}\n  }`)
    .join('\n');
}

function configText(instance: DovecotInstance, paths: DovecotPaths, certificates: SandboxCertificates,
  mailUser: MailUser, passdbScript: string): string {
  const run = join(paths.mailDir, 'run', instance.profile);
  const exchange = instance.profile === 'exchange';
  return `# Written by test/sandbox/mail/dovecot.ts (${instance.profile} profile).
instance_name = exchange-mail-sandbox-${instance.profile}
base_dir = ${run}
state_dir = ${join(paths.mailDir, 'state', instance.profile)}
listen = 127.0.0.1
protocols = ${exchange ? 'imap pop3 lmtp' : 'imap'}
hostname = sandbox.contoso.test
log_path = ${instance.logFile}
auth_verbose = yes

ssl = required
ssl_cert = <${certificates.serverCertFile}
ssl_key = <${certificates.serverKeyFile}
ssl_min_protocol = TLSv1.2

# Exchange Online offers PLAIN (always refused: basic auth is off) and XOAUTH2; OAUTHBEARER is
# Dovecot's own extra, so only the modern profile has it. The setting is instance-wide.
auth_mechanisms = ${exchange ? 'plain xoauth2' : 'plain xoauth2 oauthbearer'}
# Refused tokens must not slow the tests down: no failure delay and no per-IP penalty.
auth_failure_delay = 0
# Dovecot holds every failure reply until its next 0.5 s tick unless the request has the
# nodelay field, and a failing passdb's fields are discarded. This first passdb accepts nothing
# by itself (result_success = continue only records its fields), so nodelay survives the token
# check's refusal.
passdb {
  driver = static
  args = nopassword=y nodelay=yes
  result_success = continue
}
passdb {
  driver = lua
  args = file=${passdbScript} blocking=yes
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${paths.mailboxesDir}/%Lu allow_all_users=yes
}
first_valid_uid = ${mailUser.uid}
last_valid_uid = ${mailUser.uid}
first_valid_gid = ${mailUser.gid}
mail_location = maildir:~/Maildir
mail_max_userip_connections = 1000
# A disposable sandbox needs no durability, and fsync on a busy disk makes first access slow.
mail_fsync = never

namespace inbox {
  inbox = yes
  separator = /
  prefix =
${specialUseBlocks()}
}
${exchange ? `imap_capability = ${EXCHANGE_IMAP_CAPABILITY}\n` : ''}protocol imap {
  login_greeting = ${exchange ? 'The Microsoft Exchange IMAP4 service is ready (Exchange Mail sandbox).' : 'Exchange Mail sandbox (Dovecot) ready.'}
}
protocol pop3 {
  login_greeting = The Microsoft Exchange POP3 service is ready (Exchange Mail sandbox).
}

service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = ${instance.imapPort}
    ssl = yes
  }
}
${exchange ? `service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = ${instance.pop3Port}
    ssl = yes
  }
}
service lmtp {
  unix_listener ${paths.lmtpSocket} {
    mode = 0666
  }
}
` : ''}service auth {
${exchange ? `  unix_listener ${paths.saslSocket} {
    mode = 0666
  }
` : ''}}
service auth-worker {
  # The token check reads the signing keys and appends to its log under the state directory.
  user = root
  # Node reserves far more address space than Dovecot's default 256 MB limit and dies without it.
  vsz_limit = 0
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

export interface RunningDovecot {
  instance: DovecotInstance;
  pgid: number;
  stop(): Promise<void>;
}

export async function startDovecot(instance: DovecotInstance, paths: DovecotPaths, certificates: SandboxCertificates,
  mailUser: MailUser, tokenCheck: TokenCheckCommand): Promise<RunningDovecot> {
  const run = join(paths.mailDir, 'run', instance.profile);
  mkdirSync(run, { recursive: true });
  mkdirSync(join(paths.mailDir, 'state', instance.profile), { recursive: true });
  const groupFile = join(paths.mailDir, 'run', `dovecot-${instance.profile}.pgid`);
  await stopRecordedGroup(groupFile);

  const passdbScript = join(paths.mailDir, 'config', `passdb-${instance.profile}.lua`);
  // Exchange repeats its AUTH= list after login; Dovecot's imap process would not.
  writePassdbScript(passdbScript, tokenCheck, instance.profile === 'exchange'
    ? { userdb_imap_capability: `${EXCHANGE_IMAP_CAPABILITY} ${EXCHANGE_AUTH_CAPABILITY}` }
    : {});
  writeFileSync(instance.configFile, configText(instance, paths, certificates, mailUser, passdbScript));

  // -F keeps the master in the foreground, inside the process group started for it.
  const pgid = startGroup('dovecot', ['-F', '-c', instance.configFile], instance.logFile, groupFile);
  const ports = [instance.imapPort, ...(instance.pop3Port ? [instance.pop3Port] : [])];
  try {
    for (const port of ports) await waitUntilListening(port, `Dovecot (${instance.profile})`, () => groupAlive(pgid));
  } catch (error) {
    await stopGroup(pgid);
    throw new Error(`${(error as Error).message}; see ${instance.logFile}`, { cause: error });
  }
  return {
    instance,
    pgid,
    async stop() {
      await stopRecordedGroup(groupFile);
      for (const port of ports) await waitUntilFree(port);
    },
  };
}
