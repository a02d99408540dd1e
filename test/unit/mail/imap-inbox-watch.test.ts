import * as assert from 'node:assert/strict';
import { silentLog } from '../../../src/mail/server';
import { InboxWatch } from '../../../src/mail/imap/inbox-watch';

describe('Inbox unread count without IDLE', () => {
  it('polls STATUS and reports only changes, carrying on after a failed poll', async () => {
    const answers: (number | Error)[] = [7, 7, new Error('connection lost'), 6, 6, 8];
    const seen: number[] = [];
    let polls = 0;
    const watch = new InboxWatch({
      countByStatus: async () => {
        const answer = answers[Math.min(polls++, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      pollIntervalMs: 5,
      log: silentLog,
      onCount: (count) => seen.push(count),
    });
    watch.start();
    while (polls < answers.length) await new Promise((resolve) => setTimeout(resolve, 5));
    await watch.stop();
    assert.deepEqual(seen, [7, 6, 8]);
  });
});
