/**
 * The Debian packages the mail servers run on, installed when missing so that a fresh machine
 * needs nothing by hand. `dovecot-auth-lua` carries the Lua passdb the token check hangs on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const MAIL_PACKAGES = ['dovecot-imapd', 'dovecot-pop3d', 'dovecot-lmtpd', 'dovecot-auth-lua', 'postfix'];

async function isInstalled(name: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status}', name]);
    return stdout.trim() === 'install ok installed';
  } catch {
    return false;
  }
}

async function apt(args: string[]): Promise<void> {
  await run('apt-get', args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

export async function missingMailPackages(): Promise<string[]> {
  const missing: string[] = [];
  for (const name of MAIL_PACKAGES) if (!(await isInstalled(name))) missing.push(name);
  return missing;
}

export async function ensureMailPackages(): Promise<void> {
  const missing = await missingMailPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`The sandbox mail servers need the Debian packages ${missing.join(', ')}, and installing them needs root. `
      + `Run as root, or install them first: sudo apt-get install ${missing.join(' ')}`);
  }
  // Postfix's installer would otherwise ask which mail setup to write to /etc/postfix; the sandbox brings its own.
  await run('sh', ['-c', 'echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections']);
  try {
    await apt(['install', '-y', '--no-install-recommends', ...missing]);
  } catch {
    await apt(['update']);
    await apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
  // Debian's packages start their system-wide daemons where an init system runs; the sandbox
  // starts private ones and leaves the system's alone.
  const stillMissing = await missingMailPackages();
  if (stillMissing.length > 0) throw new Error(`apt-get did not install ${stillMissing.join(', ')}`);
}
