/**
 * The daemons run in process groups of their own, so stopping one means signalling its whole
 * group: Dovecot's and Postfix's children (login processes, auth workers, smtpd, lmtp) go with
 * their master and nothing is left behind, even if a master dies first.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { eventually } from '../../eventually';
import { stopGroupOnExit } from '../../processes';

/**
 * Whether any live member of the group remains. Zombies do not count: a master orphaned by a
 * crashed run is reparented to PID 1, which may never reap it, and kill(-pgid, 0) would see it forever.
 */
export function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state, ppid, pgrp.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}


/** Starts `command` in the foreground of a new session (its own process group), output to `logFile`. */
export function startGroup(command: string, args: string[], logFile: string, groupFile: string): number {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    writeFileSync(groupFile, `${child.pid}\n`);
    stopGroupOnExit(child.pid);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/**
 * SIGTERM to the whole group stops the daemons cleanly in about 0.1 s. Now and then Dovecot's
 * master then waits on a child that is already on its way out (seen with its stats process);
 * after the grace time whatever is left is killed, which Maildir and Dovecot's indexes survive.
 */
export async function stopGroup(pgid: number, graceMs = 1_000): Promise<void> {
  const forget = stopGroupOnExit(pgid);
  signalGroup(pgid, 'SIGTERM');
  const ended = () => !groupAlive(pgid);
  const stopped = await eventually(`process group ${pgid} to stop`, ended, { timeoutMs: graceMs, intervalMs: 20 }).catch(() => false);
  if (!stopped) {
    signalGroup(pgid, 'SIGKILL');
    await eventually(`process group ${pgid} to die`, ended, { intervalMs: 20 });
  }
  forget();
}

/** Stops a group recorded by an earlier run that was never stopped (a crashed test, a killed terminal). */
export async function stopRecordedGroup(groupFile: string): Promise<void> {
  if (!existsSync(groupFile)) return;
  const pgid = Number(readFileSync(groupFile, 'utf8').trim());
  if (Number.isInteger(pgid) && pgid > 1) await stopGroup(pgid);
  rmSync(groupFile, { force: true });
}
