/**
 * Bounds a sign-in that waits for the user (browser, device code, VS Code's dialog): it ends
 * when the caller cancels or after a timeout, with a message saying which. MSAL's loopback and
 * device-code polling never give up by themselves, so each flow also stops its own wait when
 * the signal it is given aborts.
 */
import { ExplainedError } from '../errors';

export const DEFAULT_INTERACTION_TIMEOUT_MS = 5 * 60_000;

export interface InteractionLimits {
  /** The caller's cancellation (a progress notification's Cancel). */
  signal?: AbortSignal;
  timeoutMs: number;
  /** What the user is doing, for the messages: "the browser sign-in", "the device code sign-in". */
  what: string;
}

function minutes(ms: number): string {
  if (ms < 60_000) {
    const s = Math.max(1, Math.round(ms / 1000));
    return s === 1 ? '1 second' : `${s} seconds`;
  }
  const n = Math.round(ms / 60_000);
  return n === 1 ? '1 minute' : `${n} minutes`;
}

export function cancelledError(what: string): ExplainedError {
  return new ExplainedError(`Sign-in cancelled: ${what} was stopped.`, 'Sign in again when you are ready.',
    { code: 'sign-in-cancelled', actions: ['signIn'] });
}

function timeoutError(what: string, timeoutMs: number): ExplainedError {
  return new ExplainedError(`Sign-in timed out: ${what} did not finish within ${minutes(timeoutMs)}.`,
    'Sign in again and complete it in the browser. If the sign-in page showed an error (for example AADSTS50011, redirect URI), fix the app registration first.',
    { code: 'sign-in-timeout', actions: ['signIn'] });
}

/**
 * Runs `work` with a signal that aborts on the caller's cancel or the timeout, and settles as
 * soon as either happens, without waiting for `work` to notice.
 */
export async function withinLimits<T>(limits: InteractionLimits, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (limits.signal?.aborted) throw cancelledError(limits.what);
  const stop = new AbortController();
  let onStop: (error: ExplainedError) => void = () => undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    onStop = reject;
  });
  const end = (error: ExplainedError) => {
    if (stop.signal.aborted) return;
    stop.abort(error);
    onStop(error);
  };
  const timer = setTimeout(() => end(timeoutError(limits.what, limits.timeoutMs)), limits.timeoutMs);
  const onCancel = () => end(cancelledError(limits.what));
  limits.signal?.addEventListener('abort', onCancel, { once: true });
  const running = work(stop.signal);
  try {
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onCancel);
    // The flow ends on its own once it sees the signal; its late failure is not the caller's.
    running.catch(() => undefined);
    if (!stop.signal.aborted) stop.abort();
  }
}
