/**
 * One sample of the reopen benchmark (./reopen-from-cache.ts), in a fresh Node process so that
 * nothing is loaded before it starts, as in a new window: the time from the view asking for a
 * mailbox's folders to the first folder row's data (name, icon, count).
 *
 *   node reopen-probe.js cache  — read the mailbox cache's snapshot and build the tree from it,
 *     then, as the product does after the cached rows went out, load the core and list the folders;
 *   node reopen-probe.js server — load the core (dist/core.js, which the sign-in check and the
 *     session need) and list the folders from the server: the first load without a cache.
 *
 * Its input comes in REOPEN_PROBE (JSON: the cache folder, the mailbox id, the server, alice's token
 * and the CA); it prints JSON: `firstRowMs`, and `serverTreeMs` when the server's tree came.
 */
import { join } from 'node:path';

interface ProbeInput {
  cacheFolder: string;
  mailbox: string;
  host: string;
  port: number;
  ca: string;
  user: string;
  accessToken: string;
  root: string;
}

type FolderTreeLike = { roots: readonly { name: string; specialUse?: string; unread?: number }[] };

async function main(): Promise<void> {
  const start = performance.now();
  const mode = process.argv[2];
  const input = JSON.parse(process.env.REOPEN_PROBE ?? '{}') as ProbeInput;
  const firstRow = (tree: FolderTreeLike) => {
    const row = tree.roots[0];
    if (!row) throw new Error('no folder row');
    return [row.name, row.specialUse ?? 'folder', row.unread];
  };
  const fromServer = async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when needed, as the product loads its core bundle
    const core = require(join(input.root, 'dist', 'core.js')) as typeof import('../../src/core');
    const session = new core.ImapSession({
      server: { host: input.host, port: input.port, security: 'tls', ca: input.ca },
      credentials: async () => ({ user: input.user, accessToken: input.accessToken }),
    });
    try {
      return await session.listFolders();
    } finally {
      await session.close();
    }
  };
  const result: { firstRowMs?: number; serverTreeMs?: number; row?: unknown[] } = {};
  if (mode === 'cache') {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded in the time measured */
    const { SnapshotStore } = require('../../src/mail/cache/snapshot-store') as typeof import('../../src/mail/cache/snapshot-store');
    const { FolderTree } = require('../../src/mail/imap/folder-model') as typeof import('../../src/mail/imap/folder-model');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const snapshot = await new SnapshotStore(input.cacheFolder).read(input.mailbox, `${input.host}:${input.port}`);
    if (!snapshot) throw new Error('no snapshot in the cache');
    result.row = firstRow(new FolderTree(snapshot.folders));
    result.firstRowMs = performance.now() - start;
    await fromServer();
    result.serverTreeMs = performance.now() - start;
  } else {
    const tree = await fromServer();
    result.row = firstRow(tree);
    result.firstRowMs = result.serverTreeMs = performance.now() - start;
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err));
  process.exit(1);
});
