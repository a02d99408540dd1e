/**
 * Writes the seeded mailboxes as Maildir files directly: much faster than delivering thousands
 * of messages through LMTP or doveadm, and Dovecot indexes them on first access.
 *
 * On disk this is Maildir++ (`.Sent Items`, `.Projects.2026.Q4`); Dovecot's namespace shows it
 * with Exchange's `/` delimiter. File names start with the message date and files carry it as
 * mtime, so Dovecot gives UIDs in date order and INTERNALDATE equals the Date header.
 *
 * Writing 5,000+ files takes from 0.5 to several seconds on a busy disk, too slow for every
 * test run's fresh state directory. So the files are written once a day into a template under
 * the OS temp directory, and each state directory gets hard links to them (about 0.1 s). That
 * is safe with Maildir: Dovecot never rewrites a message file, it renames (flags) and unlinks
 * (expunge) names in its own copy. A state directory keeps its mailboxes until they are missing
 * or were seeded with other options.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fchownSync, futimesSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aliceMailbox, otherMailboxes, SeededMailbox, SeededMessage } from './mailbox-content';
import { maildirPath } from './mailbox-layout';
import { renderMessage } from './message-format';

const SEED_VERSION = 3;
const TEMPLATES_DIR = join(tmpdir(), 'exchange-mail-sandbox-seed');

export interface SeedOptions {
  mailboxesDir: string;
  benchFolders: boolean;
  uid: number;
  gid: number;
}

interface SeedRecord {
  version: number;
  benchFolders: boolean;
  seededAt: string;
}

function flagsOf(message: SeededMessage): string {
  return `${message.draft ? 'D' : ''}${message.flagged ? 'F' : ''}${message.seen ? 'S' : ''}`;
}

function writeMailbox(mailboxesDir: string, mailbox: SeededMailbox, uid: number, gid: number): void {
  const home = join(mailboxesDir, mailbox.address);
  for (const folder of ['INBOX', ...mailbox.folders]) {
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildirPath(home, folder), sub), { recursive: true });
  }
  mailbox.messages.forEach((message, index) => {
    const text = renderMessage(message);
    const seconds = Math.floor(message.date.getTime() / 1000);
    // Straight into cur/ with the S flag or not: nothing counts as \Recent.
    const name = `${seconds}.M${index}P1.sandbox,S=${Buffer.byteLength(text)}:2,${flagsOf(message)}`;
    const fd = openSync(join(maildirPath(home, message.folder), 'cur', name), 'w', 0o600);
    try {
      writeSync(fd, text);
      futimesSync(fd, message.date, message.date);
      fchownSync(fd, uid, gid);
    } finally {
      closeSync(fd);
    }
  });
  // Exchange shows every folder as subscribed. Dovecot's plain subscriptions format names
  // folders with the storage's separator (Maildir++: a dot).
  const subscribed = ['INBOX', ...mailbox.folders].map((folder) => folder.split('/').join('.'));
  writeFileSync(join(home, 'Maildir', 'subscriptions'), subscribed.join('\n') + '\n');
}

function readRecord(file: string): SeedRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SeedRecord;
  } catch {
    return undefined;
  }
}

function recordFile(mailboxesDir: string): string {
  return join(mailboxesDir, 'seeded.json');
}

/** Today's template for these options, written when missing; earlier days' templates are removed. */
function template(options: SeedOptions): string {
  const day = new Date().toISOString().slice(0, 10);
  const name = `v${SEED_VERSION}-${options.benchFolders ? 'bench' : 'standard'}-uid${options.uid}-${day}`;
  const dir = join(TEMPLATES_DIR, name);
  if (readRecord(recordFile(dir))) return dir;

  mkdirSync(TEMPLATES_DIR, { recursive: true });
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  for (const mailbox of [aliceMailbox(now, options.benchFolders), ...otherMailboxes(now)]) {
    writeMailbox(building, mailbox, options.uid, options.gid);
  }
  const record: SeedRecord = { version: SEED_VERSION, benchFolders: options.benchFolders, seededAt: new Date(now).toISOString() };
  writeFileSync(recordFile(building), JSON.stringify(record) + '\n');
  execFileSync('chown', ['-R', `${options.uid}:${options.gid}`, building]);
  try {
    renameSync(building, dir);
  } catch {
    // Another process finished the same template first: use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  // Earlier days' and earlier versions' templates; today's other variant stays, and so do newer
  // versions': a work tree with newer seed code may be using them right now.
  for (const old of readdirSync(TEMPLATES_DIR)) {
    const version = Number(/^v(\d+)-/.exec(old)?.[1] ?? 0);
    if (version < SEED_VERSION || (version === SEED_VERSION && !old.endsWith(day) && !old.includes('.building-'))) {
      rmSync(join(TEMPLATES_DIR, old), { recursive: true, force: true });
    }
  }
  return dir;
}

function copyTemplate(source: string, target: string): void {
  try {
    execFileSync('cp', ['-al', source, target], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch {
    // Hard links need one file system; copying is slower but works anywhere.
    rmSync(target, { recursive: true, force: true });
    execFileSync('cp', ['-a', source, target], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}

/** Returns whether the mailboxes had to be (re)built. */
export function seedMailboxes(options: SeedOptions): boolean {
  const record = readRecord(recordFile(options.mailboxesDir));
  if (record && record.version === SEED_VERSION && record.benchFolders === options.benchFolders) return false;
  rmSync(options.mailboxesDir, { recursive: true, force: true });
  mkdirSync(dirname(options.mailboxesDir), { recursive: true });
  // Seed code of an older version (another work tree) removes templates not its own: when
  // ours vanishes before it is copied, it is written again.
  for (let attempt = 1; ; attempt++) {
    const source = template(options);
    try {
      copyTemplate(source, options.mailboxesDir);
      break;
    } catch (error) {
      if (existsSync(source) || attempt === 3) throw error;
      rmSync(options.mailboxesDir, { recursive: true, force: true });
    }
  }
  if (!existsSync(recordFile(options.mailboxesDir))) throw new Error(`seeding ${options.mailboxesDir} failed`);
  return true;
}
