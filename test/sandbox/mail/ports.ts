/**
 * Loopback ports for the mail servers: picked free at start, waited for until the daemon
 * answers, and waited for again until they are free after stop, so a restart never races the
 * previous run.
 */
import { createConnection, createServer } from 'node:net';
import { eventually } from '../../eventually';

/** Everything the sandbox serves listens here, never on a public interface. */
export const LOOPBACK = '127.0.0.1';

export interface Endpoint {
  host: '127.0.0.1';
  port: number;
}

/** Asks the kernel for an unused unprivileged port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port on loopback'))));
    });
  });
}

/** Distinct free ports: asking one at a time could hand out the same port twice. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** `stillRunning` ends the wait early when the daemon has already died. */
export async function waitUntilListening(port: number, what: string, stillRunning: () => boolean, timeoutMs = 10_000): Promise<void> {
  await eventually(`${what} to listen on ${LOOPBACK}:${port}`, () => accepts(port), { timeoutMs, intervalMs: 25, stillPossible: stillRunning });
}

export async function waitUntilFree(port: number, timeoutMs = 10_000): Promise<void> {
  await eventually(`${LOOPBACK}:${port} to be free`, () => bindable(port), { timeoutMs, intervalMs: 25 });
}

export function endpoint(port: number): Endpoint {
  return { host: LOOPBACK, port };
}
