/**
 * Child processes the tests, the sandbox and the demo start (code-server, Dovecot, Postfix) run
 * in process groups of their own, so that stopping one stops everything it spawned, and every
 * group still running is stopped when this process exits, fails or is interrupted (Ctrl-C).
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** Process group ids this process started and has not stopped yet. */
const runningGroups = new Set<number>();
let exitHooksInstalled = false;

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child.pid, signal);
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const pgid of runningGroups) signalGroup(pgid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pgid of runningGroups) signalGroup(pgid, 'SIGTERM');
      process.exit(130);
    });
  }
}

/**
 * Remembers a process group to stop if this process ends before stopping it; the returned
 * function forgets it again (call it once the group is stopped).
 */
export function stopGroupOnExit(pgid: number): () => void {
  installExitHooks();
  runningGroups.add(pgid);
  return () => runningGroups.delete(pgid);
}

/** Starts a command as the leader of a new process group. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
  if (child.pid !== undefined) {
    const forget = stopGroupOnExit(child.pid);
    child.once('exit', forget);
  }
  return child;
}

/** Stops the whole group: SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Children of the leader may outlive it by a moment; make sure the group is empty.
  killGroup(child, 'SIGKILL');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
