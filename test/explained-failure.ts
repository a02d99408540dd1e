import * as assert from 'node:assert/strict';
import { ExplainedError } from '../src/errors';

/** The ExplainedError a call fails with; fails the test when it succeeds or fails otherwise. */
export async function explainedFailure(promise: Promise<unknown>): Promise<ExplainedError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ExplainedError, `expected an ExplainedError, got ${String((error as Error)?.stack ?? error)}`);
    return error;
  }
  return assert.fail('expected the call to fail');
}
