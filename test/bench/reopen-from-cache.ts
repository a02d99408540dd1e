/**
 * Reopening a window with 1,000 folders: the time from the view asking for alice's folders to
 * the first folder row, with the mailbox cache (read its snapshot, build the tree) against
 * without it (load the core, connect, log in, LIST and STATUS: the first load of a window), on
 * the Exchange profile behind a relay that adds 20 ms to each round trip (./imap-folders.ts says
 * why a relay). Each sample is a fresh Node process (./reopen-probe.ts), as a new window is;
 * what both paths share before that point (VS Code, activation, the features bundle, the
 * settings) is left out. Samples alternate between the two; each reports the median.
 *
 * The snapshot is written by the product's own store from a listing of the same server. A cached
 * sample also lists the folders from the server after its first row, as the product does, and
 * fails if its first row did not come before the server's tree.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SnapshotStore } from '../../src/mail/cache/snapshot-store';
import { ImapSession } from '../../src/mail/imap/session';
import { ALICE, imapSandbox } from '../integration/imap-sandbox';
import { TcpProxy } from '../integration/imap-tcp-proxy';
import { startSandbox } from '../sandbox';
import { median } from './activation';

const ROUND_TRIP_MS = 20;
const root = resolve(__dirname, '..', '..', '..');

interface Sample {
  firstRowMs: number;
  serverTreeMs: number;
  row: unknown[];
}

export async function benchReopenFromCache(options: { runs?: number } = {}) {
  const runs = options.runs ?? 9;
  const stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-bench-reopen-'));
  const cacheFolder = mkdtempSync(join(tmpdir(), 'exchange-mail-bench-cache-'));
  const box = await startSandbox({ stateDir, benchFolders: true });
  const sandbox = imapSandbox(box);
  const proxy = new TcpProxy(sandbox.servers.imap.exchange, ROUND_TRIP_MS / 2);
  try {
    const target = { host: '127.0.0.1', port: await proxy.start() };
    // What a window left in the cache: the listing of this server, as the product writes it.
    const session = new ImapSession({ server: { ...target, security: 'tls', ca: sandbox.ca }, credentials: async () => ({ user: ALICE, accessToken: sandbox.mintToken() }) });
    const tree = await session.listFolders();
    await session.close();
    const store = new SnapshotStore(cacheFolder, { debounceMs: 0 });
    store.schedule(ALICE, async () => ({ mailbox: ALICE, server: `${target.host}:${target.port}`, savedAt: Date.now(), folders: tree.listed, pages: new Map() }));
    await store.flush();

    // Not execFileSync: the relay runs in this process.
    const sample = async (mode: 'cache' | 'server'): Promise<Sample> => JSON.parse((await promisify(execFile)(process.execPath, [join(__dirname, 'reopen-probe.js'), mode], {
      encoding: 'utf8',
      env: { ...process.env, REOPEN_PROBE: JSON.stringify({ cacheFolder, mailbox: ALICE, ...target, ca: sandbox.ca, user: ALICE, accessToken: sandbox.mintToken(), root }) },
    })).stdout) as Sample;
    // Warm-up: Dovecot indexes the folders, the disk cache holds the bundles.
    await sample('server');
    await sample('cache');
    const cached: Sample[] = [];
    const uncached: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      uncached.push(await sample('server'));
      cached.push(await sample('cache'));
    }
    const value = median(cached.map((s) => s.firstRowMs));
    const baseline = median(uncached.map((s) => s.firstRowMs));
    const sameRow = cached.every((s) => JSON.stringify(s.row) === JSON.stringify(uncached[0]!.row));
    const beforeServer = cached.every((s) => s.firstRowMs < s.serverTreeMs);
    return [{
      name: `reopen-from-cache-rtt${ROUND_TRIP_MS}ms`,
      unit: `ms to the first of ${tree.all().length} folder rows from the cache (median of ${runs} fresh processes); baseline: without the cache`,
      value, baseline, ratio: value / baseline,
      detail: {
        ok: sameRow && beforeServer, sameRow, beforeServer, target: 0.2, folders: tree.all().length, addedRoundTripMs: ROUND_TRIP_MS,
        serverTreeAfterCacheMs: median(cached.map((s) => s.serverTreeMs)),
        samples: cached.map((s) => Math.round(s.firstRowMs * 10) / 10), baselineSamples: uncached.map((s) => Math.round(s.firstRowMs * 10) / 10),
      },
    }];
  } finally {
    await proxy.stop();
    await box.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(cacheFolder, { recursive: true, force: true });
  }
}
