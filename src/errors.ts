/**
 * A failure told the way a user can act on it: what went wrong (`message`) and what to do
 * (`fix`). The UI shows both; `detail` goes to the log only. None of the three ever holds a
 * token, secret or key.
 */
export type ErrorAction = 'retry' | 'signIn' | 'openSettings' | 'showLog';

export interface ExplainedErrorOptions {
  /** A stable code for tests and the log, e.g. `AADSTS7000218`, `smtp-auth-disabled`. */
  code?: string;
  /** Technical detail for the log (a server reply, an error name); already free of secrets. */
  detail?: string;
  /** What the UI offers beside the message. */
  actions?: ErrorAction[];
  cause?: unknown;
}

export class ExplainedError extends Error {
  readonly fix: string;
  readonly code?: string;
  readonly detail?: string;
  readonly actions: ErrorAction[];

  constructor(message: string, fix: string, options: ExplainedErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ExplainedError';
    this.fix = fix;
    this.code = options.code;
    this.detail = options.detail;
    this.actions = options.actions ?? [];
  }
}

export function isExplained(err: unknown): err is ExplainedError {
  return err instanceof ExplainedError;
}
