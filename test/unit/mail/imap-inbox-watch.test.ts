import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ImapFlow } from 'imapflow';
import { ConnectionSlot } from '../../../src/mail/imap/connection-slot';
import { InboxWatch } from '../../../src/mail/imap/inbox-watch';
import { silentLog } from '../../../src/mail/server';

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

describe('Inbox watch against a server that accepts the login and drops the connection', () => {
  /** A client that opens the Inbox, counts, and is dropped by the server a moment later. */
  function droppedClient(): ImapFlow {
    const client = new EventEmitter() as EventEmitter & Partial<ImapFlow>;
    client.mailboxOpen = (async () => ({})) as unknown as ImapFlow['mailboxOpen'];
    client.search = (async () => []) as ImapFlow['search'];
    setTimeout(() => client.emit('close'), 1);
    return client as ImapFlow;
  }

  it('waits longer after each drop, up to the cap, instead of logging in again every second', async () => {
    const logins: number[] = [];
    const slot = {
      get: async () => { logins.push(performance.now()); return droppedClient(); },
      discard: () => undefined,
      close: async () => undefined,
    } as unknown as ConnectionSlot<ImapFlow>;
    const watch = new InboxWatch({
      idleSlot: slot, countByStatus: async () => 0, pollIntervalMs: 60_000, log: silentLog, onCount: () => undefined,
      backoff: { firstPauseMs: 20, maxPauseMs: 80, stableAfterMs: 10_000 },
    });
    watch.start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await watch.stop();
    const pauses = logins.slice(1).map((at, i) => at - logins[i]!);
    assert.ok(pauses.length >= 4, `only ${logins.length} logins in 600 ms`);
    // 20, 40, 80, 80, …: doubling from the first pause, never above the cap.
    assert.ok(pauses[1]! >= 35 && pauses[2]! >= 75, `pauses did not grow: ${pauses.map(Math.round).join(', ')}`);
    assert.ok(pauses.every((p) => p < 130), `a pause went past the cap: ${pauses.map(Math.round).join(', ')}`);
  });
});
