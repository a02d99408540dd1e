/**
 * Moving 500 selected messages: the time of the product's move (what Move to Folder…, Archive,
 * Delete and Junk run for each source folder: `ImapSession.moveMessages`, one UID MOVE, the
 * UIDs the server gave back kept for Undo) next to a bare `UID MOVE` of the very same UID set
 * written on a TLS socket, on the sandbox's Exchange front. Both start logged in with the
 * source folder selected, as when the user has the folder's messages in view. The 500 newest
 * messages of alice's `Notifications` go to `Archive`; after every run a third connection moves
 * them back (untimed), so each run moves the same 500 messages out of the same folder.
 */
import { ImapSession } from '../../src/mail/imap/session';
import { cachedCredentials } from '../integration/imap-sandbox';
import { BULK_FOLDER } from '../sandbox/mail/mailbox-layout';
import { alternate, bareImap, commandsOf, copyUids, MailboxBenchResult, withBenchSandbox } from './mailbox-bench';

const SELECTED = 500;
const TARGET = 'Archive';
const TARGET_RATIO = 1.2;

export async function benchMove(options: { runs?: number } = {}): Promise<MailboxBenchResult[]> {
  const runs = options.runs ?? 9;
  return withBenchSandbox('move', async (sandbox) => {
    const wire = await bareImap(sandbox);
    const putBack = await bareImap(sandbox);
    const session = new ImapSession({ server: sandbox.server('exchange'), credentials: cachedCredentials(sandbox) });
    try {
      await wire.run(`SELECT ${BULK_FOLDER}`);
      await putBack.run(`SELECT ${TARGET}`);
      const all = (await wire.run('UID SEARCH ALL')).find((l) => l.startsWith('* SEARCH'))!.split(' ').slice(2).map(Number);
      let selected = all.sort((a, b) => a - b).slice(-SELECTED);
      if (selected.length !== SELECTED) throw new Error(`${BULK_FOLDER} has ${all.length} messages, fewer than ${SELECTED}`);
      let inTarget: number[] = [];
      // A connection acts only on UIDs it has been told of: each learns of the moved messages
      // (NOOP; the product by reading the folder's page again, as the view shows it) before it moves them.
      const moveBack = async () => {
        await putBack.run('NOOP');
        const back = copyUids(await putBack.run(`UID MOVE ${inTarget.join(',')} ${BULK_FOLDER}`));
        selected = inTarget.map((uid) => back.get(uid)!);
        if (selected.some((uid) => uid === undefined)) throw new Error('a message did not come back from the target');
        await wire.run('NOOP');
        await session.messagePage(BULK_FOLDER);
      };

      const checked = await commandsOf(sandbox, BULK_FOLDER, (s) => s.moveMessages(BULK_FOLDER, selected, TARGET));
      inTarget = selected.map((uid) => checked.result.uidMap.get(uid)!);
      await moveBack();
      const moves = checked.commands.filter((c) => c.startsWith('UID MOVE')).length;
      if (moves !== 1) throw new Error(`the product sent ${moves} UID MOVE commands for one folder: ${checked.commands.join('; ')}`);

      await session.messagePage(BULK_FOLDER);
      const product = async () => {
        const started = performance.now();
        const moved = await session.moveMessages(BULK_FOLDER, selected, TARGET);
        const ms = performance.now() - started;
        inTarget = selected.map((uid) => moved.uidMap.get(uid)!);
        if (inTarget.some((uid) => uid === undefined)) throw new Error('the product lost the new UIDs of a moved message (no Undo)');
        return ms;
      };
      const baseline = async () => {
        const started = performance.now();
        const lines = await wire.run(`UID MOVE ${selected.join(',')} ${TARGET}`);
        const ms = performance.now() - started;
        const moved = copyUids(lines);
        inTarget = selected.map((uid) => moved.get(uid)!);
        return ms;
      };
      const measured = await alternate(runs, product, baseline, moveBack);
      return [{
        name: 'move-500-messages',
        unit: `ms from logged in with the folder selected to ${SELECTED} messages moved (median of ${runs})`,
        value: measured.value, baseline: measured.baseline, ratio: measured.ratio,
        detail: { target: TARGET_RATIO, ...measured.detail, productCommands: checked.commands },
      }];
    } finally {
      wire.close();
      putBack.close();
      await session.close();
    }
  });
}
