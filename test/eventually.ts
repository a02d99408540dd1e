/**
 * The one wait of the tests, for what nothing tells them about: a delivery, a port, a process,
 * a row in the UI. Polls `probe` until it gives a value (anything but undefined or false) and
 * resolves with it; fails naming `what` after `timeoutMs`. A probe that throws has not
 * succeeded yet: the failure quotes its last error, so a probe can say what it saw instead.
 */
export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Gives up at once when this turns false (the daemon waited for has died). */
  stillPossible?: () => boolean;
}

type Probe<T> = () => T | undefined | false | Promise<T | undefined | false>;

export async function eventually<T>(what: string, probe: Probe<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, stillPossible } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lastError: unknown;
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    const saw = lastError === undefined ? '' : `: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
    if (stillPossible && !stillPossible()) throw new Error(`gave up waiting for ${what}, which can no longer happen${saw}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${saw}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
