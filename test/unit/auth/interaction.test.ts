import * as assert from 'node:assert/strict';
import { isExplained } from '../../../src/errors';
import { withinLimits } from '../../../src/auth/interaction';

describe('interaction limits: a sign-in waiting for the user can be stopped', () => {
  it('a sign-in that outlives its time ends with a "timed out" message naming the wait', async () => {
    const error = await withinLimits({ timeoutMs: 50, what: 'the browser sign-in' }, () => new Promise(() => undefined)).catch((e: unknown) => e);
    assert.ok(isExplained(error));
    assert.equal(error.message, 'Sign-in timed out: the browser sign-in did not finish within 1 second.');
  });

  it('the caller\'s cancel ends it at once with "cancelled"', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = withinLimits({ signal: controller.signal, timeoutMs: 60_000, what: 'the device code sign-in' }, () => new Promise(() => undefined));
    setTimeout(() => controller.abort(), 20);
    const error = await running.catch((e: unknown) => e);
    assert.ok(isExplained(error) && error.code === 'sign-in-cancelled' && Date.now() - started < 1000);
  });

  it('the flow is told to stop waiting through its signal', async () => {
    let flowSignal: AbortSignal | undefined;
    await withinLimits({ timeoutMs: 30, what: 'x' }, (signal) => {
      flowSignal = signal;
      return new Promise(() => undefined);
    }).catch(() => undefined);
    assert.equal(flowSignal?.aborted, true);
  });

  it('an already cancelled request never starts the sign-in', async () => {
    let started = false;
    await withinLimits({ signal: AbortSignal.abort(), timeoutMs: 1000, what: 'x' }, async () => {
      started = true;
    }).catch(() => undefined);
    assert.equal(started, false);
  });
});
