/**
 * Folder tree speed: the time from "connected and authenticated" to "tree data complete with
 * unread counts" for alice's 1,000 bench folders (1,016 in all), for the product's ImapSession
 * and for a bare-protocol baseline in the same run: the least a client must send, written
 * straight on a TLS socket — one LIST-STATUS command (asking for special use too, which the
 * tree shows) where the server has it (modern profile),
 * else LIST and then every STATUS in one write (exchange profile). Runs alternate between the
 * two so machine noise hits both alike; each reports the median.
 *
 * The exchange profile is the sandbox's Exchange front (test/sandbox/exchange), which answers as
 * Exchange Online does; the product's time runs until what every row of the view shows is known.
 * The first load after sign-in (a new session: connect, log in, list) is measured too.
 *
 * The exchange profile is measured again behind a TCP relay in Node that holds every chunk
 * 10 ms each way (20 ms added round trip). A network namespace with `tc netem` was not used:
 * the sandbox's Dovecot listens on 127.0.0.1 only, which a namespace's veth cannot reach, and
 * netem on `lo` would slow every other test running on the machine.
 */
import { connect } from 'node:tls';
import { ImapSession } from '../../src/mail/imap/session';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALICE, ImapSandbox, imapSandbox, Profile } from '../integration/imap-sandbox';
import { TcpProxy } from '../integration/imap-tcp-proxy';
import { startSandbox } from '../sandbox';
import { BENCH_FOLDER_COUNT } from '../sandbox/mail/mailbox-layout';
import { median } from './activation';

export interface FolderTreeResult {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  ratio: number;
  detail: { folders: number; addedRoundTripMs: number; runs: number; best: number; baselineBest: number; samples: number[]; baselineSamples: number[] };
}

interface Target {
  host: string;
  port: number;
}

/** A logged-in TLS socket and a way to wait for a tagged completion. */
async function bareLogin(target: Target, ca: string, token: string) {
  const socket = connect({ host: target.host, port: target.port, ca });
  let buffer = '';
  let waiting: { pattern: RegExp; resolve: () => void } | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (waiting && waiting.pattern.test(buffer)) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  });
  const until = (pattern: RegExp) => new Promise<void>((resolve, reject) => {
    if (pattern.test(buffer)) return resolve();
    waiting = { pattern, resolve };
    socket.once('error', reject);
  });
  await until(/^\* OK.*\r\n/m);
  const payload = Buffer.from(`user=${ALICE}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
  socket.write(`a AUTHENTICATE XOAUTH2 ${payload}\r\n`);
  await until(/^a OK.*\r\n/m);
  buffer = '';
  return {
    send(text: string) { socket.write(text); },
    until,
    take() { const b = buffer; buffer = ''; return b; },
    close() { socket.destroy(); },
  };
}

/** The bare protocol: returns ms from logged in (or, `fromConnect`, from nothing) to every count read. */
async function baselineRun(target: Target, ca: string, token: string, listStatus: boolean, fromConnect = false): Promise<number> {
  const connectStart = performance.now();
  const wire = await bareLogin(target, ca, token);
  try {
    const start = fromConnect ? connectStart : performance.now();
    if (listStatus) {
      // SPECIAL-USE too: with RETURN (STATUS …) alone Dovecot leaves out \Sent, \Trash… (seen here).
      wire.send('b LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n');
      await wire.until(/^b OK.*\r\n/m);
    } else {
      wire.send('b LIST "" "*"\r\n');
      await wire.until(/^b OK.*\r\n/m);
      const names = [...wire.take().matchAll(/^\* LIST \(([^)]*)\) \S+ (.*)\r$/gm)]
        .filter((m) => !/\\Noselect/i.test(m[1]!))
        .map((m) => m[2]!);
      wire.send(names.map((name, i) => `s${i} STATUS ${name} (MESSAGES UNSEEN)\r\n`).join(''));
      await wire.until(new RegExp(`^s${names.length - 1} OK.*\\r\\n`, 'm'));
    }
    return performance.now() - start;
  } finally {
    wire.close();
  }
}

/**
 * The product: from Refresh (connections open) or, `firstLoad`, from a new session (as after
 * sign-in: connect, log in, list) to what every row of the view shows — name, order, icon and
 * count — for every folder.
 */
async function productRun(sandbox: ImapSandbox, target: Target, firstLoad = false): Promise<{ ms: number; folders: number }> {
  const session = new ImapSession({ server: { ...target, security: 'tls', ca: sandbox.ca }, credentials: async () => ({ user: ALICE, accessToken: sandbox.mintToken() }) });
  try {
    if (!firstLoad) await session.connect();
    const start = performance.now();
    const tree = await session.listFolders();
    const folders = tree.all();
    const rows = folders.map((f) => [f.name, f.specialUse ?? 'folder', f.openable ? f.unread ?? f.countsError : '']);
    const ms = performance.now() - start;
    if (rows.some((row, i) => folders[i]!.openable && typeof row[2] !== 'number')) throw new Error('a folder has no unread count');
    return { ms, folders: folders.length };
  } finally {
    await session.close();
  }
}

async function measure(sandbox: ImapSandbox, profile: Profile, runs: number, addedRoundTripMs: number, firstLoad = false): Promise<FolderTreeResult> {
  const proxy = addedRoundTripMs > 0 ? new TcpProxy(sandbox.servers.imap[profile], addedRoundTripMs / 2) : undefined;
  const target = proxy ? { host: '127.0.0.1', port: await proxy.start() } : sandbox.servers.imap[profile];
  const listStatus = profile === 'modern';
  try {
    // Warm-up: Dovecot indexes 1,000 folders on first access.
    await baselineRun(target, sandbox.ca, sandbox.mintToken(), listStatus);
    await productRun(sandbox, target);
    const samples: number[] = [];
    const baselineSamples: number[] = [];
    let folders = 0;
    for (let i = 0; i < runs; i++) {
      baselineSamples.push(await baselineRun(target, sandbox.ca, sandbox.mintToken(), listStatus, firstLoad));
      const run = await productRun(sandbox, target, firstLoad);
      samples.push(run.ms);
      folders = run.folders;
    }
    const value = median(samples);
    const baseline = median(baselineSamples);
    return {
      name: `imap-folder-tree-${profile}${addedRoundTripMs ? `-rtt${addedRoundTripMs}ms` : ''}${firstLoad ? '-first-load' : ''}`,
      unit: `ms from ${firstLoad ? 'nothing (connect, log in)' : 'logged in'} to ${folders} folders with unread counts (median of ${runs})`,
      value, baseline, ratio: value / baseline,
      // The best runs too: on a busy machine they show the cost of the code, the medians that of the machine.
      detail: { folders, addedRoundTripMs, runs, best: Math.min(...samples), baselineBest: Math.min(...baselineSamples), samples, baselineSamples },
    };
  } finally {
    await proxy?.stop();
  }
}

/** All four measurements; starts and stops its own sandbox, with the bench folders. */
export async function benchFolderTree(options: { runs?: number } = {}): Promise<FolderTreeResult[]> {
  const runs = options.runs ?? 7;
  const stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-bench-folders-'));
  const box = await startSandbox({ stateDir, benchFolders: true });
  const sandbox = imapSandbox(box);
  try {
    return [
      await measure(sandbox, 'modern', runs, 0),
      await measure(sandbox, 'exchange', runs, 0),
      await measure(sandbox, 'exchange', runs, 20),
      await measure(sandbox, 'exchange', runs, 20, true),
    ];
  } finally {
    await box.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export const BENCH_FOLDERS = BENCH_FOLDER_COUNT;
